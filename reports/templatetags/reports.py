from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value):
    """A count or an amount with the language's thousands separator; "—" when it is not known yet."""
    if value is None:
        return "—"
    return number_format(value, force_grouping=True)
