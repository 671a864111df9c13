"""The financial plan's arithmetic (plans/finance.py): whole tenge, never a float."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from plans import finance
from plans.finance import MAX_AMOUNT, FinancialPlan, figures, parse_amount


def plan(startup=(), revenue=0, costs=0, own=0) -> FinancialPlan:
    return FinancialPlan(
        startup=[(f"item {n}", a) for n, a in enumerate(startup)],
        monthly_revenue=revenue,
        monthly_costs=costs,
        own_funds=own,
    )


def test_loan_need_is_the_start_up_total_less_own_funds():
    result = figures(plan([2_000_000, 500_000], own=300_000))
    assert (result.startup_total, result.loan_need) == (2_500_000, 2_200_000)


def test_own_funds_above_the_costs_need_no_loan():
    assert figures(plan([1_000_000], own=1_000_000)).loan_need == 0
    assert figures(plan([1_000_000], own=5_000_000)).loan_need == 0


def test_payback_is_rounded_up_to_whole_months():
    assert figures(plan([2_500_000], revenue=400_000, costs=150_000)).payback_months == 10  # exactly 10
    assert figures(plan([2_500_001], revenue=400_000, costs=150_000)).payback_months == 11  # a tenge more: 11
    assert figures(plan([1], revenue=2, costs=1)).payback_months == 1


def test_no_profit_never_pays_back():
    assert figures(plan([1_000_000], revenue=100_000, costs=100_000)).payback_months is None
    loss = figures(plan([1_000_000], revenue=100_000, costs=150_000))
    assert (loss.monthly_profit, loss.payback_months) == (-50_000, None)


def test_nothing_to_start_with_pays_back_at_once():
    assert figures(plan([], revenue=10, costs=5)).payback_months == 0


def test_the_largest_amounts_stay_exact():
    # 10^11 / 3 in floats would be 33333333333.333332; in ints the ceiling is exact.
    result = figures(plan([MAX_AMOUNT], revenue=3, costs=0))
    assert result.payback_months == 33_333_333_334
    assert isinstance(result.payback_months, int)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1500000", 1_500_000),
        ("1 500 000", 1_500_000),
        ("1\u00a0500\u202f000", 1_500_000),
        ("1500000.00", 1_500_000),
        ("", 0),
        ("0", 0),
    ],
)
def test_amounts_as_typed(text, amount):
    assert parse_amount(text) == amount


def test_ints_and_decimals_are_taken_exactly():
    assert parse_amount(7) == 7
    assert parse_amount(Decimal("2500000.000")) == 2_500_000


@pytest.mark.parametrize("value", [0.1, 1500000.0, float("nan"), float("inf"), True])
def test_a_float_is_refused(value):
    with pytest.raises(ValidationError) as exc:
        parse_amount(value)
    assert exc.value.code == ("float" if isinstance(value, float) else "invalid")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1.5", "without tiyn"),
        (Decimal("0.01"), "without tiyn"),
        ("-1", "cannot be negative"),
        (str(MAX_AMOUNT + 1), "cannot be above 100 000 000 000"),
        ("abc", "as a number"),
        ("1e3", "as a number"),
        ("NaN", "as a number"),
        ([1], "as a number"),
    ],
)
def test_bad_amounts_are_refused_with_a_message(value, message):
    with pytest.raises(ValidationError) as exc:
        parse_amount(value)
    assert message in " ".join(exc.value.messages)


def test_the_maximum_itself_is_allowed():
    assert parse_amount(str(MAX_AMOUNT)) == MAX_AMOUNT


def test_clean_names_each_wrong_field():
    with pytest.raises(ValidationError) as exc:
        finance.clean(
            {
                "startup": [
                    {"item": "Қой", "amount": "100"},
                    {"item": "", "amount": "5"},
                    {"item": "Қора", "amount": "x"},
                ],
                "monthly_revenue": 0.5,
                "monthly_costs": "-3",
                "own_funds": "",
            }
        )
    assert set(exc.value.message_dict) == {"startup-1-item", "startup-2-amount", "monthly_revenue", "monthly_costs"}


def test_clean_skips_empty_rows_and_round_trips_through_json():
    cleaned = finance.clean(
        {"startup": [{"item": "Қой", "amount": "2 000 000"}, {"item": "", "amount": ""}], "monthly_revenue": "400000"}
    )
    assert cleaned.startup == [("Қой", 2_000_000)]
    stored = finance.as_json(cleaned)
    assert stored["startup"][0]["amount"] == 2_000_000 and isinstance(stored["startup"][0]["amount"], int)
    assert finance.from_json(stored) == cleaned


def test_too_many_rows_or_a_total_too_large_is_refused():
    with pytest.raises(ValidationError) as exc:
        finance.clean({"startup": [{"item": f"{n}", "amount": "1"} for n in range(finance.MAX_ITEMS + 1)]})
    assert "startup" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        finance.clean({"startup": [{"item": "a", "amount": str(MAX_AMOUNT)}, {"item": "b", "amount": "1"}]})
    assert "startup" in exc.value.message_dict
