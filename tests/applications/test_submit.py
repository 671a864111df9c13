"""Submitting applications: the programme's rules, channels, concurrency and notifications."""

import datetime
import threading

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from accounts.models import OrganisationKind, Role
from applications import services
from applications.models import Application, Channel, Status, StatusChange
from certificates.models import Certificate
from core.sms import MemorySmsBackend
from tests.factories import DistrictFactory, StreamFactory, make_applicant, make_application, make_staff

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2026, 11, 15, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOON, tick=False):
        yield


def test_an_online_application_gets_a_number_a_stream_and_an_account(password):
    stream = StreamFactory()
    application = services.application_submit(applicant=make_applicant(), actor=None, password=password)
    assert application.number.startswith("26-")
    assert application.stream == stream and application.status == Status.SUBMITTED
    assert application.channel == Channel.ONLINE
    account = application.applicant
    assert account.role == Role.CITIZEN and account.phone == application.phone
    assert account.check_password(password)
    assert application.region_id == application.district.region_id
    assert application.consent_version and application.consent_given_at == NOON


@pytest.mark.parametrize(
    ("role", "channel"),
    [
        (Role.EMPLOYMENT_CENTRE, Channel.EMPLOYMENT_CENTRE),
        (Role.AKIMAT, Channel.AKIMAT),
        (Role.CHAMBER, Channel.CHAMBER),
    ],
)
def test_the_channel_follows_the_staff_members_organisation(district, role, channel):
    staff = make_staff(role, district=district)
    application = services.application_submit(applicant=make_applicant(district=district), actor=staff)
    assert application.channel == channel
    assert application.registered_by == staff and application.registered_at_organisation == staff.organisation
    assert application.applicant is None  # a walk-in has no account until they make one


def test_staff_cannot_register_applicants_of_another_district(district, other_district):
    staff = make_staff(Role.AKIMAT, district=district)
    with pytest.raises(ValidationError) as info:
        services.application_submit(applicant=make_applicant(district=other_district), actor=staff)
    assert "district" in info.value.message_dict


def test_a_trainer_cannot_register_applications(district):
    # A trainer works for a Chamber branch, whose specialists do register walk-ins: the role decides.
    trainer = make_staff(Role.TRAINER, district=district)
    assert trainer.organisation.kind == OrganisationKind.CHAMBER_BRANCH
    with pytest.raises(PermissionDenied) as info:
        services.application_submit(applicant=make_applicant(district=district), actor=trainer)
    assert str(info.value)  # a reason to show, not a bare refusal
    assert not Application.objects.exists()


@pytest.mark.parametrize("role", [Role.FINANCE, Role.COMMISSION, Role.ANALYST])
def test_staff_outside_intake_cannot_register_applications(district, role):
    with pytest.raises(PermissionDenied):
        services.application_submit(
            applicant=make_applicant(district=district), actor=make_staff(role, district=district)
        )
    assert not Application.objects.exists()


def test_without_an_open_stream_the_application_goes_to_the_next_one():
    later = StreamFactory(
        application_opens=datetime.date(2026, 12, 1),
        application_closes=datetime.date(2026, 12, 20),
        course_start=datetime.date(2027, 1, 11),
    )
    application = make_application()
    assert application.stream == later


@pytest.mark.parametrize(
    ("birth_date", "accepted"),
    [
        (datetime.date(2008, 11, 15), True),  # 18 today
        (datetime.date(2008, 11, 16), False),  # 18 tomorrow
        (datetime.date(2008, 11, 14), True),
    ],
)
def test_the_eighteenth_birthday_is_the_first_day_one_may_apply(birth_date, accepted):
    applicant = make_applicant(birth_date=birth_date)
    if accepted:
        assert services.application_submit(applicant=applicant, actor=None).pk
    else:
        with pytest.raises(ValidationError) as info:
            services.application_submit(applicant=applicant, actor=None)
        assert info.value.message_dict["birth_date"] == ["You can take part from 16 November 2026, when you turn 18."]
        assert not Application.objects.exists()


def test_age_is_checked_on_the_stated_date_of_birth_not_the_iin():
    from tests.factories import make_iin

    # The IIN says 2010 (a minor) but the person states, and proves, 1990: accepted and flagged.
    applicant = make_applicant(birth_date=datetime.date(1990, 3, 1))
    applicant.iin = make_iin(datetime.date(2010, 3, 1), "M")
    application = services.application_submit(applicant=applicant, actor=None)
    assert application.iin_mismatch


def test_a_matching_iin_is_not_flagged():
    assert make_application().iin_mismatch is False


def test_a_certificate_holder_is_refused_with_the_reason():
    applicant = make_applicant()
    Certificate.objects.create(
        number="B-2025-0001", iin=applicant.iin, holder_name="X", kind="completion", issued_on=datetime.date(2025, 6, 1)
    )
    staff = make_staff(Role.EMPLOYMENT_CENTRE, district=applicant.district)
    with pytest.raises(ValidationError) as info:
        services.application_submit(applicant=applicant, actor=staff)
    assert "already holds Bastau certificate No. B-2025-0001" in info.value.message_dict["iin"][0]
    # An anonymous visitor hears only the neutral answer (tests/applications/test_enumeration.py).
    with pytest.raises(ValidationError) as info:
        services.application_submit(applicant=applicant, actor=None)
    assert info.value.messages == [str(services.NEUTRAL_REFUSAL)]


