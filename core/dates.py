"""Weekday abbreviations in our own catalogue.

Django's date filter "D" reads the msgids "Mon"…"Sun" from the active catalogue, and ours
(LOCALE_PATHS) is searched before Django's. Django's Kazakh entries are wrong for readers (a
Tuesday shows as "Сб", which a Russian reader takes for Saturday), so the same msgids are
declared here and translated in locale/kk and locale/ru: Дс Сс Ср Бс Жм Сн Жс / Пн Вт Ср Чт Пт Сб Вс.
"""

from django.utils.translation import gettext_lazy as _

WEEKDAYS_ABBR = {
    0: _("Mon"),
    1: _("Tue"),
    2: _("Wed"),
    3: _("Thu"),
    4: _("Fri"),
    5: _("Sat"),
    6: _("Sun"),
}


def weekday_short(day) -> str:
    return str(WEEKDAYS_ABBR[day.weekday()])
