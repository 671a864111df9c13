import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import StreamFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db

ROLE_HEADINGS = {
    Role.EMPLOYMENT_CENTRE: "Decide whether each applicant of your district belongs to the target group.",
    Role.AKIMAT: "Register residents of your rural district who wish to take part.",
    Role.CHAMBER: "Lists to accept",
    Role.TRAINER: "Your training groups",
    Role.COMMISSION: "Nothing is waiting for you yet.",
    Role.FINANCE: "Nothing is waiting for you yet.",
    Role.ANALYST: "Follow the programme's figures across your area.",
}


@pytest.mark.parametrize(("role", "duty"), ROLE_HEADINGS.items())
def test_each_staff_role_lands_on_a_home_page_made_for_it(login, district, role, duty):
    user = make_staff(role, district=district)
    response = login(user).get(reverse("portal:home"))
    assert response.status_code == 200
    assert duty in response.text
    assert user.organisation.name_en in response.text


def test_the_citizen_home_shows_the_pipeline(login, citizen):
    response = login(citizen).get(reverse("portal:home"))
    assert "Take the aptitude test when the Chamber invites you." in response.text
    assert "Colleagues" not in response.text  # no staff navigation for citizens


def test_the_administrator_sees_national_counts_and_the_admin_link(login, district):
    admin = UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)
    response = login(admin).get(reverse("portal:home"))
    assert response.context["regions"] == 1 and response.context["districts"] == 1
    assert reverse("admin:index") in response.text


def test_staff_home_counts_only_colleagues_of_their_area(login, district, other_district):
    user = make_staff(district=district)
    make_staff(Role.AKIMAT, district=district)
    make_staff(district=other_district)
    assert login(user).get(reverse("portal:home")).context["colleagues"] == 2


def test_anonymous_visitors_see_the_public_landing_page(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert "start your own business" in response.text


def test_home_lists_the_streams(login, centre_user):
    StreamFactory(number=3)
    assert "Stream 3 of 2026" in login(centre_user).get(reverse("portal:home")).text


def test_the_page_sends_a_content_security_policy(client):
    policy = client.get(reverse("portal:home"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_static_assets_are_served_locally_not_from_a_cdn(client):
    body = client.get(reverse("portal:home")).text
    assert "/static/bootstrap/css/bootstrap.min.css" in body
    assert "/static/django_htmx/htmx-2.min.js" in body
    assert "cdn" not in body.lower() and "https://" not in body.split("<body")[0]


@pytest.mark.parametrize("size", [1, 6])
@pytest.mark.parametrize("role", [Role.EMPLOYMENT_CENTRE, Role.CHAMBER])
def test_the_worklist_counts_link_to_the_work_in_a_fixed_number_of_queries(
    login, district, role, size, django_assert_num_queries
):
    from tests.factories import make_application

    for _ in range(size):
        make_application(district=district)
    user = make_staff(role, district=district)
    client = login(user)
    client.get(reverse("portal:home"))  # warm the session
    # session, user, organisation (scope), colleagues count, the applications aggregate, the lists
    # aggregate, the district (the organisation's area), streams; for the Chamber the groups count
    expected = 9 if role == Role.CHAMBER else 8
    with django_assert_num_queries(expected):
        response = client.get(reverse("portal:home"))
    items = {item.label: item for item in response.context["worklist"]}
    if role == Role.EMPLOYMENT_CENTRE:
        awaiting = items["Awaiting an eligibility decision"]
        assert awaiting.count == size and awaiting.url == reverse("applications:queue") + "?status=submitted"
        assert f'href="{awaiting.url}"' in response.text
    else:
        assert items["Lists to accept"].url == reverse("applications:lists")
