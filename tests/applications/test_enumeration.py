"""A visitor cannot learn from /apply/ who is known to the portal (issue 9, "no enumeration")."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from applications.models import Application, Status
from certificates.models import Certificate
from core.sms import MemorySmsBackend
from tests.applications.test_pages import form_data
from tests.factories import StreamFactory, UserFactory, make_application

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2026, 11, 15, 12, tzinfo=datetime.UTC)
NEUTRAL = "We could not take this application online"
REAL_REASONS = ("already has an application", "account with this", "certificate No.", "B-2025-0001")


@pytest.fixture(autouse=True)
def _today(settings):
    settings.SMS_BACKEND = "core.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def _post(data, as_client=None):
        mail.outbox = []
        MemorySmsBackend.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return (as_client or client).post(reverse("applications:apply"), data)

    return _post


def _assert_neutral(response):
    assert response.status_code == 200
    assert NEUTRAL in response.text
    for reason in REAL_REASONS:
        assert reason not in response.text


def test_an_iin_in_progress_gets_the_neutral_answer_and_the_applicant_on_file_gets_the_reason(post, district):
    StreamFactory()
    earlier = make_application(district=district, email="first@example.kz")
    response = post(form_data(district, iin=earlier.iin, phone="+77017770001", email="probe@example.kz"))
    _assert_neutral(response)
    assert Application.objects.count() == 1
    # The message goes to the contact already on file, never to the one typed in by the visitor.
    assert [m.to for m in mail.outbox] == [["first@example.kz"]]
    assert "in progress" in mail.outbox[0].body
    assert [phone for phone, _text in MemorySmsBackend.outbox] == [str(earlier.phone)]


def test_an_existing_phone_or_email_gets_the_same_neutral_answer(post, district):
    StreamFactory()
    UserFactory(phone="+77015551234", email="owner@example.kz")
    by_phone = post(form_data(district, phone="+77015551234", email="other@example.kz"))
    _assert_neutral(by_phone)
    assert [m.to for m in mail.outbox] == [["owner@example.kz"]]
    assert [phone for phone, _text in MemorySmsBackend.outbox] == ["+77015551234"]
    by_email = post(form_data(district, phone="+77015559999", email="OWNER@example.kz"))
    _assert_neutral(by_email)
    assert mail.outbox == [] and MemorySmsBackend.outbox == []  # told once an hour, however often one tries
    assert not Application.objects.exists()


def test_a_certificate_holder_gets_the_neutral_answer_without_the_certificate_number(post, district):
    StreamFactory()
    earlier = make_application(district=district, status=Status.INELIGIBLE, email="holder@example.kz")
    Certificate.objects.create(
        number="B-2025-0001", iin=earlier.iin, holder_name="X", kind="completion", issued_on=datetime.date(2025, 6, 1)
    )
    response = post(form_data(district, iin=earlier.iin, phone="+77017770002"))
    _assert_neutral(response)
    assert [m.to for m in mail.outbox] == [["holder@example.kz"]]
    assert "B-2025-0001" in mail.outbox[0].body


def test_the_three_answers_are_the_same_page(post, district):
    StreamFactory()
    earlier = make_application(district=district)
    UserFactory(phone="+77015551234")

    def errors(response):
        start = response.text.index(NEUTRAL)
        return response.text[start : start + 200]

    in_progress = errors(post(form_data(district, iin=earlier.iin, phone="+77017770003")))
    phone_known = errors(post(form_data(district, phone="+77015551234")))
    assert in_progress == phone_known


def test_a_logged_in_citizen_sees_the_real_reason_for_their_own_iin(login, district):
    StreamFactory()
    earlier = make_application(district=district, status=Status.INELIGIBLE)
    Certificate.objects.create(
        number="B-2025-0001", iin=earlier.iin, holder_name="X", kind="completion", issued_on=datetime.date(2025, 6, 1)
    )
    client = login(earlier.applicant)
    data = form_data(district, iin=earlier.iin)
    del data["password1"], data["password2"]
    response = client.post(reverse("applications:apply"), data)
    assert "already holds Bastau certificate No. B-2025-0001" in response.text


def test_a_logged_in_citizen_typing_someone_elses_iin_gets_the_neutral_answer(login, district, citizen):
    StreamFactory()
    other = make_application(district=district)
    client = login(citizen)
    data = form_data(district, iin=other.iin, phone=str(citizen.phone))
    del data["password1"], data["password2"]
    response = client.post(reverse("applications:apply"), data)
    _assert_neutral(response)


def test_staff_registering_a_walk_in_see_the_real_reason(login, district, centre_user):
    StreamFactory()
    earlier = make_application(district=district)
    client = login(centre_user)
    data = form_data(district, iin=earlier.iin)
    response = client.post(reverse("applications:intake"), data)
    assert "already has an application in progress" in response.text
