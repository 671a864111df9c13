"""Training's background work: warnings and cases told after the commit, and the course's end.
Each task is idempotent: a channel is recorded as sent under a row lock, so a message relayed twice
(core/outbox.py) sends once."""

from collections.abc import Callable

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.delivery import send_once
from core.links import portal_link
from core.sms import send_sms
from training.models import AbsenceWarning, ExpulsionCase, GroupMember


def _tell_trainers(group, compose: Callable[[], tuple[str, str]]) -> None:
    """E-mail each of the group's trainers, the subject and body composed in the trainer's language."""
    for trainer in group.trainers.all():
        if trainer.email:
            with translation.override(trainer.language or None):
                subject, body = compose()
                send_mail(subject, body, None, [trainer.email])


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=30, max_retries=5)
def notify_absence_warning_task(warning_id: int) -> None:
    """The participant reached the absence limit: tell them (SMS) and their group's trainers (e-mail).
    Each channel is sent and recorded on its own (core/delivery.py): when the trainers' e-mail fails,
    the retry sends the e-mail only, never the participant's SMS again."""
    warning = (
        AbsenceWarning.objects.select_related("membership__application", "membership__group__stream")
        .filter(pk=warning_id)
        .first()
    )
    if warning is None:
        return
    application, group = warning.membership.application, warning.membership.group
    values = {"n": warning.missed, "limit": group.stream.absence_limit, "group": group.name}

    def tell_participant():
        with translation.override(application.language):
            text = (
                _(
                    "Bastau: you have missed %(n)s teaching days, the limit. One more and the commission "
                    "will consider your expulsion."
                )
                % values
            )
        send_sms(str(application.phone), text)

    def tell_trainers():
        _tell_trainers(
            group,
            lambda: (
                _("Bastau: a participant reached the absence limit"),
                _("%(name)s of group %(group)s has missed %(n)s teaching days, the limit.")
                % {**values, "name": application.full_name},
            ),
        )

    send_once(AbsenceWarning, warning_id, "participant_notified_at", tell_participant)
    send_once(AbsenceWarning, warning_id, "trainers_notified_at", tell_trainers)


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=30, max_retries=5)
def notify_move_task(member_id: int) -> None:
    """A participant was moved to another group: tell them (SMS, and e-mail when they gave one) which
    group, where, and their next teaching day there, in the language they applied in. Each channel is
    sent and recorded on its own (core/delivery.py): a retry after a failed e-mail sends no second SMS."""
    member = GroupMember.objects.select_related("application", "group").filter(pk=member_id).first()
    if member is None:
        return
    application, group = member.application, member.group
    next_day = group.days.filter(date__gte=timezone.localdate()).order_by("date").first()
    url = portal_link("applications:status", application.code)

    def compose() -> str:
        with translation.override(application.language):
            values = {"group": group.name, "place": group.place}
            if next_day is None:
                text = _("Bastau: you have been moved to group %(group)s, %(place)s.") % values
            else:
                values["day"] = date_format(next_day.date, "SHORT_DATE_FORMAT")
                text = (
                    _("Bastau: you have been moved to group %(group)s, %(place)s. Your next teaching day: %(day)s.")
                    % values
                )
            return f"{text} {url}"

    def tell_by_email():
        with translation.override(application.language):
            subject = _("Bastau: you have been moved to another training group")
        send_mail(subject, compose(), None, [application.email])

    send_once(GroupMember, member_id, "move_sms_sent_at", lambda: send_sms(str(application.phone), compose()))
    if application.email:
        send_once(GroupMember, member_id, "move_email_sent_at", tell_by_email)


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=30, max_retries=5)
def notify_case_opened_task(case_id: int) -> None:
    """An expulsion case was opened: the trainers hear of it (the participant's message goes with the
    status change)."""
    with transaction.atomic():
        case = (
            ExpulsionCase.objects.select_for_update(skip_locked=True)
            .select_related("application", "membership__group")
            .filter(pk=case_id, trainers_notified_at__isnull=True)
            .first()
        )
        if case is None:
            return
        _tell_trainers(
            case.membership.group,
            lambda: (
                _("Bastau: an expulsion case was opened"),
                _("%(name)s of group %(group)s has missed %(n)s teaching days; the commission will decide.")
                % {"name": case.application.full_name, "group": case.membership.group.name, "n": len(case.missed_days)},
            ),
        )
        case.trainers_notified_at = timezone.now()
        case.save(update_fields=["trainers_notified_at"])


@shared_task
def finish_courses_task() -> int:
    """Participants whose group's last teaching day has passed finish the course (training.services)."""
    from training.services import courses_finish

    return courses_finish()
