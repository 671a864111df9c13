import pytest

from accounts.models import Role
from tests.factories import StreamFactory, make_staff


@pytest.fixture
def stream(db):
    return StreamFactory()


@pytest.fixture
def chamber_user(district):
    return make_staff(Role.CHAMBER, district=district)


@pytest.fixture
def other_chamber(other_district):
    """The Chamber branch of another district: must not issue, see or revoke `district`'s certificates."""
    return make_staff(Role.CHAMBER, district=other_district)
