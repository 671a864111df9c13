import pytest

from applications import services as application_services
from tests.factories import make_participants
from tests.training.helpers import make_group, put

pytestmark = pytest.mark.django_db


def test_a_participant_who_withdraws_gives_the_seat_back(district, stream, modules, chamber_user):
    group = make_group(chamber_user, stream, capacity=1)
    first, second = make_participants(district, stream, count=2)
    put(chamber_user, group, [first])
    application_services.application_withdraw(application_id=first.pk, actor=first.applicant)
    assert group.memberships.current().count() == 0
    left = group.memberships.get(application=first)  # the row stays, as history
    assert left.left_at is not None and left.left_reason == "Withdrew from the programme"
    put(chamber_user, group, [second])
    assert list(group.memberships.current().values_list("application", flat=True)) == [second.pk]


def test_the_withdraw_page_names_the_group_whose_place_is_given_up(client, district, stream, modules, chamber_user):
    """The training stage says, in its words, what a withdrawal ends; the page (an earlier stage's)
    lists it without knowing what a group is."""
    from django.urls import reverse

    group = make_group(chamber_user, stream, capacity=2)
    placed, waiting = make_participants(district, stream, count=2)
    put(chamber_user, group, [placed])
    client.force_login(placed.applicant)
    page = client.get(reverse("applications:withdraw", args=[placed.code]), HTTP_ACCEPT_LANGUAGE="en")
    assert f"the place in group {group.name} is given to someone else" in page.text
    client.force_login(waiting.applicant)
    page = client.get(reverse("applications:withdraw", args=[waiting.code]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "is given to someone else" not in page.text
