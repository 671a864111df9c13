"""The interface later stages use: the frozen version, found one query at a time or for many."""

import pytest
from django.urls import reverse

from accounts.models import Role
from plans import selectors
from tests.factories import DistrictFactory, StreamFactory, make_finished, make_frozen_plan, make_staff


@pytest.fixture
def finished(db):
    district = DistrictFactory()
    apps, group = make_finished(district, StreamFactory(), 2)
    return apps


def test_make_frozen_plan_walks_draft_submit_freeze(finished):
    version = make_frozen_plan(finished[0])
    assert version.number == 1 and version.frozen_at is not None
    assert version.plan.application == finished[0]
    assert version.figures.loan_need == 2_200_000
    assert version.figures.payback_months == 10  # 2 500 000 / 250 000


def test_frozen_version_of_and_for(finished, django_assert_num_queries):
    version = make_frozen_plan(finished[0])
    with django_assert_num_queries(1):
        assert selectors.frozen_version_of(finished[0]) == version
    with django_assert_num_queries(1):
        assert selectors.frozen_version_of(finished[1]) is None
    with django_assert_num_queries(1):
        found = selectors.frozen_versions_for([a.pk for a in finished])
    assert found == {finished[0].pk: version}


def test_a_commission_member_of_the_area_opens_the_frozen_version(finished, client):
    version = make_frozen_plan(finished[0])
    member = make_staff(Role.COMMISSION, district=finished[0].district)
    client.force_login(member)
    response = client.get(reverse("plans:version", args=[version.code]))
    assert response.status_code == 200
    assert "Қой шаруашылығы" in response.content.decode()
    client.force_login(make_staff(Role.COMMISSION, district=DistrictFactory()))
    assert client.get(reverse("plans:version", args=[version.code])).status_code == 404
