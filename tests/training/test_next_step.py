"""The participant's next step names their group, its place and the first day."""

import pytest

from applications.next_step import next_steps_for
from tests.factories import make_participants
from tests.training.helpers import make_group, put

pytestmark = pytest.mark.django_db


def test_a_participant_in_a_group_is_told_the_group_the_place_and_the_first_day(
    district, stream, modules, chamber_user
):
    (application,) = make_participants(district, stream, 1)
    group = make_group(chamber_user, stream, name="Бастау-1", place="Қосшы, Абай көшесі 1")
    put(chamber_user, group, [application])
    application.refresh_from_db()

    (step,) = next_steps_for(application, application.applicant)

    assert step["title"] == "Come to your first day of training"
    assert "Бастау-1" in step["body"] and "Қосшы, Абай көшесі 1" in step["body"]
    assert group.course_start.strftime("%d.%m.%Y") in step["body"]
    assert step["url"].endswith("#group")


def test_a_participant_without_a_group_waits_for_one(district, stream):
    (application,) = make_participants(district, stream, 1)
    (step,) = next_steps_for(application, application.applicant)
    assert step["title"] == "Wait for your training group"
