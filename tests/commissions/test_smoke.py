from applications.models import Status
from tests.factories import make_defended_via_commission


def test_walk(district, stream):
    apps, session = make_defended_via_commission(district, stream, 2)
    assert {a.status for a in apps} == {Status.DEFENDED}
    assert session.protocol_state == "ready"
