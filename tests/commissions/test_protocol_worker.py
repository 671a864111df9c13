"""A real Celery worker on Redis renders a session's protocol, queued through the outbox at confirmation."""

import os

import pytest

from tests.test_worker import _wait_until, redis_worker  # noqa: F401  the worker fixture

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="Redis is not reachable (REDIS_URL unset)"),
]


def test_a_real_worker_renders_the_protocol_in_kazakh_and_russian(redis_worker, stream):  # noqa: F811
    from commissions import tasks
    from commissions.models import DefenceSession, ProtocolState
    from tests.commissions.helpers import pdf_text
    from tests.factories import DistrictFactory, make_defended_via_commission

    district = DistrictFactory()
    apps, session = make_defended_via_commission(district, stream, 2, defended=True)
    ready = DefenceSession.objects.filter(pk=session.pk, protocol_state=ProtocolState.READY)
    _wait_until(ready.exists, seconds=60, what="the protocol's rendering")
    session.refresh_from_db()
    text = pdf_text(session.protocol.open("rb").read())
    assert "Қорғау отырысының хаттамасы" in text and "Протокол заседания по защите" in text
    assert all(a.last_name in text for a in apps)
    assert session.protocol_attempts == 1
    # Delivered again through the broker: the row is ready, nothing renders twice.
    tasks.render_protocol_task.delay(session.pk).get(timeout=20)
    session.refresh_from_db()
    assert session.protocol_attempts == 1


@pytest.fixture(autouse=True)
def _clock():
    """The real clock here: the worker thread waits on it (the factory moves it where it needs to)."""
    yield
