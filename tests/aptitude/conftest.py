import pytest
import time_machine

from accounts.models import Role
from tests.aptitude.helpers import NOW
from tests.factories import StreamFactory, make_staff


@pytest.fixture(autouse=True)
def _clock():
    """The morning the test sessions below open (time travel inside a test nests over this)."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def stream(db):
    return StreamFactory()


@pytest.fixture
def chamber_user(district):
    return make_staff(Role.CHAMBER, district=district)
