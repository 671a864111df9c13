"""Who may act, asked of the services themselves, without their views (issue 7, part 3).

Each case was found by calling a service directly: each is refused now with a clear message in the
one documented shape (core.errors), never a 500 or a DoesNotExist.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import policy
from accounts.models import Role
from applications import imports, selectors, services
from applications.models import ApplicantList, Application, ImportJob, Status
from aptitude import services as aptitude_services
from core.errors import NotFound, Refused
from tests.aptitude.helpers import CLOSES, OPENS
from tests.factories import (
    StreamFactory,
    make_accepted,
    make_applicant,
    make_application,
    make_bank,
    make_modules,
    make_participants,
    make_staff,
)
from tests.training.helpers import make_group, put

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"


def test_a_trainer_cannot_register_an_application(district):
    trainer = make_staff(Role.TRAINER, district=district)
    with pytest.raises(Refused) as refused:
        services.application_submit(applicant=make_applicant(district=district), actor=trainer)
    assert refused.value.code == "applications.open_intake"
    assert "employment centre, the akimat or the Chamber branch" in str(refused.value)
    assert not Application.objects.exists()


def test_a_trainer_cannot_withdraw_even_a_participant_of_their_own_group(district):
    stream = StreamFactory()
    make_modules()
    chamber = make_staff(Role.CHAMBER, district=district)
    trainer = make_staff(Role.TRAINER, district=district)
    group = make_group(chamber, stream, trainers=[trainer])
    (participant,) = make_participants(district, stream, 1)
    put(chamber, group, [participant])
    assert Application.objects.visible_to(trainer).filter(pk=participant.pk).exists()  # they may read it

    with pytest.raises(Refused, match="Only the applicant, or an office handling the application"):
        services.application_withdraw(application_id=participant.pk, actor=trainer)
    participant.refresh_from_db()
    assert participant.status == Status.PLACED


def test_an_analyst_reads_every_application_but_cannot_withdraw_one(district):
    application = make_application(district=district)
    analyst = make_staff(Role.ANALYST, national=True)
    assert Application.objects.visible_to(analyst).filter(pk=application.pk).exists()
    with pytest.raises(Refused) as refused:
        services.application_withdraw(application_id=application.pk, actor=analyst)
    assert refused.value.code == "applications.withdraw"
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_a_trainer_posting_the_withdrawal_form_is_refused_on_the_page(login, district):
    application = make_application(district=district)
    trainer = make_staff(Role.TRAINER, district=district)
    response = login(trainer).post(reverse("applications:withdraw", args=[application.code]))
    assert response.status_code == 404  # a trainer does not even see applicants outside their groups
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_the_chamber_cannot_start_or_submit_a_citizens_test(district):
    stream = StreamFactory()
    make_bank(20)
    chamber = make_staff(Role.CHAMBER, district=district)
    (accepted,) = make_accepted(district, stream, 1)
    session = aptitude_services.session_schedule(
        actor=chamber, stream=stream, mode="online", starts_at=OPENS, closes_at=CLOSES
    )
    attempt = session.attempts.get()
    for call in (aptitude_services.attempt_start, aptitude_services.attempt_submit):
        with pytest.raises(Refused, match="This is not your test."):
            call(attempt_id=attempt.pk, user=chamber)
    with pytest.raises(Refused, match="This is not your test."):
        aptitude_services.attempt_answer(
            attempt_id=attempt.pk, user=chamber, question_id=attempt.question_ids[0], choice_ids=[]
        )
    attempt.refresh_from_db()
    assert attempt.started_at is None and attempt.submitted_at is None


def test_staff_of_another_district_cannot_attach_a_document(district, other_district):
    application = make_application(district=district)
    outsider = make_staff(Role.EMPLOYMENT_CENTRE, district=other_district)
    upload = SimpleUploadedFile("id.pdf", PDF, content_type="application/pdf")
    with pytest.raises(Refused) as refused:
        services.document_attach(application=application, actor=outsider, kind="id_card", upload=upload)
    assert refused.value.code == "applications.attach_document"
    assert not application.documents.exists()


def test_the_chamber_never_reads_a_draft_list(district):
    stream = StreamFactory()
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    chamber = make_staff(Role.CHAMBER, district=district)
    make_application(district=district, status=Status.ELIGIBLE, now=_window(stream))
    draft = services.applicant_list_create(actor=centre, stream=stream)

    assert not ApplicantList.objects.visible_to(chamber).filter(pk=draft.pk).exists()
    assert list(selectors.lists_for(chamber)) == []
    with pytest.raises(NotFound):
        services.applicant_list_accept(list_id=draft.pk, actor=chamber)
    services.applicant_list_send(list_id=draft.pk, actor=centre)
    assert [row.pk for row in selectors.lists_for(chamber)] == [draft.pk]


def test_only_the_office_that_uploaded_a_register_may_import_it(district, django_capture_on_commit_callbacks):
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    upload = SimpleUploadedFile("register.csv", b"iin;last_name\n", content_type="text/csv")
    job = ImportJob.objects.create(
        file=upload,
        original_name="register.csv",
        created_by=centre,
        organisation=centre.organisation,
        district=district,
        state=ImportJob.State.PREVIEW,
    )
    neighbour_office = make_staff(Role.AKIMAT, district=district)  # same district, another office
    trainer = make_staff(Role.TRAINER, district=district)
    for actor in (neighbour_office, trainer):
        with pytest.raises(Refused) as refused:
            imports.import_confirm(job=job, actor=actor)
        assert refused.value.code == "applications.confirm_import"
    job.refresh_from_db()
    assert job.state == ImportJob.State.PREVIEW
    with django_capture_on_commit_callbacks():
        imports.import_confirm(job=job, actor=centre)
    job.refresh_from_db()
    assert job.state != ImportJob.State.PREVIEW


def test_a_regional_employment_centre_is_told_why_it_cannot_make_a_list(district):
    stream = StreamFactory()
    regional = make_staff(Role.EMPLOYMENT_CENTRE, region=district.region)
    with pytest.raises(Refused, match="prepared by a district's employment centre"):
        services.applicant_list_create(actor=regional, stream=stream)


def test_a_decision_on_an_application_outside_the_area_is_not_found_not_a_crash(district, other_district):
    application = make_application(district=district)
    outsider = make_staff(Role.EMPLOYMENT_CENTRE, district=other_district)
    with pytest.raises(NotFound, match="outside your area"):
        services.application_decide(application_id=application.pk, actor=outsider, eligible=True)


def test_every_refusal_is_one_shape_mapped_to_403_and_404():
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    assert issubclass(Refused, PermissionDenied) and issubclass(NotFound, Http404)


def test_every_rule_named_by_a_move_or_the_navigation_is_declared():
    from applications import pathway
    from portal.navigation import NAV_ITEMS

    named = {move.action for move in pathway.moves() if move.action} | {i.action for i in NAV_ITEMS if i.action}
    assert named - set(policy.actions()) == set()


def _window(stream):
    import datetime

    return datetime.datetime.combine(stream.application_opens, datetime.time(12), tzinfo=datetime.UTC)
