"""Greek: Django prints Greek dates as "05/12/2026" and times as "p.m."; in print a date
is written in words with the month in the genitive ("5 Δεκεμβρίου 2026", Django's ``E``),
times in 24 hours, and the week starts on Monday."""

DATE_FORMAT = "j E Y"
SHORT_DATE_FORMAT = "j E Y"
MONTH_DAY_FORMAT = "j E"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y, H:i"
SHORT_DATETIME_FORMAT = "j E Y, H:i"
FIRST_DAY_OF_WEEK = 1
