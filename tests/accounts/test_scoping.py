import pytest
from django.urls import reverse

from accounts.models import Organisation, Role, User
from accounts.scoping import scope_for
from tests.factories import DistrictFactory, OrganisationFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db


def test_district_staff_see_only_their_district(district, other_district):
    mine = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    neighbour = make_staff(Role.CHAMBER, district=district)
    stranger = make_staff(Role.EMPLOYMENT_CENTRE, district=other_district)
    visible = set(User.objects.visible_to(mine))
    assert {mine, neighbour} <= visible
    assert stranger not in visible
    assert set(Organisation.objects.visible_to(mine)) == {mine.organisation, neighbour.organisation}


def test_regional_staff_see_every_district_of_their_region_and_nothing_outside():
    district = DistrictFactory()
    same_region = DistrictFactory(region=district.region)
    elsewhere = DistrictFactory()
    analyst = make_staff(Role.CHAMBER, region=district.region)
    a, b = make_staff(district=district), make_staff(district=same_region)
    c = make_staff(district=elsewhere)
    visible = set(User.objects.visible_to(analyst))
    assert {a, b} <= visible and c not in visible


def test_national_staff_and_superusers_see_everything(district, other_district):
    people = [make_staff(district=district), make_staff(district=other_district)]
    analyst = make_staff(Role.ANALYST, national=True)
    root = UserFactory(is_superuser=True, role=Role.ADMIN)
    assert scope_for(analyst).national and scope_for(root).national
    assert set(people) <= set(User.objects.visible_to(analyst))


def test_citizens_see_no_staff_rows(citizen, centre_user):
    assert not User.objects.visible_to(citizen).exists()
    assert not Organisation.objects.visible_to(citizen).exists()


def test_colleagues_page_lists_own_district_and_never_another_district(login, centre_user, outsider):
    colleague = make_staff(Role.AKIMAT, district=centre_user.organisation.district)
    response = login(centre_user).get(reverse("accounts:colleagues"))
    assert response.status_code == 200
    body = response.text
    assert colleague.last_name in body and centre_user.last_name in body
    assert outsider.last_name not in body


@pytest.mark.parametrize("url_name", ["portal:home", "accounts:colleagues"])
def test_staff_without_an_organisation_get_a_clear_refusal_not_a_crash(client, url_name):
    orphan = UserFactory(role=Role.EMPLOYMENT_CENTRE, organisation=None)
    client.force_login(orphan, backend="accounts.backends.PhoneOrEmailBackend")
    response = client.get(reverse(url_name))
    assert response.status_code == 403
    assert "not attached to an organisation" in response.text


def test_staff_of_an_inactive_organisation_are_refused(login, district):
    user = make_staff(district=district)
    Organisation.objects.filter(pk=user.organisation_id).update(is_active=False)
    assert login(user).get(reverse("accounts:colleagues")).status_code == 403


def test_citizens_cannot_open_staff_pages(login, citizen):
    assert login(citizen).get(reverse("accounts:colleagues")).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("accounts:colleagues"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_organisation_takes_its_region_from_its_district():
    district = DistrictFactory()
    org = OrganisationFactory(district=district, region=None)
    assert org.region_id == district.region_id


def test_a_role_cannot_belong_to_the_wrong_kind_of_organisation(district):
    from django.core.exceptions import ValidationError

    lender = OrganisationFactory(kind="financial_institution", district=district)
    user = UserFactory.build(role=Role.EMPLOYMENT_CENTRE, organisation=lender)
    with pytest.raises(ValidationError) as info:
        user.full_clean(exclude=["password"])
    assert "organisation" in info.value.message_dict
