from django import template
from django.utils import timezone

from core import pii

register = template.Library()


@register.filter
def days_since(moment, today=None) -> int:
    """Whole days from a moment to today, in the portal's time zone."""
    if moment is None:
        return 0
    today = today or timezone.localdate()
    return (today - timezone.localtime(moment).date()).days


@register.filter
def mask_iin(value) -> str:
    """An IIN with only its last four digits shown, for lists that do not need the whole number."""
    return pii.mask_iin(str(value or ""))


@register.filter(name="weekday_short")
def weekday_short_filter(day) -> str:
    """The weekday's abbreviation in the page's language (Дс, Сс… in Kazakh)."""
    from core.dates import weekday_short

    return weekday_short(day) if day else ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key, [])


@register.filter
def nowrap(value):
    """Keep a value such as an application number (26-0000013) on one line, also inside a translation."""
    from django.utils.html import format_html

    return format_html('<span class="text-nowrap">{}</span>', value)
