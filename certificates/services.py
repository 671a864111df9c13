"""Issuing, revoking and reissuing certificates (docs/architecture.md "Certificates").

Who gets which: a participant whose defence outcome is *defended* gets a certificate of completion,
*not defended* one of participation in the training; an expelled participant, or anyone else, none.
Issuing is idempotent: the application is locked first, and one already certified gets back the
certificate it holds, so a double click, two Chamber specialists at once or a retried request never
make a second certificate; the database's "one valid certificate per IIN" constraint backs it.

Numbers (BST-<year>-<000123>) come from a counter row per year locked in the same transaction as
the certificate's creation: consecutive, never reused, and a rollback gives the number back.
Lock order, always: applications (by id), then the year's counter.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from applications import pathway
from applications.models import Application, Status
from certificates.models import Certificate, CertificateCounter, IssueJob, certificate_file_name
from core import jobs, outbox
from core.errors import Conflict, NotFound
from core.pii import mask_iin
from training.models import GroupMember, TrainingGroup

NUMBER_PREFIX = "BST"
# The kind each defence outcome earns, and the move of the path it makes.
KINDS: dict[str, tuple[str, str]] = {
    Status.DEFENDED: (Certificate.Kind.COMPLETION, "certificates.completion"),
    Status.NOT_DEFENDED: (Certificate.Kind.PARTICIPATION, "certificates.participation"),
}
CERTIFIED = (Status.CERTIFIED, Status.PARTICIPATION_CERTIFIED)


def format_number(year: int, sequence: int) -> str:
    return f"{NUMBER_PREFIX}-{year}-{sequence:06d}"


def next_number(year: int) -> tuple[int, str]:
    """The year's next sequence and number, inside the caller's transaction (the counter stays locked
    until it commits; a rollback undoes the increment, so no number is ever skipped)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() runs inside the transaction that creates the certificate")
    CertificateCounter.objects.bulk_create([CertificateCounter(year=year)], ignore_conflicts=True)
    counter = CertificateCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, format_number(year, counter.last)


def _place_of(application: Application) -> GroupMember | None:
    """The place the participant finished the course in: the last one they were not moved out of."""
    return (
        GroupMember.objects.filter(application=application, moved_to__isnull=True)
        .select_related("group")
        .order_by("-placed_at")
        .first()
    )


def refusal(application: Application) -> str | None:
    """Why this application gets no certificate now, or None when it gets one (or holds one)."""
    status = application.status
    if status in KINDS or status in CERTIFIED:
        return None
    if status == Status.EXPELLED:
        return _("Expelled by the commission: an expelled participant gets no certificate.")
    if status in (Status.COURSE_FINISHED, Status.IN_TRAINING, Status.EXPULSION_CASE, Status.PLACED):
        return _("No defence outcome yet: the certificate follows the commission's confirmed outcome.")
    return _("Not a participant who finished the course: no certificate.")


def _create(application: Application, *, actor, kind: str, replaces: Certificate | None = None) -> Certificate:
    """A certificate row for the locked application, with the year's next number, its PDF queued."""
    today = timezone.localdate()
    stream = application.stream
    if stream is None:  # every participant's application has its stream; say so rather than crash
        raise Conflict(_("The application has no stream."))
    place = _place_of(application)
    group = place.group if place else None
    if group is not None:
        days = list(group.days.order_by("date").values_list("date", flat=True))
        course_start, course_end = (days[0], days[-1]) if days else (group.course_start, group.course_start)
    else:
        course_start = course_end = stream.course_start
    sequence, number = next_number(today.year)
    certificate = Certificate.objects.create(
        number=number,
        year=today.year,
        sequence=sequence,
        iin=application.iin,
        masked_iin=mask_iin(application.iin),
        holder_name=application.full_name,
        kind=kind,
        issued_on=today,
        application=application,
        district_id=application.district_id,
        stream=stream,
        group=group,
        course_start=course_start,
        course_end=course_end,
        issued_by=actor,
        replaces=replaces,
        file=certificate_file_name(today.year),
        render_started_at=timezone.now(),
    )
    outbox.enqueue("certificates.tasks.render_certificate_task", certificate.pk)
    return certificate


def _issue_locked(application: Application, *, actor) -> tuple[Certificate, bool]:
    """Issue for an application the caller locked. (certificate, True) when made now, (the one it
    holds, False) when it had one already; Conflict when it gets none."""
    if application.status in CERTIFIED:
        held = Certificate.objects.filter(application=application).valid().first()
        if held is not None:
            return held, False
    reason = refusal(application)
    if reason is not None or application.status not in KINDS:
        raise Conflict(reason or _("This application holds no valid certificate."), code="certificates.none")
    if Certificate.objects.valid().filter(iin=application.iin).exists():
        raise Conflict(_("This person already holds a valid Bastau certificate."), code="certificates.one_per_person")
    kind, move = KINDS[application.status]
    certificate = _create(application, actor=actor, kind=kind)
    pathway.fire(
        application,
        move,
        actor=actor,
        reason=lambda: _("Certificate No. %(number)s") % {"number": certificate.number},
    )
    return certificate, True


