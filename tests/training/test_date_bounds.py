"""A group's course start and a test session's dates stay within the stream's year ± 1 (issue 9)."""

import pytest
from django.urls import reverse

from aptitude.models import TestSession
from tests.factories import make_accepted, make_bank
from training.models import TrainingGroup

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("course_start", ["9999-12-31", "0001-01-01", "2024-12-31", "2028-01-01"])
def test_a_group_starting_outside_the_streams_year_is_a_field_error_not_a_500(
    login, chamber_user, stream, modules, trainer, course_start
):
    response = login(chamber_user).post(
        reverse("training:groups"),
        {
            "stream": stream.pk,
            "name": "Group A",
            "place": "Akimat hall",
            "course_start": course_start,
            "capacity": 25,
            "trainers": [trainer.pk],
        },
    )
    assert response.status_code == 200
    assert "The course starts between 2025 and 2027" in response.text
    assert not TrainingGroup.objects.exists()


@pytest.mark.parametrize("starts_at", ["9999-12-01T09:00", "0001-12-01T09:00"])
def test_a_test_session_outside_the_streams_year_is_a_field_error(login, chamber_user, district, stream, starts_at):
    make_accepted(district, stream, 1)
    make_bank(20)
    response = login(chamber_user).post(
        reverse("aptitude:sessions"),
        {
            "stream": stream.pk,
            "mode": "online",
            "starts_at": starts_at,
            "closes_at": "9999-12-31T17:00",
            "place": "",
            "duration_minutes": 30,
            "questions_count": 20,
        },
    )
    assert response.status_code == 200
    assert "the stream&#x27;s year, give or take one" in response.text or "give or take one" in response.text
    assert not TestSession.objects.exists()
