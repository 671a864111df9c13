# English pages of a Kazakh service: dates day first (01.12.2026), never the US month-first order.
from bastau.formats.kk.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
DATE_FORMAT = "j F Y"  # 10 January 2027
DATETIME_FORMAT = "j F Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
