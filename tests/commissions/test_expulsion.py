"""The commission decides expulsion cases: expel (the participant leaves the group and cannot defend)
or keep, with the date and the members present; only the secretary of the commission serving the
participant's district records it."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.models import Role
from applications.models import Status, StatusChange
from commissions import services
from commissions.models import CaseDecision, CommissionMember
from core.errors import Conflict, NotFound, Refused
from tests.commissions.helpers import case_day, make_case
from tests.factories import DistrictFactory, make_commission, make_staff
from training import services as training_services
from training.models import ExpulsionCase, GroupMember, MarkKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def commission(district):
    return make_commission(district)


@pytest.fixture
def case(district, stream):
    cases, _group = make_case(district, stream)
    return cases[0]


def decide(
    commission, case, decision="expel", *, actor=None, on=None, present=None, reason="Four days missed, no reason"
):
    at = case_day(case)
    with time_machine.travel(at, tick=False):
        return services.case_decide(
            actor=actor or commission.secretary,
            case_id=case.pk,
            decision=decision,
            reason=reason,
            decided_on=on or at.date(),
            present_ids=[s.pk for s in commission.seats] if present is None else present,
        )


def test_the_case_lists_every_missed_day_for_the_commission(commission, case):
    assert case.state == ExpulsionCase.State.OPEN
    assert case.application.status == Status.EXPULSION_CASE
    assert [day["kind"] for day in case.missed_days] == [MarkKind.UNEXCUSED] * 4


def test_expelled_the_participant_leaves_the_group_is_told_why_and_cannot_defend(commission, case):
    record = decide(commission, case, "expel")

    case.refresh_from_db()
    application = case.application
    application.refresh_from_db()
    assert application.status == Status.EXPELLED
    assert case.state == ExpulsionCase.State.DECIDED and case.closed_reason == "Four days missed, no reason"
    assert set(record.present.all()) == set(commission.seats)
    place = GroupMember.objects.get(application=application)
    assert place.left_at is not None and place.left_reason == "Expelled by the commission"
    change = StatusChange.objects.filter(application=application).last()
    assert (change.move, change.reason, change.actor) == (
        "commissions.expel",
        "Four days missed, no reason",
        commission.secretary,
    )
    # Expelled ends the path: no move from it can start a defence.
    from applications.pathway import moves

    assert not [m for m in moves() if Status.EXPELLED in m.source]


def test_kept_the_participant_goes_back_to_training_and_only_a_new_missed_day_opens_a_new_case(commission, case):
    decide(commission, case, "keep", reason="Documents from the hospital brought late")
    application = case.application
    application.refresh_from_db()
    assert application.status == Status.IN_TRAINING
    group = case.membership.group
    trainer = group.trainers.get()
    days = list(group.days.order_by("date"))
    at = datetime.datetime.combine(days[6].date, datetime.time(6), tzinfo=datetime.UTC)
    with time_machine.travel(at, tick=False):
        # Present on day 5: the days already decided do not bring them back before the commission.
        training_services.attendance_mark(
            actor=trainer, group_id=group.pk, membership_id=case.membership_id, day_id=days[4].pk, kind=MarkKind.PRESENT
        )
        application.refresh_from_db()
        assert application.status == Status.IN_TRAINING
        assert ExpulsionCase.objects.filter(application=application, state="open").count() == 0
        training_services.attendance_mark(
            actor=trainer,
            group_id=group.pk,
            membership_id=case.membership_id,
            day_id=days[5].pk,
            kind=MarkKind.UNEXCUSED,
        )
    application.refresh_from_db()
    assert application.status == Status.EXPULSION_CASE
    assert ExpulsionCase.objects.filter(application=application, state="open").count() == 1


def test_the_decision_date_is_bounded_by_the_case_and_today(commission, case):
    opened = case.opened_at.date()
    with pytest.raises(ValidationError) as future:
        decide(commission, case, on=case_day(case).date() + datetime.timedelta(days=1))
    assert "decided_on" in future.value.error_dict
    with pytest.raises(ValidationError) as early:
        decide(commission, case, on=opened - datetime.timedelta(days=1))
    assert "decided_on" in early.value.error_dict
    assert not CaseDecision.objects.exists()


def test_the_members_present_are_the_commissions_in_term_and_make_a_quorum(district, commission, case):
    other = make_commission(DistrictFactory())
    with pytest.raises(ValidationError) as stranger:
        decide(commission, case, present=[commission.seats[0].pk, commission.seats[1].pk, other.seats[0].pk])
    assert "present" in stranger.value.error_dict
    with pytest.raises(ValidationError) as few:
        decide(commission, case, present=[commission.seats[0].pk, commission.seats[1].pk])
    assert "No quorum: 2 members present" in str(few.value.error_dict["present"])
    CommissionMember.objects.filter(pk=commission.seats[2].pk).update(term_to=datetime.date(2026, 1, 1))
    with pytest.raises(ValidationError):
        decide(commission, case)  # the third member's term is over


def test_only_the_secretary_of_the_commission_serving_the_district_records_it(district, commission, case):
    with pytest.raises(Refused):
        decide(commission, case, actor=commission.chair)
    with pytest.raises(Refused):
        decide(commission, case, actor=commission.seats[2].user)
    with pytest.raises(NotFound):
        decide(commission, case, actor=make_commission(DistrictFactory()).secretary)
    with pytest.raises(Refused):
        decide(commission, case, actor=make_staff(Role.CHAMBER, district=district))
    assert ExpulsionCase.objects.get(pk=case.pk).state == ExpulsionCase.State.OPEN


def test_a_secretary_whose_term_is_over_cannot_record(commission, case):
    CommissionMember.objects.filter(user=commission.secretary).update(term_to=datetime.date(2026, 11, 1))
    with pytest.raises(Refused):
        decide(commission, case)


def test_a_regional_commission_decides_for_the_districts_assigned_to_it(district, case):
    assigned = make_commission(region=district.region, serves=[district])
    decide(assigned, case, "keep", reason="Kept")
    assert ExpulsionCase.objects.get(pk=case.pk).state == ExpulsionCase.State.DECIDED


def test_a_regional_commission_not_assigned_the_district_cannot(district, case):
    unassigned = make_commission(region=district.region)
    with pytest.raises(NotFound):
        decide(unassigned, case)


def test_a_case_is_decided_once(commission, case):
    decide(commission, case, "keep", reason="Kept")
    with pytest.raises(Conflict):
        decide(commission, case, "expel")
    assert CaseDecision.objects.count() == 1
