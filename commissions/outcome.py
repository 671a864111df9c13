"""The commission's rules, in one place: the quorum of a sitting and the outcome of a defence.

- **Quorum**: at least `commission.quorum_min` members present (default 3) and more than half of the
  commission's members in term on the day. Without it neither a defence session is confirmed nor an
  expulsion case decided.
- **Outcome of a defence**: absent → not defended. Otherwise every member present scores it on the
  commission's criteria; the mean of the members' totals, as a share of the maximum total, must reach
  the commission's threshold (default 60 %): exactly at the threshold is defended.
  The comparison is made in integers (sum of totals × 100 ≥ threshold × maximum × members), so no
  rounding decides a boundary case; the percentage shown is rounded to two decimals.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Quorum:
    present: int
    in_term: int
    minimum: int

    @property
    def needed(self) -> int:
        return max(self.minimum, self.in_term // 2 + 1)

    @property
    def reached(self) -> bool:
        return self.present >= self.minimum and 2 * self.present > self.in_term

    def message(self) -> str:
        return _(
            "No quorum: %(present)s members present; at least %(needed)s are needed (%(minimum)s or more, "
            "and more than half of the %(in_term)s members in term)."
        ) % {"present": self.present, "needed": self.needed, "minimum": self.minimum, "in_term": self.in_term}


def quorum(present: int, in_term: int, minimum: int) -> Quorum:
    return Quorum(present=present, in_term=in_term, minimum=minimum)


@dataclass(frozen=True)
class Result:
    defended: bool | None  # None: not every member present has scored yet
    percent: Decimal | None
    absent: bool = False


def percent_of(totals: list[int], max_total: int) -> Decimal | None:
    if not totals or max_total <= 0:
        return None
    value = Decimal(sum(totals)) * 100 / (Decimal(max_total) * len(totals))
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def defence_result(
    *, absent: bool, totals: list[int], members_present: int, max_total: int, threshold: Decimal
) -> Result:
    """The outcome of one defence from the totals of the members who scored it."""
    if absent:
        return Result(defended=False, percent=None, absent=True)
    if members_present == 0 or len(totals) < members_present or max_total <= 0:
        return Result(defended=None, percent=percent_of(totals, max_total))
    defended = Decimal(sum(totals)) * 100 >= Decimal(threshold) * max_total * len(totals)
    return Result(defended=defended, percent=percent_of(totals, max_total))
