"""Lists of eligible applicants that the employment centre hands to the Chamber branch."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from applications.models import ApplicantList, Application, Status
from tests.factories import StreamFactory, make_application, make_staff

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 15, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock():
    """Mid-November 2026, while the stream below takes applications."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def stream(db):
    return StreamFactory()  # takes applications 1–30 November 2026


@pytest.fixture
def chamber_user(district):
    return make_staff(Role.CHAMBER, district=district)


def eligible(district, count=1, **overrides) -> list[Application]:
    """Applications of the district found eligible, in the stream open today."""
    return [make_application(district=district, status=Status.ELIGIBLE, **overrides) for _ in range(count)]


def gather(client, stream, **kwargs):
    return client.post(reverse("applications:list_create"), {"stream": stream.pk}, **kwargs)


def detail_url(applicant_list) -> str:
    return reverse("applications:list_detail", args=[applicant_list.code])


def act(client, applicant_list, action, data=None):
    url = reverse("applications:list_action", args=[applicant_list.code, action])
    return client.post(url, data or {}, follow=True)


def members(applicant_list) -> set[Application]:
    return set(Application.objects.filter(applicant_list=applicant_list))


@pytest.fixture
def draft(login, centre_user, district, stream):
    """A draft list of three eligible applicants of the centre's district."""
    people = eligible(district, 3)
    gather(login(centre_user), stream)
    return ApplicantList.objects.get(), people


@pytest.fixture
def sent(draft, login, centre_user):
    applicant_list, people = draft
    act(login(centre_user), applicant_list, "send")
    applicant_list.refresh_from_db()
    assert applicant_list.state == ApplicantList.State.SENT
    return applicant_list, people


# --- 1. Gathering ------------------------------------------------------------------------------


def test_it_gathers_only_the_eligible_unlisted_applicants_of_the_stream_in_its_district(
    login, centre_user, district, other_district, stream
):
    wanted = eligible(district, 3)
    earlier = StreamFactory(
        application_opens=datetime.date(2026, 10, 1),
        application_closes=datetime.date(2026, 10, 31),
        course_start=datetime.date(2026, 11, 2),
    )
    with time_machine.travel(datetime.datetime(2026, 10, 15, 12, tzinfo=datetime.UTC), tick=False):
        [of_earlier_stream] = eligible(district)
    assert of_earlier_stream.stream == earlier
    [elsewhere] = eligible(other_district)
    waiting = make_application(district=district)
    refused = make_application(district=district, status=Status.INELIGIBLE)

    client = login(centre_user)
    response = gather(client, stream)

    applicant_list = ApplicantList.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(applicant_list)
    assert members(applicant_list) == set(wanted)
    assert (applicant_list.number, applicant_list.district, applicant_list.stream) == (1, district, stream)
    assert applicant_list.state == ApplicantList.State.DRAFT
    page = client.get(detail_url(applicant_list)).text
    assert page.count('data-testid="list-member"') == 3
    for application in wanted:
        assert application.number in page
    for application in (of_earlier_stream, elsewhere, waiting, refused):
        assert application.number not in page
        application.refresh_from_db()
        assert application.applicant_list is None


def test_a_second_list_takes_only_the_newly_eligible_and_then_there_are_none_left(login, centre_user, district, stream):
    client = login(centre_user)
    first_members = eligible(district, 2)
    gather(client, stream)
    first = ApplicantList.objects.get()
    newcomers = eligible(district, 2)

    gather(client, stream)

    second = ApplicantList.objects.exclude(pk=first.pk).get()
    assert second.number == 2
    assert members(second) == set(newcomers)
    assert members(first) == set(first_members)

    response = gather(client, stream, follow=True)
    assert response.redirect_chain[-1][0] == reverse("applications:lists")
    assert "There are no eligible applicants of this stream that are not on a list yet." in response.text
    assert ApplicantList.objects.count() == 2


def test_a_chamber_user_cannot_gather_a_list(login, chamber_user, district, stream):
    eligible(district)
    assert gather(login(chamber_user), stream).status_code == 403
    assert not ApplicantList.objects.exists()


# --- 2. Draft, remove, send --------------------------------------------------------------------


def test_it_removes_an_applicant_from_a_draft_list_who_can_then_join_another(draft, login, centre_user, stream):
    applicant_list, (a, b, c) = draft
    client = login(centre_user)

    response = act(client, applicant_list, "remove", {"application": b.pk})

    assert response.status_code == 200
    assert members(applicant_list) == {a, c}
    b.refresh_from_db()
    assert b.status == Status.ELIGIBLE
    assert b.number not in response.text
    gather(client, stream)
    assert members(ApplicantList.objects.get(number=2)) == {b}