def certificate_issue(*, actor, application_id: int) -> tuple[Certificate, bool]:
    """Issue one participant's certificate (the Chamber branch of their district)."""
    application = Application.objects.visible_to(actor).filter(pk=application_id).first()
    if application is None:
        raise NotFound(_("No such application."))
    policy.require(actor, "certificates.issue", application)
    try:
        with transaction.atomic():
            application = Application.objects.select_for_update().get(pk=application_id)
            return _issue_locked(application, actor=actor)
    except IntegrityError:  # another application of the same person was certified at this moment
        raise Conflict(
            _("This person already holds a valid Bastau certificate."), code="certificates.one_per_person"
        ) from None


def group_applications(group: TrainingGroup):
    """The applications of the participants who ended the course in this group (not moved out)."""
    return Application.objects.filter(memberships__group=group, memberships__moved_to__isnull=True).distinct()


def certificates_issue_for_group(*, actor, group_id: int) -> IssueJob:
    """Issue the certificates of a whole group in one action. Each participant is issued in a savepoint
    of one transaction: one who gets none is listed with the reason, the others are issued; their PDFs
    are queued after the commit. Run twice, the second run issues nothing new."""
    group = TrainingGroup.objects.visible_to(actor).filter(pk=group_id).first()
    if group is None:
        raise NotFound(_("No such training group."))
    policy.require(actor, "certificates.issue", group)
    with transaction.atomic():
        group = TrainingGroup.objects.select_for_update().get(pk=group_id)  # one group issue at a time
        ids = list(group_applications(group).values_list("pk", flat=True))
        applications = list(Application.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        job = IssueJob(group=group, district_id=group.district_id, created_by=actor)
        for application in sorted(applications, key=lambda a: (a.last_name, a.first_name, a.pk)):
            try:
                with transaction.atomic():
                    _certificate, created = _issue_locked(application, actor=actor)
            except (Conflict, IntegrityError) as exc:
                message = exc.messages[0] if isinstance(exc, Conflict) else _("Already holds a certificate.")
                job.refused.append({"application": application.pk, "name": application.full_name, "reason": message})
                continue
            if created:
                job.issued += 1
            else:
                job.already += 1
        job.save()
    return job


def _chamber_may(actor, action: str, certificate: Certificate) -> None:
    if not Certificate.objects.visible_to(actor).filter(pk=certificate.pk).exists():
        raise NotFound(_("No such certificate."))
    policy.require(actor, action, certificate)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    return reason[:500]


def certificate_revoke(*, actor, certificate_id: int, reason: str) -> Certificate:
    """Revoke a certificate: the verification page shows it revoked from now on; the row stays."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        raise NotFound(_("No such certificate."))
    _chamber_may(actor, "certificates.revoke", certificate)
    reason = _reason(reason)
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        if certificate.revoked_at is not None:
            raise Conflict(_("Certificate No. %(number)s is already revoked.") % {"number": certificate.number})
        certificate.revoked_at, certificate.revoked_by, certificate.revoke_reason = timezone.now(), actor, reason
        certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return certificate


def certificate_reissue(*, actor, certificate_id: int, reason: str) -> Certificate:
    """Replace a certificate (a corrected name, a lost original…): the old one is revoked with the
    reason, unless it was already, and a new one with a new number replaces it, its PDF queued."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        raise NotFound(_("No such certificate."))
    _chamber_may(actor, "certificates.reissue", certificate)
    reason = _reason(reason)
    if certificate.application_id is None:  # one from before the portal: nothing to issue it from
        raise Conflict(_("This certificate was issued before the portal and cannot be reissued here."))
    try:
        with transaction.atomic():
            application = Application.objects.select_for_update().get(pk=certificate.application_id)
            old = Certificate.objects.select_for_update().get(pk=certificate_id)
            if Certificate.objects.filter(replaces=old).exists():
                raise Conflict(_("Certificate No. %(number)s has been reissued already.") % {"number": old.number})
            if old.revoked_at is None:
                old.revoked_at, old.revoked_by, old.revoke_reason = timezone.now(), actor, reason
                old.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
            return _create(application, actor=actor, kind=old.kind, replaces=old)
    except IntegrityError:
        raise Conflict(
            _("This person already holds a valid Bastau certificate."), code="certificates.one_per_person"
        ) from None


def certificate_render_again(*, actor, certificate_id: int) -> Certificate:
    """Queue a PDF whose rendering failed once more (after the cause was fixed)."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        raise NotFound(_("No such certificate."))
    _chamber_may(actor, "certificates.issue", certificate)
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        if certificate.render_state != Certificate.Render.FAILED:
            raise Conflict(_("This certificate's PDF has not failed."))
        from certificates.tasks import CERTIFICATE_PDF

        jobs.start(CERTIFICATE_PDF, certificate)
    return certificate


STUCK_EMAIL_AFTER = datetime.timedelta(minutes=5)