def test_a_revoked_certificate_does_not_block_a_new_application():
    applicant = make_applicant()
    Certificate.objects.create(
        number="B-2025-0002",
        iin=applicant.iin,
        holder_name="X",
        kind="completion",
        issued_on=datetime.date(2025, 6, 1),
        revoked_at=NOON,
    )
    assert services.application_submit(applicant=applicant, actor=None).pk


def test_one_open_application_per_iin_but_a_refused_citizen_may_apply_again():
    first = make_application(status=Status.INELIGIBLE)
    again = make_applicant(iin=first.iin)
    second = services.application_submit(applicant=again, actor=None, account=first.applicant)
    with pytest.raises(ValidationError) as info:
        services.application_submit(applicant=make_applicant(iin=first.iin), actor=None)
    assert info.value.messages == [str(services.NEUTRAL_REFUSAL)]  # a visitor: no enumeration
    staff = make_staff(Role.EMPLOYMENT_CENTRE, district=first.district)
    with pytest.raises(ValidationError) as info:
        services.application_submit(applicant=make_applicant(iin=first.iin, district=first.district), actor=staff)
    assert info.value.message_dict["iin"] == ["This IIN already has an application in progress."]
    assert second.status == Status.SUBMITTED


def test_consent_and_citizenship_are_required():
    with pytest.raises(ValidationError) as info:
        services.application_submit(
            applicant=make_applicant(consent_given=False, is_citizen_confirmed=False), actor=None
        )
    assert set(info.value.message_dict) == {"consent", "is_citizen_confirmed"}


def test_an_existing_phone_number_gets_the_neutral_answer_that_asks_to_log_in(citizen):
    with pytest.raises(ValidationError) as info:
        services.application_submit(applicant=make_applicant(phone=str(citizen.phone)), actor=None)
    assert "log in" in info.value.messages[0]
    assert info.value.messages == [str(services.NEUTRAL_REFUSAL)]


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_iin_store_exactly_one():
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers")
    district = DistrictFactory()
    iin = make_applicant(district=district).iin
    barrier = threading.Barrier(4)
    outcomes = []

    def submit(n):
        from django.db import connections

        try:
            applicant = make_applicant(district=district, iin=iin, phone=f"+7702000000{n}")
            barrier.wait()
            services.application_submit(applicant=applicant, actor=None)
            outcomes.append("stored")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Application.objects.filter(iin=iin).count() == 1
    assert sorted(outcomes) == sorted(["stored"] + [str(services.NEUTRAL_REFUSAL)] * 3)


def test_notifications_go_out_only_after_the_transaction_commits(settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "core.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application = make_application(email="aidar@example.kz")
    assert mail.outbox == [] and MemorySmsBackend.outbox == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert application.number in mail.outbox[0].subject
    assert MemorySmsBackend.outbox[0][0] == str(application.phone)


def test_a_rolled_back_decision_sends_nothing(django_capture_on_commit_callbacks):
    from django.db import transaction

    application = make_application(email="aidar@example.kz")
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=application.district)
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.application_decide(application_id=application.pk, actor=centre, eligible=True)
        raise RuntimeError("the request failed after the decision")
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert callbacks == [] and mail.outbox == []


def test_a_notification_is_sent_once_even_if_the_task_runs_twice(settings):
    from applications.notifications import notify_status_change

    settings.SMS_BACKEND = "core.sms.MemorySmsBackend"
    application = make_application(email="aidar@example.kz")
    change = StatusChange.objects.get(application=application)
    mail.outbox.clear()
    StatusChange.objects.filter(pk=change.pk).update(notified_at=None)
    assert notify_status_change(change.pk) is True
    assert notify_status_change(change.pk) is False
    assert len(mail.outbox) == 1


def test_the_message_speaks_the_language_the_citizen_applied_in(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(applicant=make_applicant(email="aidar@example.kz"), actor=None, language="ru")
    assert "Здравствуйте, Нұрлан!" in mail.outbox[-1].body


def test_the_reason_is_written_in_the_applicants_language_whoever_decides():
    from django.utils import translation

    application = make_application(language="ru")
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=application.district)
    with translation.override("kk"):  # the centre's specialist works in Kazakh
        services.application_decide(application_id=application.pk, actor=centre, eligible=False, reason="not_citizen")
    change = StatusChange.objects.get(application=application, to_status=Status.INELIGIBLE)
    assert change.reason == "Не является гражданином Казахстана"


@pytest.mark.parametrize(
    ("field", "value"), [("last_name", "Serikbaev"), ("first_name", ""), ("patronymic", "Askar-uly"), ("phone", "123")]
)
def test_the_service_itself_refuses_latin_names_and_bad_phones_whatever_calls_it(field, value):
    with pytest.raises(ValidationError) as info:
        services.application_submit(applicant=make_applicant(**{field: value}), actor=None)
    assert field in info.value.message_dict
    assert not Application.objects.exists()
