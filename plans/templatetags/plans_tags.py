from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def tenge(value) -> str:
    """Whole tenge with thin spaces between thousands: 2 500 000 ₸ (an int, or text left as typed)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return "" if value in (None, "") else str(value)
    sign = "−" if value < 0 else ""
    return f"{sign}{abs(value):,}".replace(",", "\u202f") + "\u00a0₸"


@register.filter
def months(value) -> str:
    """A payback period: "10 months", or "never" when the plan makes no profit (None)."""
    if value is None:
        return _("never (no monthly profit)")
    return _("%(n)s months") % {"n": value}


@register.filter
def amount_input(value) -> str:
    """An amount as the form shows it, grouped with plain spaces ("2 500 000"), which the form reads back."""
    if isinstance(value, bool) or not isinstance(value, int):
        return "" if value in (None, "") else str(value)
    return f"{value:,}".replace(",", " ")
