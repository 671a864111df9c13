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
