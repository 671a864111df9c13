"""The commission's background work: the protocol PDF of a confirmed session.

The state lives on the session row (queued → rendering → ready | failed). The task is idempotent: it
takes the row under a lock (skip_locked: a copy already at work makes this one return), does nothing
when the protocol is ready or a render started less than STUCK_AFTER ago, writes one file per session
(the same name every time) and marks it ready in the transaction that checks the state. The beat job
`sweep-protocols` queues again what stayed queued or rendering too long (a lost message, a killed worker).
"""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from commissions.models import DefenceSession, ProtocolState, protocol_path

log = logging.getLogger("bastau.commissions")

STUCK_AFTER = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
MAX_ATTEMPTS = 5


@shared_task(
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=30,
    max_retries=5,
    soft_time_limit=120,
    time_limit=180,
)
def render_protocol_task(session_id: int) -> str:
    from commissions import protocol

    now = timezone.now()
    with transaction.atomic():
        session = DefenceSession.objects.select_for_update(skip_locked=True).filter(pk=session_id).first()
        if session is None:
            return "busy"  # another copy holds the row (or it is gone)
        state = session.protocol_state
        if state not in (ProtocolState.QUEUED, ProtocolState.RENDERING):
            return state or "none"
        if (
            state == ProtocolState.RENDERING
            and session.protocol_started_at
            and now - session.protocol_started_at < STUCK_AFTER
        ):
            return "rendering"  # a worker is on it
        session.protocol_state = ProtocolState.RENDERING
        session.protocol_started_at = now
        session.protocol_attempts += 1
        session.save(update_fields=["protocol_state", "protocol_started_at", "protocol_attempts"])
    try:
        pdf = protocol.render(session)
    except Exception as exc:
        log.exception("The protocol of session %s failed to render", session_id)
        DefenceSession.objects.filter(pk=session_id, protocol_state=ProtocolState.RENDERING).update(
            protocol_state=ProtocolState.FAILED, protocol_error=str(exc)[:500]
        )
        return "failed"
    with transaction.atomic():
        session = DefenceSession.objects.select_for_update().get(pk=session_id)
        if session.protocol_state != ProtocolState.RENDERING:
            return session.protocol_state
        name = protocol_path(session, "")
        storage = session.protocol.storage
        if storage.exists(name):
            storage.delete(name)
        session.protocol.save(name, ContentFile(pdf), save=False)
        session.protocol_state = ProtocolState.READY
        session.protocol_rendered_at = timezone.now()
        session.protocol_error = ""
        session.save(update_fields=["protocol", "protocol_state", "protocol_rendered_at", "protocol_error"])
    return "ready"


@shared_task
def sweep_protocols_task() -> int:
    """Queue again the protocols whose message was lost or whose worker died (at most MAX_ATTEMPTS tries)."""
    now = timezone.now()
    stuck = list(
        DefenceSession.objects.filter(
            protocol_state__in=(ProtocolState.QUEUED, ProtocolState.RENDERING),
            protocol_queued_at__lt=now - STUCK_AFTER,
            protocol_attempts__lt=MAX_ATTEMPTS,
        ).values_list("pk", flat=True)[:500]
    )
    for session_id in stuck:
        render_protocol_task.apply_async((session_id,), retry=False)
    return len(stuck)
