"""The admin cannot go around the programme's rules (issue 7, part 4): rows bound by a rule change
only through their services, and staff changes to personal data and settings are recorded."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from applications import services
from core.models import AuditEntry
from tests.factories import StreamFactory, UserFactory, make_application, make_modules, make_participants, make_staff
from tests.training.helpers import make_group, put
from training.models import GroupMember, TeachingDay

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    return UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)


@pytest.fixture
def admin_client(login, admin_user):
    return login(admin_user)


@pytest.fixture
def full_group(district):
    stream = StreamFactory()
    make_modules()
    chamber = make_staff(Role.CHAMBER, district=district)
    group = make_group(chamber, stream, capacity=1)
    put(chamber, group, make_participants(district, stream, 1))
    return group


def test_nobody_places_a_participant_in_the_admin_past_capacity(admin_client, full_group):
    assert admin_client.get(reverse("admin:training_groupmember_add")).status_code == 403
    member = GroupMember.objects.get()
    assert admin_client.post(reverse("admin:training_groupmember_change", args=[member.pk]), {}).status_code == 403
    assert GroupMember.objects.count() == 1


def group_form(group, **changes) -> dict:
    """The group's admin form as the browser posts it, with its two read-only inlines."""
    days = list(group.days.order_by("date").values_list("pk", flat=True))
    members = list(group.memberships.values_list("pk", flat=True))
    data = {
        "name": group.name,
        "place": group.place,
        "days-TOTAL_FORMS": str(len(days)),
        "days-INITIAL_FORMS": str(len(days)),
        "memberships-TOTAL_FORMS": str(len(members)),
        "memberships-INITIAL_FORMS": str(len(members)),
    }
    data.update({f"days-{i}-id": str(pk) for i, pk in enumerate(days)})
    data.update({f"memberships-{i}-id": str(pk) for i, pk in enumerate(members)})
    data.update(changes)
    return data


def test_the_group_admin_shows_the_schedule_but_cannot_move_a_day_onto_a_sunday(admin_client, full_group):
    day = full_group.days.order_by("date").first()
    sunday = day.date + datetime.timedelta(days=6 - day.date.weekday())
    url = reverse("admin:training_traininggroup_change", args=[full_group.pk])
    assert day.module.title in admin_client.get(url).text
    response = admin_client.post(url, group_form(full_group, **{"days-0-date": sunday.isoformat()}))
    assert response.status_code == 302  # saved, and the day did not move
    day.refresh_from_db()
    assert day.date != sunday
    assert not TeachingDay.objects.filter(date=sunday).exists()


def test_the_group_admin_renames_a_group_but_cannot_change_its_capacity(admin_client, admin_user, full_group):
    url = reverse("admin:training_traininggroup_change", args=[full_group.pk])
    response = admin_client.post(url, group_form(full_group, name="Renamed", capacity="200"))
    assert response.status_code == 302
    full_group.refresh_from_db()
    assert (full_group.name, full_group.capacity) == ("Renamed", 1)
    entry = AuditEntry.objects.get(model="training.traininggroup")
    assert entry.actor == admin_user and entry.changes == {"name": ["Group A", "Renamed"]}


def test_documents_are_not_added_in_the_admin(admin_client, district):
    application = make_application(district=district)
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    upload = SimpleUploadedFile("id.pdf", b"%PDF-1.4\n", content_type="application/pdf")
    services.document_attach(application=application, actor=centre, kind="id_card", upload=upload)
    assert admin_client.get(reverse("admin:applications_document_add")).status_code == 403
    document = application.documents.get()
    assert admin_client.get(reverse("admin:applications_document_change", args=[document.pk])).status_code == 200
    assert admin_client.post(reverse("admin:applications_document_change", args=[document.pk]), {}).status_code == 403


def _application_form(application, **changes):
    data = {
        "iin": application.iin,
        "last_name": application.last_name,
        "first_name": application.first_name,
        "patronymic": application.patronymic,
        "birth_date": application.birth_date.isoformat(),
        "sex": application.sex,
        "phone": str(application.phone),
        "email": application.email,
        "district": application.district_id,
        "employment_status": application.employment_status,
        "education": application.education,
        "business_idea": application.business_idea,
        "sector": application.sector,
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_a_latin_surname_is_refused_on_its_field_and_nothing_is_stored(admin_client, district):
    application = make_application(district=district, last_name="Серікбаев")
    url = reverse("admin:applications_application_change", args=[application.pk])
    response = admin_client.post(url, _application_form(application, last_name="Serikbaev"))
    assert response.status_code == 200
    assert "Write the name in Cyrillic letters" in str(response.context["adminform"].form.errors["last_name"])
    application.refresh_from_db()
    assert application.last_name == "Серікбаев"
    assert not AuditEntry.objects.exists()


def test_a_correction_of_personal_data_is_recorded_with_who_when_and_what(admin_client, admin_user, district):
    application = make_application(district=district, last_name="Серікбаев")
    url = reverse("admin:applications_application_change", args=[application.pk])
    response = admin_client.post(url, _application_form(application, last_name="Серікбаева", sex="F"))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.last_name == "Серікбаева"
    assert application.iin_mismatch  # the IIN says male: flagged for staff, not refused
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.model) == (admin_user, "change", "applications.application")
    assert entry.changes == {"last_name": ["Серікбаев", "Серікбаева"], "sex": ["M", "F"]}


def test_an_application_cannot_be_added_or_its_status_changed_in_the_admin(admin_client, district):
    application = make_application(district=district)
    assert admin_client.get(reverse("admin:applications_application_add")).status_code == 403
    admin_client.post(
        reverse("admin:applications_application_change", args=[application.pk]),
        _application_form(application, status="eligible"),
    )
    application.refresh_from_db()
    assert application.status == "submitted"


def test_a_change_to_a_stream_is_recorded(admin_client, admin_user):
    stream = StreamFactory()
    url = reverse("admin:programme_stream_change", args=[stream.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(application_closes="2026-11-25")
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    data["districts"] = []
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(model="programme.stream")
    assert entry.actor == admin_user and entry.changes == {"application_closes": ["2026-11-30", "2026-11-25"]}
