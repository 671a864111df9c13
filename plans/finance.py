"""The financial plan's arithmetic, in one place: whole tenge as Python ints, never floats.

A financial plan is a small table of start-up costs (item, amount), the monthly revenue, the monthly
costs and the participant's own funds. From it:

    loan need       = max(0, start-up total − own funds)
    monthly profit  = monthly revenue − monthly costs          (may be negative)
    payback, months = ceil(start-up total / monthly profit)    when the profit is above 0, else None ("never")

Input comes from a form or JSON as text, int or Decimal; `parse_amount` turns it into an int or
raises ValidationError with a message for the field. A float is refused outright: 0.1 + 0.2 is not
0.3 in binary, and money must be exact.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_AMOUNT = 10**11  # 100 billion tenge: far above any Bastau project, far below overflow
MAX_ITEMS = 30
ITEM_MAX_LENGTH = 200
_AS_TYPED = re.compile(r"[-+]?[0-9]+(\.[0-9]+)?")


@dataclass
class FinancialPlan:
    startup: list[tuple[str, int]] = field(default_factory=list)  # (item, amount)
    monthly_revenue: int = 0
    monthly_costs: int = 0
    own_funds: int = 0


@dataclass(frozen=True)
class Figures:
    startup_total: int
    loan_need: int
    monthly_profit: int
    payback_months: int | None  # None: the plan never pays back (no profit)


def parse_amount(value, *, field_label: str = "") -> int:
    """Whole tenge from a form's text ("1 500 000", "1500000", "1500000.00"), an int or a Decimal.
    Empty means 0. Refused: floats, fractions of a tenge, negatives, above MAX_AMOUNT, anything else."""
    if isinstance(value, float):  # never converted: 0.1 + 0.2 is not 0.3 in binary
        raise ValidationError(_("Enter the amount in whole tenge as a number."), code="float")
    if isinstance(value, bool):
        raise ValidationError(_("Enter the amount in whole tenge as a number."), code="invalid")
    if value is None or value == "":
        return 0
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
        if text == "":
            return 0
        if not _AS_TYPED.fullmatch(text):  # digits, an optional sign and fraction: no "1e3", no "NaN"
            raise ValidationError(_("Enter the amount in whole tenge as a number."), code="invalid")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("Enter the amount in whole tenge as a number."), code="invalid") from None
    else:
        raise ValidationError(_("Enter the amount in whole tenge as a number."), code="invalid")
    if not number.is_finite():
        raise ValidationError(_("Enter the amount in whole tenge as a number."), code="invalid")
    if number != number.to_integral_value():
        raise ValidationError(_("Enter the amount in whole tenge, without tiyn."), code="fraction")
    if number < 0:
        raise ValidationError(_("The amount cannot be negative."), code="negative")
    if number > MAX_AMOUNT:
        raise ValidationError(
            _("The amount cannot be above %(max)s tenge.") % {"max": f"{MAX_AMOUNT:,}".replace(",", " ")},
            code="too_large",
        )
    return int(number)


def figures(plan: FinancialPlan) -> Figures:
    startup_total = sum(amount for _item, amount in plan.startup)
    profit = plan.monthly_revenue - plan.monthly_costs
    payback = None
    if profit > 0:
        payback = -(-startup_total // profit)  # ceiling division on ints: exact, no float
    return Figures(
        startup_total=startup_total,
        loan_need=max(0, startup_total - plan.own_funds),
        monthly_profit=profit,
        payback_months=payback,
    )


def clean(data: dict) -> FinancialPlan:
    """A FinancialPlan from submitted data ({"startup": [{"item", "amount"}], "monthly_revenue", ...}),
    or ValidationError naming each field that is wrong ("startup-3-amount", "own_funds", ...)."""
    errors: dict[str, list[str]] = {}
    rows = data.get("startup") or []
    if not isinstance(rows, list):
        rows = []
    if len(rows) > MAX_ITEMS:
        errors["startup"] = [_("At most %(n)s start-up cost items.") % {"n": MAX_ITEMS}]
        rows = rows[:MAX_ITEMS]
    startup: list[tuple[str, int]] = []
    for n, row in enumerate(rows):
        if not isinstance(row, dict):
            continue
        item = str(row.get("item") or "").strip()
        raw_amount = row.get("amount")
        if not item and raw_amount in (None, "", 0):
            continue  # an empty row of the table
        try:
            amount = parse_amount(raw_amount)
        except ValidationError as exc:
            errors[f"startup-{n}-amount"] = exc.messages
            amount = 0
        if len(item) > ITEM_MAX_LENGTH:
            errors[f"startup-{n}-item"] = [_("At most %(n)s characters.") % {"n": ITEM_MAX_LENGTH}]
        elif not item:
            errors[f"startup-{n}-item"] = [_("Name the cost.")]
        startup.append((item[:ITEM_MAX_LENGTH], amount))
    values = {}
    for name in ("monthly_revenue", "monthly_costs", "own_funds"):
        try:
            values[name] = parse_amount(data.get(name))
        except ValidationError as exc:
            errors[name] = exc.messages
            values[name] = 0
    plan = FinancialPlan(startup=startup, **values)
    if not errors and sum(amount for _item, amount in startup) > MAX_AMOUNT:
        errors["startup"] = [
            _("The start-up costs cannot add up to more than %(max)s tenge.")
            % {"max": f"{MAX_AMOUNT:,}".replace(",", " ")}
        ]
    if errors:
        raise ValidationError(errors)
    return plan


def as_json(plan: FinancialPlan) -> dict:
    """What is stored (amounts as JSON integers: exact, and no float ever enters)."""
    return {
        "startup": [{"item": item, "amount": amount} for item, amount in plan.startup],
        "monthly_revenue": plan.monthly_revenue,
        "monthly_costs": plan.monthly_costs,
        "own_funds": plan.own_funds,
    }


def from_json(data: dict | None) -> FinancialPlan:
    """The stored table back (written by as_json, so already clean)."""
    data = data or {}
    return FinancialPlan(
        startup=[(row["item"], int(row["amount"])) for row in data.get("startup", [])],
        monthly_revenue=int(data.get("monthly_revenue", 0)),
        monthly_costs=int(data.get("monthly_costs", 0)),
        own_funds=int(data.get("own_funds", 0)),
    )
