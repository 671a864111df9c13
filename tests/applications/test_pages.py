"""The application pages as citizens and staff use them."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, User
from applications.models import Application, Document, Status, StatusChange
from tests.factories import StreamFactory, make_applicant, make_application, make_iin, make_staff

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2026, 11, 15, 12, tzinfo=datetime.UTC)
PDF = b"%PDF-1.4 scanned consent form"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOON, tick=False):
        yield


def form_data(home, **overrides):
    district = home
    applicant = make_applicant(district=district)
    data = {
        "iin": applicant.iin,
        "last_name": "Серікбаев",
        "first_name": "Нұрлан",
        "patronymic": "Асқарұлы",
        "birth_date": "",
        "sex": "",
        "phone": "8 701 555 12 34",
        "email": "nurlan@example.kz",
        "region": district.region_id,
        "district": district.pk,
        "employment_status": "unemployed",
        "education": "secondary",
        "sector": "agriculture",
        "business_idea": "Сүт өнімдерін шығару цехы.",
        "is_citizen_confirmed": "on",
        "consent": "on",
        "password1": "Qazaqstan-2026!",
        "password2": "Qazaqstan-2026!",
    }
    data.update(overrides)
    return data


def test_a_visitor_applies_online_gets_a_number_an_account_and_the_status_page(client, district):
    StreamFactory()
    data = form_data(district)
    response = client.post(reverse("applications:apply"), data, follow=True)
    application = Application.objects.get()
    assert response.redirect_chain[-1][0] == reverse("applications:status", args=[application.code])
    assert application.number in response.text
    assert application.birth_date == datetime.date(1990, 5, 17) and application.sex == "M"  # from the IIN
    assert str(application.phone) == "+77015551234"
    # They can log in later with phone or e-mail and the password they set.
    client.logout()
    assert (
        client.post(reverse("accounts:login"), {"username": "+77015551234", "password": "Qazaqstan-2026!"}).status_code
        == 302
    )


def test_an_under_age_applicant_is_refused_on_the_date_field_with_the_day_they_may_apply(client, district):
    data = form_data(district, iin=make_iin(datetime.date(2009, 1, 10), "F"), sex="F")
    response = client.post(reverse("applications:apply"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["birth_date"] == ["You can take part from 10 January 2027, when you turn 18."]
    assert 'value="Серікбаев"' in response.text  # nothing typed is lost
    assert not Application.objects.exists() and not User.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("iin", "791028302729", "check digit does not match"),
        ("last_name", "Serikbaev", "Cyrillic"),
        ("phone", "12345", "mobile number"),
        ("password2", "different-2026!", "The two passwords differ."),
    ],
)
def test_bad_input_is_reported_on_its_field(client, district, field, value, message):
    response = client.post(reverse("applications:apply"), form_data(district, **{field: value}))
    assert message in " ".join(response.context["form"].errors[field])
    assert not Application.objects.exists()


def test_a_district_must_be_in_the_chosen_region(client, district, other_district):
    response = client.post(reverse("applications:apply"), form_data(district, district=other_district.pk))
    assert "district" in response.context["form"].errors


def test_the_district_list_follows_the_region(client, district, other_district):
    response = client.get(reverse("geography:district_options"), {"region": district.region_id})
    assert f'<option value="{district.pk}">{district}</option>' in response.text
    assert f'value="{other_district.pk}"' not in response.text


def test_a_logged_in_citizen_applies_with_their_account(login, citizen, district):
    StreamFactory()
    data = form_data(district, phone=str(citizen.phone))
    login(citizen).post(reverse("applications:apply"), data)
    assert Application.objects.get().applicant == citizen


def test_the_status_page_shows_every_step_done_and_to_come(login, district):
    application = make_application(district=district)
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    login(centre).post(reverse("applications:decide", args=[application.code]), {"decision": "eligible"})
    response = login(application.applicant).get(reverse("applications:status", args=[application.code]))
    steps = [(s.title, s.state) for s in response.context["steps"]]
    assert steps[0] == ("Application submitted", "done")
    assert steps[1] == ("Eligible: you belong to the programme's target group", "done")
    assert steps[2] == ("The employment centre is preparing the list for the Chamber", "current")
    assert steps[-1] == ("Loan referral, if you wish to borrow for your business", "upcoming")
    assert f"By {centre.full_name}" in response.text  # who decided is on the citizen's timeline
    assert application.iin not in response.text  # masked for the citizen
    assert application.iin[-4:] in response.text


def test_an_ineligible_decision_shows_its_reason_on_the_timeline(login, district):
    application = make_application(district=district)
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    login(centre).post(
        reverse("applications:decide", args=[application.code]),
        {"decision": "ineligible", "reason": "other", "note": "Жұмыс істейді"},
    )
    application.refresh_from_db()
    assert application.status == Status.INELIGIBLE and application.decided_by == centre
    page = login(application.applicant).get(reverse("applications:status", args=[application.code]))
    assert "Жұмыс істейді" in page.text


def test_other_as_a_reason_needs_an_explanation(login, district):
    application = make_application(district=district)
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    response = login(centre).post(
        reverse("applications:decide", args=[application.code]),
        {"decision": "ineligible", "reason": "other", "note": ""},
    )
    assert response.context["form"].errors["note"] == ["Explain the reason."]
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_a_citizen_withdraws_their_application(login, district):
    application = make_application(district=district)
    login(application.applicant).post(reverse("applications:withdraw", args=[application.code]), {"reason": ""})
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert StatusChange.objects.filter(
        application=application, to_status=Status.WITHDRAWN, actor=application.applicant
    ).exists()


def test_a_citizen_cannot_open_another_citizens_application(login, district):
    mine, theirs = make_application(district=district), make_application(district=district)
    client = login(mine.applicant)
    assert client.get(reverse("applications:status", args=[theirs.code])).status_code == 404
    client.post(reverse("applications:withdraw", args=[theirs.code]))
    theirs.refresh_from_db()
    assert theirs.status == Status.SUBMITTED


def test_staff_register_a_walk_in_with_a_scanned_document(login, district):
    StreamFactory()
    akimat = make_staff(Role.AKIMAT, district=district)
    data = form_data(
        district, **{"doc-kind": "consent", "doc-file": SimpleUploadedFile("consent.pdf", PDF, "application/pdf")}
    )
    del data["password1"], data["password2"]
    response = login(akimat).post(reverse("applications:intake"), data)
    application = Application.objects.get()
    assert response.status_code == 302
    assert application.channel == "akimat" and application.registered_by == akimat
    document = Document.objects.get()
    assert document.content_type == "application/pdf" and document.application == application


def test_a_trainer_cannot_open_or_post_the_registration_page(login, district):
    StreamFactory()
    client = login(make_staff(Role.TRAINER, district=district))
    assert client.get(reverse("applications:intake")).status_code == 403
    data = form_data(district)
    del data["password1"], data["password2"]
    assert client.post(reverse("applications:intake"), data).status_code == 403
    assert not Application.objects.exists()
    home = client.get(reverse("portal:home")).text
    assert reverse("applications:intake") not in home


def test_a_document_that_is_not_a_pdf_or_image_is_refused_and_nothing_is_saved(login, district):
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    data = form_data(
        district,
        **{"doc-kind": "other", "doc-file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
    )
    response = login(centre).post(reverse("applications:intake"), data)
    assert response.status_code == 200
    assert "Attach a PDF, JPEG or PNG file." in response.text
    assert not Application.objects.exists() and not Document.objects.exists()


def test_documents_are_served_only_to_those_who_may_see_the_application(login, district, outsider):
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    application = make_application(district=district)
    from applications.services import document_attach

    document = document_attach(
        application=application,
        actor=centre,
        kind="id_card",
        upload=SimpleUploadedFile("id.pdf", PDF, "application/pdf"),
    )
    url = reverse("applications:document", args=[document.code])
    assert login(centre).get(url).status_code == 200
    assert login(outsider).get(url).status_code == 404
    assert login(make_application(district=district).applicant).get(url).status_code == 404


def test_the_queue_shows_only_the_districts_applications_and_guessed_urls_fail(login, district, outsider):
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    mine = make_application(district=district)
    theirs = make_application(district=outsider.organisation.district)
    page = login(centre).get(reverse("applications:queue"))
    assert mine.number in page.text and theirs.number not in page.text
    assert login(centre).get(reverse("applications:status", args=[theirs.code])).status_code == 404
    assert login(centre).get(reverse("applications:decide", args=[theirs.code])).status_code == 404


def test_the_queue_filters_searches_and_shows_days_waiting(login, district):
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    with time_machine.travel(NOON - datetime.timedelta(days=20), tick=False):
        old = make_application(district=district, last_name="Әбілов")
    new = make_application(district=district, last_name="Жұмабеков")
    client = login(centre)
    assert [a.pk for a in client.get(reverse("applications:queue"), {"waiting": "14"}).context["page"]] == [old.pk]
    assert [a.pk for a in client.get(reverse("applications:queue"), {"q": "жұмабек"}).context["page"]] == [new.pk]
    assert [a.pk for a in client.get(reverse("applications:queue"), {"q": new.iin}).context["page"]] == [new.pk]
    page = client.get(reverse("applications:queue"), {"ordering": "-submitted"})
    assert [a.pk for a in page.context["page"]] == [new.pk, old.pk]
    assert '<span class="text-danger fw-semibold">20</span>' in page.text


def test_the_queue_finds_an_application_by_the_last_four_digits_the_masked_iin_shows(login, district):
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    wanted = make_application(district=district, last_name="Қасымова")
    other = make_application(district=district)
    assert wanted.iin[-4:] != other.iin[-4:]
    page = login(centre).get(reverse("applications:queue"), {"q": wanted.iin[-4:]})
    assert [a.pk for a in page.context["page"]] == [wanted.pk]
    assert wanted.masked_iin in page.text


def test_bulk_decisions_record_each_application_and_skip_other_districts(login, district, outsider):
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    ours = [make_application(district=district) for _ in range(3)]
    theirs = make_application(district=outsider.organisation.district)
    login(centre).post(
        reverse("applications:queue_decide"),
        {"bulk-applications": [a.pk for a in ours] + [theirs.pk], "bulk-decision": "eligible"},
    )
    assert {a.status for a in Application.objects.filter(district=district)} == {Status.SUBMITTED}  # refused whole
    response = login(centre).post(
        reverse("applications:queue_decide"),
        {"bulk-applications": [a.pk for a in ours], "bulk-decision": "eligible"},
        follow=True,
    )
    assert "Decisions recorded: 3." in response.text
    assert set(Application.objects.filter(district=district).values_list("status", flat=True)) == {Status.ELIGIBLE}
    theirs.refresh_from_db()
    assert theirs.status == Status.SUBMITTED


@pytest.mark.parametrize("role", [Role.AKIMAT, Role.CHAMBER, Role.TRAINER])
def test_only_the_employment_centre_decides(login, district, role):
    application = make_application(district=district)
    staff = make_staff(role, district=district)
    assert (
        login(staff).post(reverse("applications:decide", args=[application.code]), {"decision": "eligible"}).status_code
        == 403
    )


def test_citizens_and_trainers_cannot_open_the_queue(login, citizen, district):
    assert login(citizen).get(reverse("applications:queue")).status_code == 403
    assert login(make_staff(Role.TRAINER, district=district)).get(reverse("applications:queue")).status_code == 403


_numbers = iter(range(1_000_000))


def _bulk_applications(district, count):
    """Many applications at once, straight into the table: only the page's queries are measured."""
    stream = StreamFactory()
    template = make_applicant(district=district)
    Application.objects.bulk_create(
        [
            Application(
                iin=make_iin(),
                last_name=f"Тест{i}",
                first_name="Асан",
                birth_date=template.birth_date,
                sex="M",
                phone=f"+7705{i:07d}",
                district=district,
                region_id=district.region_id,
                employment_status="unemployed",
                education="secondary",
                business_idea="-",
                sector="trade",
                is_citizen_confirmed=True,
                consent_version="2026-11",
                consent_given_at=NOON,
                channel="online",
                stream=stream,
                number=f"26-9{next(_numbers):06d}",
            )
            for i in range(count)
        ]
    )


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("rows", [5, 500])
def test_the_queue_runs_a_fixed_number_of_queries_at_5_and_500_applications(
    login, district, django_assert_num_queries, rows
):
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    client = login(centre)
    _bulk_applications(district, rows)
    with django_assert_num_queries(6):
        # 1. the session
        # 2. the logged-in user
        # 3. their organisation (the district the queue is narrowed to)
        # 4. the paginator's count of the filtered rows
        # 5. the streams for the filter's choices
        # 6. the page's 25 rows, with what they show joined in
        response = client.get(reverse("applications:queue"), {"status": "submitted"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == rows
    assert len(response.context["page"].object_list) == min(rows, 25)


def test_the_status_page_runs_a_fixed_number_of_queries_at_5_and_500_applications(login, district):
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    client = login(centre)
    application = make_application(district=district)
    _bulk_applications(district, 5)
    url = reverse("applications:status", args=[application.code])
    small = _queries(client, url)
    _bulk_applications(district, 495)
    for _ in range(3):  # more history on the page itself must not add queries either
        StatusChange.objects.create(application=application, to_status=Status.SUBMITTED, actor=centre)
    large = _queries(client, url)
    assert small == large
    assert large == 8  # pinned exactly: one query more (or fewer) on the status page is a change to look at


def test_choosing_a_district_tells_which_stream_takes_the_application(client, district):
    StreamFactory(
        application_opens=datetime.date(2026, 12, 1),
        application_closes=datetime.date(2026, 12, 20),
        course_start=datetime.date(2027, 1, 11),
        number=2,
    )
    response = client.get(reverse("applications:stream_hint"), {"district": district.pk})
    assert "The next, Stream 2 of 2026, opens on 01.12.2026" in response.text


def test_without_any_stream_the_applicant_is_told_the_application_will_wait(client, district):
    response = client.get(reverse("applications:stream_hint"), {"district": district.pk})
    assert "No stream is scheduled for your district yet." in response.text


def test_documents_cannot_be_attached_to_an_ended_application(district):
    from django.core.exceptions import ValidationError

    from applications.services import document_attach

    application = make_application(district=district, status=Status.WITHDRAWN)
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    with pytest.raises(ValidationError):
        document_attach(
            application=application,
            actor=centre,
            kind="other",
            upload=SimpleUploadedFile("x.pdf", PDF, "application/pdf"),
        )


def test_bulk_decisions_skip_those_withdrawn_meanwhile_and_say_so(login, district):
    from applications import services

    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    ours = [make_application(district=district) for _ in range(3)]
    # The ticks were given on the page; two withdraw before the officer presses the button.
    for application in ours[:2]:
        services.application_withdraw(application_id=application.pk, actor=application.applicant)
    response = login(centre).post(
        reverse("applications:queue_decide"),
        {"bulk-applications": [a.pk for a in ours], "bulk-decision": "eligible"},
        follow=True,
    )
    assert "Decisions recorded: 1." in response.text
    assert "2 skipped: decided or withdrawn meanwhile" in response.text
    statuses = [Application.objects.get(pk=a.pk).status for a in ours]
    assert statuses == [Status.WITHDRAWN, Status.WITHDRAWN, Status.ELIGIBLE]

    decided, problems = services.applications_decide_bulk(
        application_ids=[a.pk for a in ours], actor=centre, eligible=False, reason="not_target_group"
    )
    assert decided == 0
    assert problems == [f"3 skipped: decided or withdrawn meanwhile ({', '.join(a.number for a in ours)})."]
