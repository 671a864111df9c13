import pytest
import time_machine

from tests.factories import StreamFactory
from tests.training.helpers import NOW


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def stream(db):
    return StreamFactory()  # the course starts on Monday 7 December 2026: 25 teaching days, 12 modules
