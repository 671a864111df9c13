import datetime

import pytest
import time_machine

from accounts.models import Role
from programme.loader import load_mci
from tests.factories import StreamFactory, make_certified, make_loan_programme, make_officer, make_staff

# The course of StreamFactory's stream starts on 7 December 2026 and ends (25 teaching days) in
# January 2027; make_certified moves the clock to the day after for the marks and comes back here.
NOW = datetime.datetime(2027, 2, 1, 6, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _mci(db):
    load_mci()


@pytest.fixture
def stream(db):
    return StreamFactory()


@pytest.fixture
def chamber_user(district):
    return make_staff(Role.CHAMBER, district=district)


@pytest.fixture
def programme(db):
    return make_loan_programme()


@pytest.fixture
def officer(programme):
    return make_officer(programme.lender)


@pytest.fixture
def graduates(district, stream, chamber_user):
    return make_certified(district, stream, 3)[0]


@pytest.fixture
def graduate(graduates):
    return graduates[0]
