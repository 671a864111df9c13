"""The group page and the participant's status page cost the same queries for 5 members as for 100."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_participants
from tests.training.helpers import make_group, put

pytestmark = pytest.mark.django_db

# The login session, the user, the user's organisation (their scope), the group with its stream, year,
# district and region, its trainers, its members, its teaching days with modules, and the other groups
# of the stream with their trainers (for the move form): 9 observed; and the attendance figures: the
# rate (one aggregate over the group's marks) and the participants at risk (one query): 11.
GROUP_PAGE_MOST = 11
# The status page of a placed participant, query by query:
#  1 the login session, 2 the user,
#  3 the application with its stream, year, district, region, office and list,
#  4 its history with who made each change, 5 its documents,
#  6 the aptitude panel: the attempt with its session,
#  7 the training panel: the current place with its group and stream, 8 the group's teaching days with
#  their modules, 9 the participant's attendance marks (warning, progress and the day list come from
#  them), 10 the group's trainers.
STATUS_PAGE_QUERIES = 10


@pytest.fixture
def group(chamber_user, stream, modules, trainer):
    make_group(chamber_user, stream, "Group B", trainers=[trainer])  # so the page lists another group to move to
    return make_group(chamber_user, stream, "Group A", capacity=200, trainers=[trainer])


def count_queries(client, url) -> tuple[int, str]:
    client.get(url)  # warm up whatever a first request loads
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.text


def test_the_group_page_makes_as_many_queries_for_100_members_as_for_5(login, chamber_user, district, stream, group):
    client = login(chamber_user)
    url = reverse("training:group", args=[group.code])
    put(chamber_user, group, make_participants(district, stream, 5))
    for_5, page = count_queries(client, url)
    assert page.count('data-testid="member"') == 5

    put(chamber_user, group, make_participants(district, stream, 95))
    for_100, page = count_queries(client, url)

    assert page.count('data-testid="member"') == 100
    assert for_5 == for_100
    assert for_100 == GROUP_PAGE_MOST  # exactly: a new query per member would show at 100


def test_the_participants_status_page_makes_as_many_queries_in_a_group_of_100_as_of_5(
    login, chamber_user, district, stream, group
):
    participant, *others = make_participants(district, stream, 5)
    put(chamber_user, group, [participant, *others])
    client = login(participant.applicant)
    url = reverse("applications:status", args=[participant.code])
    for_5, page = count_queries(client, url)
    assert 'data-testid="group-card"' in page

    put(chamber_user, group, make_participants(district, stream, 95))
    for_100, page = count_queries(client, url)

    assert group.memberships.current().count() == 100
    assert 'data-testid="group-card"' in page
    assert for_5 == for_100
    assert for_100 == STATUS_PAGE_QUERIES
