"""Follow-ups six and twelve months after the certificate: made with the certificate's move, listed
when due for the Chamber branch of the district, recorded with a valid registration number."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from applications.models import StatusChange
from certificates import services as certificate_services
from core.errors import Conflict, NotFound, Refused
from financing import selectors, services
from financing.models import FollowUp
from financing.registration import validate_bin, validate_registration_number
from tests.factories import make_defended, make_iin, make_staff

pytestmark = pytest.mark.django_db

SIX_MONTHS_ON = datetime.datetime(2027, 8, 1, 6, tzinfo=datetime.UTC)  # the certificates are of 1 February 2027


@pytest.mark.parametrize(
    ("day", "months", "due"),
    [
        (datetime.date(2027, 2, 1), 6, datetime.date(2027, 8, 1)),
        (datetime.date(2027, 2, 1), 12, datetime.date(2028, 2, 1)),
        (datetime.date(2026, 8, 31), 6, datetime.date(2027, 2, 28)),  # a shorter month: its last day
        (datetime.date(2027, 8, 31), 6, datetime.date(2028, 2, 29)),  # a leap year
        (datetime.date(2027, 2, 28), 12, datetime.date(2028, 2, 28)),
        (datetime.date(2026, 12, 15), 6, datetime.date(2027, 6, 15)),  # across the new year
    ],
)
def test_due_dates(day, months, due):
    assert services.add_months(day, months) == due


def test_a_certificate_makes_two_follow_ups_dated_from_its_status_change(graduate):
    change = StatusChange.objects.get(application=graduate, move="certificates.completion")
    rows = list(FollowUp.objects.filter(application=graduate).order_by("milestone"))
    assert [(f.milestone, f.certified_on, f.due_on) for f in rows] == [
        (6, change.at.date(), datetime.date(2027, 8, 1)),
        (12, change.at.date(), datetime.date(2028, 2, 1)),
    ]
    assert {f.district_id for f in rows} == {graduate.district_id}


def test_a_certificate_of_participation_makes_them_too(district, stream):
    (not_defended,), _group = make_defended(district, stream, 1, defended=False, group_name="Group P")
    certificate_services.certificate_issue(
        actor=make_staff(Role.CHAMBER, district=district), application_id=not_defended.pk
    )
    assert FollowUp.objects.filter(application=not_defended).count() == 2


def test_the_due_list_shows_those_due_in_the_district_only(graduates, chamber_user, other_district):
    today = datetime.date(2027, 2, 1)
    assert list(selectors.followups_due(chamber_user, today)) == []
    due_day = datetime.date(2027, 8, 1)
    due = list(selectors.followups_due(chamber_user, due_day))
    assert [(f.application_id, f.milestone) for f in due] == [(g.pk, 6) for g in graduates]
    assert len(selectors.followups_due(chamber_user, datetime.date(2028, 2, 1))) == 6
    stranger = make_staff(Role.CHAMBER, district=other_district)
    assert list(selectors.followups_due(stranger, due_day)) == []
    # Roles that do not follow graduates up see none.
    assert (
        list(selectors.followups_due(make_staff(Role.EMPLOYMENT_CENTRE, district=graduates[0].district), due_day)) == []
    )


def _record(actor, follow_up, **overrides):
    values = {
        "business_opened": True,
        "registration_number": "971240001315",
        "sector": "agriculture",
        "jobs_created": 3,
        "loan_received": True,
    }
    values.update(overrides)
    return services.followup_record(actor=actor, follow_up_id=follow_up.pk, **values)


def test_recording_a_due_follow_up_takes_it_off_the_list(graduate, chamber_user):
    follow_up = FollowUp.objects.get(application=graduate, milestone=6)
    with time_machine.travel(SIX_MONTHS_ON, tick=False):
        recorded = _record(chamber_user, follow_up)
        assert (recorded.business_opened, recorded.registration_number, recorded.jobs_created) == (
            True,
            "971240001315",
            3,
        )
        assert follow_up not in selectors.followups_due(chamber_user, SIX_MONTHS_ON.date())
        with pytest.raises(Conflict):
            _record(chamber_user, follow_up)


def test_a_follow_up_not_yet_due_is_refused(graduate, chamber_user):
    with pytest.raises(Conflict):
        _record(chamber_user, FollowUp.objects.get(application=graduate, milestone=6))


def test_the_chamber_of_another_district_cannot_record_by_service_or_url(graduate, other_district, login):
    stranger = make_staff(Role.CHAMBER, district=other_district)
    follow_up = FollowUp.objects.get(application=graduate, milestone=6)
    with time_machine.travel(SIX_MONTHS_ON, tick=False):
        with pytest.raises(NotFound):
            _record(stranger, follow_up)
        assert login(stranger).get(reverse("financing:followup", args=[follow_up.code])).status_code == 404


def test_a_regional_chamber_sees_but_does_not_record(graduate, district):
    regional = make_staff(Role.CHAMBER, region=district.region)
    follow_up = FollowUp.objects.get(application=graduate, milestone=6)
    with time_machine.travel(SIX_MONTHS_ON, tick=False):
        assert follow_up in selectors.followups_due(regional, SIX_MONTHS_ON.date())
        with pytest.raises(Refused):
            _record(regional, follow_up)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"registration_number": "971240001316"}, "registration_number"),  # check digit wrong
        ({"registration_number": ""}, "registration_number"),
        ({"sector": ""}, "sector"),
        ({"jobs_created": 1001}, "jobs_created"),
        ({"jobs_created": -1}, "jobs_created"),
    ],
)
def test_recording_bounds(graduate, chamber_user, overrides, field):
    follow_up = FollowUp.objects.get(application=graduate, milestone=6)
    with time_machine.travel(SIX_MONTHS_ON, tick=False), pytest.raises(ValidationError) as refused:
        _record(chamber_user, follow_up, **overrides)
    assert set(refused.value.message_dict) == {field}


def test_no_business_needs_no_registration_number(graduate, chamber_user):
    follow_up = FollowUp.objects.get(application=graduate, milestone=6)
    with time_machine.travel(SIX_MONTHS_ON, tick=False):
        recorded = _record(
            chamber_user, follow_up, business_opened=False, registration_number="garbage", jobs_created=0
        )
    assert (recorded.business_opened, recorded.registration_number) == (False, "")


# --- Registration numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["971240001315", "940140000385"])
def test_a_bin_with_its_check_digit_is_valid(number):
    assert validate_bin(number) == number
    assert validate_registration_number(number) == number


@pytest.mark.parametrize(
    "number",
    [
        "971240001316",  # the check digit off by one
        "971240001314",
        "97124000131",  # 11 digits
        "97124000131a",
        "971340001319",  # month 13 (its check digit is right)
    ],
)
def test_a_mistyped_bin_is_refused(number):
    with pytest.raises(ValidationError):
        validate_bin(number)


def test_the_check_digit_of_a_bin_follows_the_iin_algorithm():
    from applications.iin import check_digit

    assert check_digit("97124000131") == 5
    assert check_digit("94014000038") == 5


def test_a_sole_proprietors_iin_is_valid_and_a_mistyped_one_refused():
    iin = make_iin()
    assert validate_registration_number(iin) == iin
    wrong = iin[:11] + str((int(iin[11]) + 1) % 10)
    with pytest.raises(ValidationError):
        validate_registration_number(wrong)
    assert validate_registration_number("061211600012") == "061211600012"  # DOMAIN.md's known-valid IIN
