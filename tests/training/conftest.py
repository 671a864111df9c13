import pytest
import time_machine

from accounts.models import Role
from tests.factories import StreamFactory, make_modules, make_staff
from tests.training.helpers import NOW


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def stream(db):
    return StreamFactory()  # the course starts on Monday 7 December 2026: 25 teaching days, 12 modules


@pytest.fixture
def modules(db):
    return make_modules()


@pytest.fixture
def chamber_user(district):
    return make_staff(Role.CHAMBER, district=district)


@pytest.fixture
def trainer(district):
    return make_staff(Role.TRAINER, district=district)
