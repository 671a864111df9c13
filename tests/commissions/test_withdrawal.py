"""A participant who leaves the programme while a commission holds something of theirs: the lifecycle
contract (applications/lifecycle.py) takes them out of the session and the case queue."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from applications import lifecycle
from applications import services as application_services
from applications.models import Status
from commissions import selectors, services
from commissions.models import Defence
from tests.commissions.helpers import make_case
from tests.factories import _commission_of, make_finished, make_frozen_plan, score_all
from training.models import ExpulsionCase

pytestmark = pytest.mark.django_db


def _scheduled(district, stream):
    apps, group = make_finished(district, stream, 2)
    for application in apps:
        make_frozen_plan(application)
    commission = _commission_of(district)
    held_on = group.days.order_by("-date").first().date + datetime.timedelta(days=1)
    at = datetime.datetime.combine(held_on, datetime.time(6), tzinfo=datetime.UTC)
    with time_machine.travel(at, tick=False):
        session = services.session_schedule(
            actor=commission.secretary,
            group_id=group.pk,
            held_on=held_on,
            place="Akimat hall",
            present_ids=[s.pk for s in commission.seats],
        )
    return apps, commission, session, at


def test_the_chairs_confirmation_skips_one_who_moved_meanwhile_and_names_them(district, stream, login, monkeypatch):
    """An entry left from before the contract (its closer off here): the page confirms the others and
    says who was skipped, instead of a Conflict for the whole group."""
    monkeypatch.delitem(lifecycle._DECLARED, ("commissions", "defence entry"))
    apps, commission, session, at = _scheduled(district, stream)
    leaving, staying = apps
    with time_machine.travel(at, tick=False):
        application_services.application_withdraw(application_id=leaving.pk, actor=leaving.applicant)
        score_all(session, commission.seats)
        response = login(commission.chair).post(
            reverse("commissions:confirm", args=[session.code]), {"confirm": "1"}, follow=True
        )
    assert f"1 skipped: withdrawn meanwhile ({leaving.full_name})." in response.text
    session.refresh_from_db()
    staying.refresh_from_db()
    assert session.is_confirmed and staying.status == Status.DEFENDED


def test_a_withdrawal_after_the_session_is_scheduled_leaves_the_others_to_be_confirmed(district, stream):
    apps, group = make_finished(district, stream, 2)
    for application in apps:
        make_frozen_plan(application)
    commission = _commission_of(district)
    held_on = group.days.order_by("-date").first().date + datetime.timedelta(days=1)
    with time_machine.travel(datetime.datetime.combine(held_on, datetime.time(6), tzinfo=datetime.UTC), tick=False):
        session = services.session_schedule(
            actor=commission.secretary,
            group_id=group.pk,
            held_on=held_on,
            place="Akimat hall",
            present_ids=[s.pk for s in commission.seats],
        )
        leaving, staying = apps
        application_services.application_withdraw(application_id=leaving.pk, actor=leaving.applicant)
        score_all(session, commission.seats)
        confirmed = services.session_confirm(actor=commission.chair, session_id=session.pk)

    assert confirmed.session.is_confirmed
    assert not Defence.objects.filter(application=leaving).exists()
    staying.refresh_from_db()
    leaving.refresh_from_db()
    assert (staying.status, leaving.status) == (Status.DEFENDED, Status.WITHDRAWN)
    assert leaving.changes.filter(to_status=Status.WITHDRAWN).exists()  # the history keeps the withdrawal


def test_a_withdrawn_participants_case_leaves_the_commissions_queue(district, stream):
    cases, _group = make_case(district, stream)
    case = cases[0]
    commission = _commission_of(district)
    assert case in selectors.open_cases_for(commission.secretary)

    application_services.application_withdraw(application_id=case.application_id, actor=case.application.applicant)

    case.refresh_from_db()
    assert case.state == ExpulsionCase.State.PATH_ENDED
    assert case.closed_at is not None
    assert case not in selectors.open_cases_for(commission.secretary)
