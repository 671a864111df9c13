"""The shared factories walk the real path to where they say."""

from applications.models import Status, StatusChange
from tests.factories import DistrictFactory, StreamFactory, make_finished


def test_make_finished_walks_participants_to_the_end_of_the_course(db):
    district = DistrictFactory()
    apps, group = make_finished(district, StreamFactory(), 3, missed=2)
    assert {a.status for a in apps} == {Status.COURSE_FINISHED}
    assert StatusChange.objects.filter(application=apps[0], move="training.finish").count() == 1
    assert group.memberships.current().count() == 3
