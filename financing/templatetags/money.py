from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def tenge(value) -> str:
    """An amount of tenge in the page's number format, grouped: whole tenge as is, Decimal to the tiyn."""
    if value is None or value == "":
        return ""
    places = 2 if isinstance(value, Decimal) else 0
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
