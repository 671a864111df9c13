"""Who gets which certificate, numbers, idempotent issuing, the group's one action, revoke and reissue."""

import pytest
from django.db import IntegrityError, transaction

from applications.models import Status, StatusChange
from certificates import services
from certificates.models import Certificate, CertificateCounter
from core.errors import Conflict
from core.models import OutboxMessage
from tests.certificates.helpers import make_mixed_group
from tests.factories import make_defended, make_finished

pytestmark = pytest.mark.django_db
RENDER = "certificates.tasks.render_certificate_task"


def issue(actor, application):
    return services.certificate_issue(actor=actor, application_id=application.pk)


@pytest.mark.parametrize(
    ("defended", "kind", "move", "status"),
    [
        (True, Certificate.Kind.COMPLETION, "certificates.completion", Status.CERTIFIED),
        (False, Certificate.Kind.PARTICIPATION, "certificates.participation", Status.PARTICIPATION_CERTIFIED),
    ],
)
def test_each_outcome_gets_its_kind_with_the_holders_data_and_the_move_on_the_timeline(
    district, stream, chamber_user, defended, kind, move, status
):
    (application,), group = make_defended(district, stream, 1, defended=defended)
    certificate, created = issue(chamber_user, application)
    assert created
    days = list(group.days.order_by("date").values_list("date", flat=True))
    year = certificate.issued_on.year
    assert (certificate.kind, certificate.number, certificate.year, certificate.sequence) == (
        kind,
        f"BST-{year}-000001",
        year,
        1,
    )
    assert (certificate.holder_name, certificate.iin, certificate.masked_iin) == (
        "Серікбаев Нұрлан Асқарұлы",
        application.iin,
        "••••••••" + application.iin[-4:],
    )
    assert (certificate.application, certificate.district, certificate.stream, certificate.group) == (
        application,
        district,
        stream,
        group,
    )
    assert (certificate.course_start, certificate.course_end) == (days[0], days[-1])
    assert certificate.render_state == Certificate.Render.QUEUED and certificate.revoked_at is None
    application.refresh_from_db()
    assert application.status == status
    change = StatusChange.objects.get(application=application, move=move)
    assert (change.actor, change.reason) == (chamber_user, f"Certificate No. {certificate.number}")
    assert list(OutboxMessage.objects.filter(task=RENDER).values_list("args", flat=True)) == [[certificate.pk]]


def test_the_expelled_get_none_and_are_told_why(district, stream, chamber_user):
    expelled, _defended, _not_defended, _group = make_mixed_group(district, stream)
    assert expelled.status == Status.EXPELLED
    with pytest.raises(Conflict) as exc:
        issue(chamber_user, expelled)
    assert "expelled participant gets no certificate" in exc.value.messages[0]
    assert not Certificate.objects.exists() and not CertificateCounter.objects.filter(last__gt=0).exists()


def test_no_outcome_yet_gets_none(district, stream, chamber_user):
    (application,), _group = make_finished(district, stream, 1)
    with pytest.raises(Conflict) as exc:
        issue(chamber_user, application)
    assert "No defence outcome yet" in exc.value.messages[0]
    assert not Certificate.objects.exists()


def test_issuing_twice_gives_back_the_same_certificate_and_number(district, stream, chamber_user):
    (application,), _group = make_defended(district, stream, 1)
    first, created = issue(chamber_user, application)
    again, created_again = issue(chamber_user, application)
    assert (created, created_again, again) == (True, False, first)
    assert Certificate.objects.count() == 1
    assert CertificateCounter.objects.get().last == 1
    assert OutboxMessage.objects.filter(task=RENDER).count() == 1


