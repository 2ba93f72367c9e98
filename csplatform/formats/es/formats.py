"""Spanish: the thousands separator is a point as printed in Spain ("1.234,5"); Django's
non-breaking space is the academies' proposal, rarely seen in business documents.
Dates in words everywhere ("5 de diciembre de 2026"), short ones with the abbreviated
month ("5 dic 2026") so a column of dates never reads day and month the wrong way."""

DATE_FORMAT = r"j \d\e F \d\e Y"
SHORT_DATE_FORMAT = "j b Y"
MONTH_DAY_FORMAT = r"j \d\e F"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"
SHORT_DATETIME_FORMAT = "j b Y, H:i"
THOUSAND_SEPARATOR = "."
