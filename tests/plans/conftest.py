import pytest

from accounts.models import Role
from tests.factories import DistrictFactory, StreamFactory, make_in_training, make_staff


@pytest.fixture
def stream(db):
    return StreamFactory()


@pytest.fixture
def trained(district, stream):
    """Two participants in training in `district`, group T, with its trainer."""
    apps, group = make_in_training(district, stream, 2)
    return apps, group


@pytest.fixture
def participant(trained):
    return trained[0][0]


@pytest.fixture
def group(trained):
    return trained[1]


@pytest.fixture
def trainer(group):
    return group.trainers.get()


@pytest.fixture
def chamber(district):
    return make_staff(Role.CHAMBER, district=district)


@pytest.fixture
def other_trainer(district):
    """A trainer of the same district who does not train the group."""
    return make_staff(Role.TRAINER, district=district)


@pytest.fixture
def other_chamber(db):
    return make_staff(Role.CHAMBER, district=DistrictFactory())