def test_sending_moves_every_member_to_listed_and_records_who_did_it(draft, login, centre_user):
    applicant_list, people = draft

    response = act(login(centre_user), applicant_list, "send")

    assert "The list has been sent to the Chamber branch." in response.text
    applicant_list.refresh_from_db()
    assert applicant_list.state == ApplicantList.State.SENT
    assert applicant_list.sent_at == NOW
    for application in people:
        application.refresh_from_db()
        assert application.status == Status.LISTED
        change = application.changes.get(to_status=Status.LISTED)
        assert (change.from_status, change.actor, change.reason) == (
            Status.ELIGIBLE,
            centre_user,
            str(applicant_list),
        )
    assert 'data-testid="list-state">Sent to the Chamber<' in response.text
    assert "Send to the Chamber branch</button>" not in response.text


def test_a_sent_list_can_no_longer_change(sent, login, centre_user):
    applicant_list, people = sent
    client = login(centre_user)

    response = act(client, applicant_list, "remove", {"application": people[0].pk})
    assert "A list that has been sent cannot change." in response.text
    assert members(applicant_list) == set(people)

    response = act(client, applicant_list, "send")
    assert "This list has already been sent." in response.text
    assert Application.objects.filter(changes__to_status=Status.LISTED).count() == 3


def test_an_empty_list_cannot_be_sent(draft, login, centre_user):
    applicant_list, people = draft
    client = login(centre_user)
    for application in people:
        act(client, applicant_list, "remove", {"application": application.pk})
    response = act(client, applicant_list, "send")
    assert "The list is empty." in response.text
    applicant_list.refresh_from_db()
    assert applicant_list.state == ApplicantList.State.DRAFT


# --- 3. The Chamber ----------------------------------------------------------------------------


def test_the_chamber_does_not_see_a_draft_list(draft, login, chamber_user):
    applicant_list, _people = draft
    client = login(chamber_user)
    assert client.get(detail_url(applicant_list)).status_code == 404
    assert client.get(reverse("applications:list_xlsx", args=[applicant_list.code])).status_code == 404
    assert detail_url(applicant_list) not in client.get(reverse("applications:lists")).text


def test_the_chamber_accepts_a_sent_list_once(sent, login, chamber_user):
    applicant_list, people = sent
    client = login(chamber_user)
    assert detail_url(applicant_list) in client.get(reverse("applications:lists")).text
    assert "Accept the list" in client.get(detail_url(applicant_list)).text

    response = act(client, applicant_list, "accept")

    assert "The list has been accepted." in response.text
    applicant_list.refresh_from_db()
    assert applicant_list.state == ApplicantList.State.ACCEPTED
    assert (applicant_list.accepted_by, applicant_list.accepted_at) == (chamber_user, NOW)
    for application in people:
        application.refresh_from_db()
        assert application.status == Status.ACCEPTED
        change = application.changes.get(to_status=Status.ACCEPTED)
        assert (change.from_status, change.actor) == (Status.LISTED, chamber_user)

    response = act(client, applicant_list, "accept")
    assert "Only a list that has been sent can be accepted." in response.text
    assert Application.objects.filter(changes__to_status=Status.ACCEPTED).count() == 3


def test_the_employment_centre_cannot_accept_a_list(sent, login, centre_user):
    applicant_list, people = sent
    response = act(login(centre_user), applicant_list, "accept")
    assert response.status_code == 403
    applicant_list.refresh_from_db()
    assert applicant_list.state == ApplicantList.State.SENT
    assert {a.status for a in members(applicant_list)} == {Status.LISTED}


def test_the_chamber_cannot_send_a_draft_list(draft, login, chamber_user):
    applicant_list, people = draft
    response = act(login(chamber_user), applicant_list, "send")
    assert response.status_code == 404
    applicant_list.refresh_from_db()
    assert applicant_list.state == ApplicantList.State.DRAFT
    assert {a.status for a in members(applicant_list)} == {Status.ELIGIBLE}


def test_the_chamber_cannot_send_or_edit_a_list_it_was_sent(sent, login, chamber_user):
    applicant_list, people = sent
    client = login(chamber_user)
    assert act(client, applicant_list, "send").status_code == 403
    response = act(client, applicant_list, "remove", {"application": people[0].pk})
    assert response.status_code == 403
    assert "Only the employment centre that prepared the list" in response.text
    assert members(applicant_list) == set(people)


# --- 4. Exports --------------------------------------------------------------------------------


