"""seed_demo's group under way: one participant warned at the limit, one with an open case, all through
the services, and safe to run again."""

import pytest
from django.core.management import call_command

from applications.models import Status
from training.models import AbsenceDocument, AbsenceWarning, AttendanceMark, ExpulsionCase, MarkKind, TrainingGroup

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_group_mid_course_with_a_warning_and_an_open_case(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    group = TrainingGroup.objects.get(name="Бастау-0")
    assert AttendanceMark.objects.filter(group=group).exists()
    case = ExpulsionCase.objects.get(membership__group=group, state=ExpulsionCase.State.OPEN)
    # Warned at the limit: the one who stays there, and the one with a case (warned on the way past it).
    warned = AbsenceWarning.objects.filter(membership__group=group).exclude(membership=case.membership_id).get()
    assert warned.missed == group.stream.absence_limit
    assert warned.membership.application.status == Status.IN_TRAINING
    assert case.application.status == Status.EXPULSION_CASE
    assert len(case.missed_days) == group.stream.absence_limit + 1
    assert {m.application.status for m in group.memberships.exclude(pk=case.membership_id)} == {Status.IN_TRAINING}

    # The participant at the limit brought a note for an excused day: its photo is attached.
    document = AbsenceDocument.objects.get(group=group)
    assert document.mark.kind == MarkKind.EXCUSED and document.mark.membership == warned.membership
    assert document.content_type == "image/png"

    call_command("seed_demo")
    assert TrainingGroup.objects.filter(name="Бастау-0").count() == 1
    assert AbsenceDocument.objects.count() == 1
    assert ExpulsionCase.objects.count() == 1
