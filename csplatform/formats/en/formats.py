"""English: one date style on every page. Django's short date is "12/05/2026", which
half the world reads as the 12th of May; short dates here read "Dec. 5, 2026" like the
long ones, so a table of dates and a sentence with a date agree."""

SHORT_DATE_FORMAT = "N j, Y"
SHORT_DATETIME_FORMAT = "N j, Y, P"