def test_the_group_is_issued_in_one_action_each_by_their_outcome_and_twice_issues_nothing_more(
    district, stream, chamber_user
):
    expelled, defended, not_defended, group = make_mixed_group(district, stream)
    job = services.certificates_issue_for_group(actor=chamber_user, group_id=group.pk)
    assert (job.issued, job.already) == (2, 0)
    assert job.refused == [
        {
            "application": expelled.pk,
            "name": expelled.full_name,
            "reason": "Expelled by the commission: an expelled participant gets no certificate.",
        }
    ]
    issued = {c.application_id: (c.kind, c.sequence) for c in Certificate.objects.all()}
    assert sorted(issued.values(), key=lambda v: v[1])[0][1] == 1
    assert {k: v[0] for k, v in issued.items()} == {
        defended.pk: Certificate.Kind.COMPLETION,
        not_defended.pk: Certificate.Kind.PARTICIPATION,
    }
    assert sorted(s for _k, s in issued.values()) == [1, 2]

    again = services.certificates_issue_for_group(actor=chamber_user, group_id=group.pk)  # a double click
    assert (again.issued, again.already, len(again.refused)) == (0, 2, 1)
    assert Certificate.objects.count() == 2 and CertificateCounter.objects.get().last == 2


def test_the_database_keeps_one_valid_certificate_per_person(district, stream, chamber_user):
    (application,), _group = make_defended(district, stream, 1)
    certificate, _ = issue(chamber_user, application)
    twin = Certificate(
        **{
            f.attname: getattr(certificate, f.attname)
            for f in Certificate._meta.concrete_fields
            if f.name not in ("id", "code", "number", "sequence")
        }
    )
    twin.number, twin.sequence = "BST-X-1", 99
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_a_rolled_back_issue_gives_its_number_back(district, stream, chamber_user):
    (first, second), _group = make_defended(district, stream, 2)
    with pytest.raises(RuntimeError), transaction.atomic():
        issue(chamber_user, first)
        raise RuntimeError("the request failed after issuing")
    assert not Certificate.objects.exists()
    certificate, _ = issue(chamber_user, second)
    assert certificate.sequence == 1 and certificate.number.endswith("-000001")


def test_numbers_run_on_per_year_and_restart_in_a_new_year(db):
    with transaction.atomic():
        assert services.next_number(2026) == (1, "BST-2026-000001")
        assert services.next_number(2026) == (2, "BST-2026-000002")
        assert services.next_number(2027) == (1, "BST-2027-000001")


def test_revoke_and_reissue_keep_both_with_new_number_and_reason(district, stream, chamber_user):
    (application,), _group = make_defended(district, stream, 1)
    old, _ = issue(chamber_user, application)
    with pytest.raises(Exception) as exc:
        services.certificate_reissue(actor=chamber_user, certificate_id=old.pk, reason="  ")
    assert "reason" in exc.value.error_dict
    new = services.certificate_reissue(actor=chamber_user, certificate_id=old.pk, reason="Surname misspelt")
    old.refresh_from_db()
    assert (old.revoked_by, old.revoke_reason, old.revoked_at is not None) == (chamber_user, "Surname misspelt", True)
    assert (new.replaces, new.kind, new.application, new.sequence, new.revoked_at) == (
        old,
        old.kind,
        application,
        2,
        None,
    )
    assert new.number != old.number
    with pytest.raises(Conflict):
        services.certificate_reissue(actor=chamber_user, certificate_id=old.pk, reason="Again")
    with pytest.raises(Conflict):
        services.certificate_revoke(actor=chamber_user, certificate_id=old.pk, reason="Again")
    application.refresh_from_db()
    assert application.status == Status.CERTIFIED  # the path does not move back


def test_a_revoked_certificate_can_be_reissued_later(district, stream, chamber_user):
    (application,), _group = make_defended(district, stream, 1)
    old, _ = issue(chamber_user, application)
    services.certificate_revoke(actor=chamber_user, certificate_id=old.pk, reason="Issued by mistake")
    assert issue_refused(chamber_user, application)
    new = services.certificate_reissue(actor=chamber_user, certificate_id=old.pk, reason="Restored")
    assert new.replaces == old and new.revoke_reason == ""


def issue_refused(actor, application) -> bool:
    try:
        issue(actor, application)
    except Conflict:
        return True
    return False


def test_a_holder_cannot_apply_again(district, stream, chamber_user):
    from applications import signals
    from applications.models import Application

    (application,), _group = make_defended(district, stream, 1)
    certificate, _ = issue(chamber_user, application)
    refusals = [m for _r, m in signals.submission_check.send(sender=Application, iin=application.iin) if m]
    assert [certificate.number in str(m) for m in refusals] == [True]
