"""Two people change one cell at the same moment, on PostgreSQL: no lost mark, no 500, both kept."""

import datetime
import uuid

import pytest
import time_machine
from django.db import connection

from core.errors import Conflict
from tests.concurrency import race
from tests.factories import make_participants
from tests.training.helpers import make_group, put
from training import services
from training.models import AttendanceChange, AttendanceMark, MarkKind

MID_COURSE = datetime.datetime(2026, 12, 21, 4, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(MID_COURSE, tick=False):
        yield


@pytest.mark.django_db(transaction=True)
def test_two_trainers_change_one_cell_at_once(chamber_user, trainer, stream, modules, district):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks")
    group = make_group(chamber_user, stream, "Group A", trainers=[trainer])
    put(chamber_user, group, make_participants(district, stream, 1))
    member = group.memberships.current().get()
    day = group.days.get(date=MID_COURSE.date())
    services.attendance_mark(
        actor=trainer, group_id=group.pk, membership_id=member.pk, day_id=day.pk, kind=MarkKind.PRESENT
    )

    def change(kind, actor):
        return lambda: services.attendance_mark(
            actor=actor, group_id=group.pk, membership_id=member.pk, day_id=day.pk, kind=kind, expected_version=1
        )

    outcomes = race([change(MarkKind.LATE, trainer), change(MarkKind.UNEXCUSED, chamber_user)])

    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    saved = [o for o in outcomes if isinstance(o, AttendanceMark)]
    assert len(conflicts) == 1 and len(saved) == 1
    stored = AttendanceMark.objects.get()
    assert stored.kind == saved[0].kind and stored.version == 2
    assert list(AttendanceChange.objects.order_by("version").values_list("new_kind", flat=True)) == [
        MarkKind.PRESENT,
        saved[0].kind,
    ]


@pytest.mark.django_db(transaction=True)
def test_one_offline_mark_replayed_twice_at_once_is_saved_once(chamber_user, trainer, stream, modules, district):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks")
    group = make_group(chamber_user, stream, "Group A", trainers=[trainer])
    put(chamber_user, group, make_participants(district, stream, 1))
    member = group.memberships.current().get()
    day = group.days.get(date=MID_COURSE.date())
    key = uuid.uuid4()

    def replay():
        return services.attendance_mark(
            actor=trainer,
            group_id=group.pk,
            membership_id=member.pk,
            day_id=day.pk,
            kind=MarkKind.LATE,
            expected_version=0,
            client_id=key,
        )

    outcomes = race([replay, replay])

    assert all(isinstance(o, AttendanceMark) for o in outcomes), outcomes
    assert AttendanceMark.objects.count() == 1
    assert AttendanceChange.objects.count() == 1