def test_the_chamber_exports_the_list_as_a_spreadsheet(login, centre_user, chamber_user, district, stream):
    people = [eligible(district, last_name=name)[0] for name in ("Жұмабаева", "Әбілов", "Бекова")]
    client = login(centre_user)
    gather(client, stream)
    applicant_list = ApplicantList.objects.get()
    act(client, applicant_list, "send")

    response = login(chamber_user).get(reverse("applications:list_xlsx", args=[applicant_list.code]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="bastau-list-1.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *lines = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header[:6] == ["No.", "Application", "Surname", "First name", "Patronymic", "IIN"]
    assert [line[0] for line in lines] == [1, 2, 3]
    by_number = {line[1]: line for line in lines}
    assert set(by_number) == {a.number for a in people}
    for application in people:
        line = by_number[application.number]
        assert (line[2], line[5], line[7]) == (application.last_name, application.iin, str(application.phone))
    assert [line[2] for line in lines] == sorted(a.last_name for a in people)


def test_the_chamber_prints_the_list_as_pdf(sent, login, chamber_user):
    applicant_list, _people = sent
    response = login(chamber_user).get(reverse("applications:list_pdf", args=[applicant_list.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# --- 5. Other districts ------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["applications:list_detail", "applications:list_pdf", "applications:list_xlsx"])
@pytest.mark.parametrize("role", [Role.EMPLOYMENT_CENTRE, Role.CHAMBER])
def test_staff_of_another_district_cannot_open_the_list(sent, login, other_district, url_name, role):
    applicant_list, _people = sent
    stranger = make_staff(role, district=other_district)
    assert login(stranger).get(reverse(url_name, args=[applicant_list.code])).status_code == 404


def test_staff_of_another_district_cannot_change_the_list(draft, login, outsider):
    applicant_list, people = draft
    client = login(outsider)
    assert act(client, applicant_list, "remove", {"application": people[0].pk}).status_code == 404
    assert act(client, applicant_list, "send").status_code == 404
    applicant_list.refresh_from_db()
    assert applicant_list.state == ApplicantList.State.DRAFT
    assert members(applicant_list) == set(people)


def test_the_lists_page_shows_a_list_to_its_district_only(sent, login, centre_user, outsider):
    applicant_list, _people = sent
    assert detail_url(applicant_list) in login(centre_user).get(reverse("applications:lists")).text
    page = login(outsider).get(reverse("applications:lists")).text
    assert detail_url(applicant_list) not in page
    assert "No lists yet." in page


# --- 6. Queries --------------------------------------------------------------------------------


def test_the_list_page_makes_as_many_queries_for_50_members_as_for_5(
    login, centre_user, district, stream, django_assert_num_queries
):
    client = login(centre_user)
    eligible(district, 5)
    gather(client, stream)
    small = ApplicantList.objects.get()
    eligible(district, 50)
    gather(client, stream)
    large = ApplicantList.objects.get(number=2)
    client.get(reverse("applications:lists"))  # warm up whatever a first request loads

    def queries_for(applicant_list, size) -> int:
        # The session, the user, the user's organisation (their scope), the list with its stream and
        # district, and its members with their districts.
        with django_assert_num_queries(5), CaptureQueriesContext(connection) as ctx:
            response = client.get(detail_url(applicant_list))
        assert response.text.count('data-testid="list-member"') == size
        return len(ctx.captured_queries)

    assert queries_for(small, 5) == queries_for(large, 50)


def test_a_formula_typed_by_an_applicant_stays_text_in_the_export(district):
    from applications.exports import list_xlsx

    application = make_application(district=district, business_idea='=HYPERLINK("http://evil.example","x")')
    applicant_list = ApplicantList(number=1)
    cell = openpyxl.load_workbook(io.BytesIO(list_xlsx(applicant_list, [application]))).active["M2"]
    assert cell.value == '=HYPERLINK("http://evil.example","x")' and cell.data_type == "s"


def test_a_regional_employment_centre_is_refused_with_a_reason_not_a_crash(district, stream):
    from applications import services
    from core.errors import Refused

    eligible(district, 2)
    regional = make_staff(Role.EMPLOYMENT_CENTRE, region=district.region)
    with pytest.raises(Refused) as info:
        services.applicant_list_create(actor=regional, stream=stream)
    assert str(info.value) == "Lists for the Chamber are prepared by a district's employment centre."
    assert info.value.code == "applications.prepare_list"
    assert not ApplicantList.objects.exists()


def test_the_lists_stream_select_starts_on_the_stream_under_way_not_a_later_one(login, centre_user, stream):
    later = StreamFactory(  # the next stream, created already: listed first (the latest course start)
        year=stream.year,
        application_opens=datetime.date(2026, 12, 1),
        application_closes=datetime.date(2026, 12, 20),
        course_start=datetime.date(2027, 1, 11),
    )
    response = login(centre_user).get(reverse("applications:lists"))

    assert f'<option value="{stream.pk}" selected>' in response.text
    assert f'<option value="{later.pk}">' in response.text
