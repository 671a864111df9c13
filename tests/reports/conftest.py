import pytest

from accounts.models import Role
from tests.factories import DistrictFactory, StreamFactory, make_staff


@pytest.fixture
def stream(db):
    return StreamFactory()


@pytest.fixture
def neighbour(district):
    """Another district of the same region."""
    return DistrictFactory(region=district.region)


@pytest.fixture
def analyst(db):
    return make_staff(Role.ANALYST, national=True)


@pytest.fixture
def regional(district):
    return make_staff(Role.CHAMBER, region=district.region)


@pytest.fixture
def district_user(district):
    return make_staff(Role.EMPLOYMENT_CENTRE, district=district)
