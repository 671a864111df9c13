"""The loan rule and the loan arithmetic, in one place (DOMAIN.md "Loans", docs/decisions.md).

- The cap in tenge is the programme's cap in MCI × the MCI in force on the day of the request
  (programme.selectors.mci_on: the latest value that took effect on or before that day). A day
  before the MCI table begins has no cap, so a request on it is refused.
- The amount is a whole number of tenge, at least 1 and at most the cap; the term is at least one
  month longer than the grace period and at most the programme's longest term.
- The monthly payment: during the grace period interest only; then an annuity that repays the
  whole amount over the months left, at the programme's rate. Decimal throughout, rounded half up
  to the tiyn (0.01 tenge) once, at the end.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from programme.selectors import mci_on

TIYN = Decimal("0.01")


@dataclass(frozen=True)
class Cap:
    day: datetime.date
    mci_tenge: int
    cap_mci: int

    @property
    def tenge(self) -> int:
        return self.cap_mci * self.mci_tenge


def cap_on(programme, day: datetime.date) -> Cap:
    """The programme's cap on the day, or a ValidationError (on the amount) when no MCI was in force."""
    try:
        mci = mci_on(day)
    except LookupError:
        raise ValidationError(
            {
                "amount": _("No MCI value is in force on %(day)s, so the loan cap cannot be worked out for that day.")
                % {"day": date_format(day, "SHORT_DATE_FORMAT")}
            },
            code="no_mci",
        ) from None
    return Cap(day=day, mci_tenge=mci, cap_mci=programme.cap_mci)


def check_request(programme, *, amount: int, term_months: int, day: datetime.date) -> Cap:
    """Refuse an amount or term the programme does not allow on the day; return the day's cap."""
    errors: dict[str, str] = {}
    cap = None
    try:
        cap = cap_on(programme, day)
    except ValidationError as exc:
        errors.update({field: messages[0] for field, messages in exc.message_dict.items()})
    if amount is None or amount < 1:
        errors["amount"] = _("The amount is a whole number of tenge, at least 1.")
    elif cap is not None and amount > cap.tenge:
        errors["amount"] = _(
            "The amount is above the programme's cap: %(cap)s tenge (%(mci)s MCI × %(value)s tenge)."
        ) % {
            "cap": f"{cap.tenge:,}".replace(",", " "),
            "mci": cap.cap_mci,
            "value": cap.mci_tenge,
        }
    shortest = programme.grace_months + 1
    if term_months is None or term_months < shortest:
        errors["term_months"] = _("The term is at least %(n)s months (the grace period and one month more).") % {
            "n": shortest
        }
    elif term_months > programme.max_term_months:
        errors["term_months"] = _("The programme lends for at most %(n)s months.") % {"n": programme.max_term_months}
    if errors or cap is None:
        raise ValidationError(errors)
    return cap


@dataclass(frozen=True)
class Payments:
    grace_months: int
    grace_payment: Decimal  # interest only, each month of the grace period
    annuity_months: int
    annuity_payment: Decimal  # each month after it

    @property
    def total(self) -> Decimal:
        return self.grace_payment * self.grace_months + self.annuity_payment * self.annuity_months


def monthly_payment(
    principal: int | Decimal, annual_rate: Decimal, term_months: int, grace_months: int = 0
) -> Payments:
    """The monthly payments of a loan of `principal` tenge at `annual_rate` % a year over `term_months`,
    the first `grace_months` of them interest only, the rest an annuity:

        payment = P · r / (1 − (1 + r)^−n),  r = rate / 12 / 100,  n = term − grace

    (P / n when the rate is 0). Rounded half up to the tiyn.
    """
    if term_months < 1 or grace_months < 0 or grace_months >= term_months:
        raise ValueError("The term must be longer than the grace period, and at least a month.")
    with localcontext() as ctx:
        ctx.prec = 34
        p = Decimal(principal)
        r = Decimal(annual_rate) / Decimal(1200)
        n = term_months - grace_months
        annuity = p / n if r == 0 else p * r / (1 - (1 + r) ** -n)
        interest_only = p * r
    return Payments(
        grace_months=grace_months,
        grace_payment=interest_only.quantize(TIYN, rounding=ROUND_HALF_UP),
        annuity_months=n,
        annuity_payment=annuity.quantize(TIYN, rounding=ROUND_HALF_UP),
    )
