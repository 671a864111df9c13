"""The loan rule and the loan arithmetic (financing/rules.py), and the rule as the graduate meets it
through the service on either side of a mid-year MCI change."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from financing import rules, services
from financing.models import Referral
from tests.factories import make_certified

pytestmark = pytest.mark.django_db

# MCI: 3,063 ₸ from 1 January 2022, 3,180 ₸ from 1 April 2022; 2,651 ₸ then 2,778 ₸ in 2020 (mci.csv).
CAP_MARCH_2022 = 8000 * 3063  # 24,504,000
CAP_APRIL_2022 = 8000 * 3180  # 25,440,000


@pytest.mark.parametrize(
    ("day", "cap"),
    [
        (datetime.date(2022, 3, 31), CAP_MARCH_2022),
        (datetime.date(2022, 4, 1), CAP_APRIL_2022),
        (datetime.date(2020, 3, 31), 8000 * 2651),
        (datetime.date(2020, 4, 1), 8000 * 2778),
        (datetime.date(2017, 1, 1), 8000 * 2269),
    ],
)
def test_the_cap_is_the_programme_cap_times_the_mci_in_force_on_the_day(programme, day, cap):
    assert rules.cap_on(programme, day).tenge == cap
    assert rules.check_request(programme, amount=cap, term_months=60, day=day).tenge == cap
    with pytest.raises(ValidationError) as refused:
        rules.check_request(programme, amount=cap + 1, term_months=60, day=day)
    assert "cap" in refused.value.message_dict["amount"][0]


def test_a_day_before_the_mci_table_begins_has_no_cap_and_is_refused_with_a_message(programme):
    with pytest.raises(ValidationError) as refused:
        rules.check_request(programme, amount=1_000_000, term_months=60, day=datetime.date(2016, 12, 31))
    assert "No MCI value is in force on" in refused.value.message_dict["amount"][0]


def test_the_term_is_bounded_by_the_longest_and_by_the_grace_period(programme):
    day = datetime.date(2026, 6, 1)
    assert rules.check_request(programme, amount=1, term_months=60, day=day)
    with pytest.raises(ValidationError) as refused:
        rules.check_request(programme, amount=1, term_months=61, day=day)
    assert refused.value.message_dict["term_months"] == ["The programme lends for at most 60 months."]
    with pytest.raises(ValidationError) as refused:
        rules.check_request(programme, amount=1, term_months=6, day=day)  # the grace period is 6 months
    assert "term_months" in refused.value.message_dict


@pytest.mark.parametrize("amount", [0, -5])
def test_the_amount_is_at_least_one_tenge(programme, amount):
    with pytest.raises(ValidationError) as refused:
        rules.check_request(programme, amount=amount, term_months=12, day=datetime.date(2026, 6, 1))
    assert "amount" in refused.value.message_dict


def _annuity(principal, annual_rate, months) -> Decimal:
    """The textbook formula, written apart from the code under test."""
    r = Decimal(annual_rate) / 1200
    return (Decimal(principal) * r / (1 - (1 + r) ** -months)).quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    ("principal", "rate", "months", "payment"),
    [
        (1_000_000, "6", 60, Decimal("19332.80")),
        (500_000, "12", 12, Decimal("44424.39")),
        (CAP_APRIL_2022, "6", 60, _annuity(CAP_APRIL_2022, 6, 60)),
    ],
)
def test_the_annuity_without_grace_matches_known_values(principal, rate, months, payment):
    result = rules.monthly_payment(principal, Decimal(rate), months)
    assert result.annuity_payment == payment
    assert result.grace_months == 0
    assert result.annuity_months == months


def test_with_grace_only_interest_is_paid_then_the_annuity_repays_everything_over_the_months_left():
    result = rules.monthly_payment(1_000_000, Decimal("6"), 60, grace_months=6)
    assert result.grace_payment == Decimal("5000.00")  # 1,000,000 × 0.5 %
    assert result.annuity_months == 54
    assert result.annuity_payment == _annuity(1_000_000, 6, 54) == Decimal("21176.86")
    assert result.total == Decimal("5000.00") * 6 + Decimal("21176.86") * 54


def test_a_zero_rate_repays_the_principal_in_equal_parts():
    result = rules.monthly_payment(600_000, Decimal("0"), 12, grace_months=2)
    assert (result.grace_payment, result.annuity_payment) == (Decimal("0.00"), Decimal("60000.00"))


def test_payments_are_decimals_rounded_to_the_tiyn():
    result = rules.monthly_payment(1_000_000, Decimal("6"), 60)
    assert isinstance(result.annuity_payment, Decimal)
    assert result.annuity_payment.as_tuple().exponent == -2


# Exact halves of a tiyn, where half up and banker's rounding (half to even) part: 6 % a year is
# exactly 0.5 % a month, so the interest is principal / 200; at 0 % the annuity is principal / n.
@pytest.mark.parametrize(
    ("principal", "rate", "months", "grace", "grace_payment", "annuity_payment"),
    [
        (2_000_001, "6", 12, 1, Decimal("10000.01"), None),  # 10 000.005: half even would say 10 000.00
        (1_000_025, "6", 12, 1, Decimal("5000.13"), None),  # 5 000.125: half even 5 000.12
        (1_000_035, "6", 12, 1, Decimal("5000.18"), None),  # 5 000.175: both up (7 is odd)
        (1, "0", 8, 0, Decimal("0.00"), Decimal("0.13")),  # 0.125: half even 0.12
        (5, "0", 8, 0, Decimal("0.00"), Decimal("0.63")),  # 0.625: half even 0.62
        (1_000_000, "0", 7, 0, Decimal("0.00"), Decimal("142857.14")),  # 142 857.1428…: below half, down
        (2_000_000, "0", 3, 0, Decimal("0.00"), Decimal("666666.67")),  # 666 666.666…: above half, up
    ],
)
def test_an_exact_half_tiyn_is_rounded_up_not_to_even(principal, rate, months, grace, grace_payment, annuity_payment):
    result = rules.monthly_payment(principal, Decimal(rate), months, grace_months=grace)
    assert result.grace_payment == grace_payment
    if annuity_payment is not None:
        assert result.annuity_payment == annuity_payment


# --- Through the service, on the day of the request --------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "cap"),
    [
        (datetime.datetime(2022, 3, 31, 12, tzinfo=datetime.UTC), CAP_MARCH_2022),
        (datetime.datetime(2022, 4, 1, 12, tzinfo=datetime.UTC), CAP_APRIL_2022),
    ],
)
@pytest.mark.parametrize("over", [0, 1])
def test_the_request_takes_the_cap_and_refuses_one_tenge_over_on_either_side_of_the_change(
    district, stream, chamber_user, programme, moment, cap, over
):
    (graduate,), _group = make_certified(district, stream, 1)
    with time_machine.travel(moment, tick=False):
        request = {
            "actor": graduate.applicant,
            "application_id": graduate.pk,
            "programme_id": programme.pk,
            "amount": cap + over,
            "term_months": 60,
            "purpose": "Бордақылау алаңы.",
        }
        if over:
            with pytest.raises(ValidationError) as refused:
                services.referral_request(**request)
            assert "cap" in refused.value.message_dict["amount"][0]
            assert not Referral.objects.exists()
        else:
            referral = services.referral_request(**request)
            assert (referral.cap_tenge, referral.amount, referral.requested_on) == (cap, cap, moment.date())
