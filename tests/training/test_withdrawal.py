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
