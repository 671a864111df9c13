"""The lifecycle contract (applications/lifecycle.py): every move that ends the path, from every state in
which a stage keeps rows open for the application, closes all of them in the move's transaction.

Each application is walked to its state along the real path (tests/factories.py), with the rows the
stages open there; then the ending move is fired as the path fires it, and every declared query of
open rows must come back empty. A stage that declares rows and forgets to close them fails here; a
stage that declares rows in a state no builder below reaches fails the coverage test."""

import datetime

import pytest
import time_machine
from django.db import transaction

from accounts import policy
from accounts.models import Role
from applications import lifecycle, pathway
from applications.models import ENDED_STATUSES, Application, Status
from aptitude import services as aptitude_services
from aptitude.models import TestSession
from commissions import services as commission_services
from tests.commissions.helpers import make_case
from tests.factories import (
    StreamFactory,
    _commission_of,
    _office,
    _placed,
    make_accepted,
    make_bank,
    make_finished,
    make_frozen_plan,
    make_in_training,
    make_staff,
)
from tests.training.helpers import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _invited(district, stream):
    """Accepted, invited to an online test session, not submitted yet."""
    [application] = make_accepted(district, stream)
    make_bank(5)
    now = datetime.datetime.now(tz=datetime.UTC)
    aptitude_services.session_schedule(
        actor=_office(Role.CHAMBER, district),
        stream=stream,
        mode=TestSession.Mode.ONLINE,
        starts_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=1),
        questions_count=5,
    )
    return application


def _placed_one(district, stream):
    apps, _group, _trainer = _placed(district, stream, 1, trainer=None, group_name="Group P")
    return apps[0]


def _in_training(district, stream):
    return make_in_training(district, stream)[0][0]


def _case(district, stream):
    cases, _group = make_case(district, stream)
    return cases[0].application


def _in_a_session(district, stream):
    """Finished the course with a frozen plan, put in a defence session the chair has not confirmed."""
    [application], group = make_finished(district, stream)
    make_frozen_plan(application)
    commission = _commission_of(district)
    held_on = group.days.order_by("-date").first().date + datetime.timedelta(days=1)
    with time_machine.travel(datetime.datetime.combine(held_on, datetime.time(6), tzinfo=datetime.UTC)):
        commission_services.session_schedule(
            actor=commission.secretary,
            group_id=group.pk,
            held_on=held_on,
            place="Akimat hall",
            present_ids=[s.pk for s in commission.seats],
        )
    return application


# The state of the path → how to build an application there with the stages' rows open.
BUILDERS = {
    Status.ACCEPTED: _invited,
    Status.PLACED: _placed_one,
    Status.IN_TRAINING: _in_training,
    Status.EXPULSION_CASE: _case,
    Status.COURSE_FINISHED: _in_a_session,
}


def _ending_walks():
    holding = set().union(*(rows.states for rows in lifecycle.declared()))
    return sorted(
        (move.name, source)
        for move in pathway.moves()
        if move.target in ENDED_STATUSES
        for source in move.source
        if source in holding
    )


def test_every_stage_that_keeps_rows_open_declares_them():
    stages = {rows.stage for rows in lifecycle.declared()}
    assert {"aptitude", "training", "commissions"} <= stages
    assert _ending_walks(), "no ending move starts where a stage keeps rows open"


def test_every_state_with_open_rows_that_an_ending_leaves_has_a_builder():
    missing = {source for _name, source in _ending_walks()} - set(BUILDERS)
    assert not missing, f"build an application with its open rows in: {sorted(missing)}"


@pytest.mark.parametrize(("move_name", "source"), _ending_walks())
def test_an_ending_move_closes_every_open_row(district, move_name, source, monkeypatch):
    application = BUILDERS[source](district, StreamFactory())
    application.refresh_from_db()
    assert application.status == source
    holding = [rows for rows in lifecycle.declared() if source in rows.states]
    opened = [f"{rows.stage}: {rows.name}" for rows in holding if rows.rows(application).exists()]
    assert opened, f"the builder for {source} opened none of the rows declared there"

    # Who may make the move is the policy's business (its own tests); here every move is made.
    monkeypatch.setattr(policy, "require", lambda *args, **kwargs: None)
    actor = make_staff(Role.ADMIN)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        pathway.fire(locked, move_name, actor=actor, reason="Lifecycle walk")
        left_open = [f"{rows.stage}: {rows.name}" for rows in lifecycle.declared() if rows.rows(locked).exists()]
    assert not left_open, f"{move_name} from {source} left open: {left_open}"
