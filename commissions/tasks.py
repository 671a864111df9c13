"""The commission's background work: the protocol PDF of a confirmed session, on the job machine
(core/jobs.py) and the `pdf` queue.

The state lives on the session row (queued → rendering → ready | failed, with its tries and error).
The task is idempotent: the try is claimed under the row lock (a copy already at work makes this one
return; a protocol ready or a render begun less than the stale time ago is left alone), one file is
written per session (the same name every time) and marked ready in the transaction that checks the
state. An error is retried with a backoff up to the cap, then the session says why it failed; the
beat job `sweep-jobs` queues again what stayed queued or rendering too long (a lost message, a killed
worker).
"""

import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core import jobs

log = logging.getLogger("bastau.commissions")

PROTOCOL = jobs.register(
    jobs.Kind(
        name="commissions.protocol",
        model="commissions.DefenceSession",
        task="commissions.tasks.render_protocol_task",
        queue="pdf",
        state="protocol_state",
        running="rendering",
        done="ready",
        attempts="protocol_attempts",
        since="protocol_queued_at",
        began="protocol_started_at",
        error="protocol_error",
    )
)
STUCK_AFTER = PROTOCOL.stale_after
MAX_ATTEMPTS = PROTOCOL.max_attempts


def render_protocol(session_id: int) -> str:
    from commissions import protocol
    from commissions.models import DefenceSession, ProtocolState, protocol_path

    session = jobs.claim(PROTOCOL, session_id)
    if session is None:
        state = DefenceSession.objects.filter(pk=session_id).values_list("protocol_state", flat=True).first()
        return "busy" if state is None else (state or "none")
    pdf = protocol.render(session)
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


@shared_task(bind=True, max_retries=None, soft_time_limit=120, time_limit=180)
def render_protocol_task(self, session_id: int) -> str:
    return jobs.run(self, PROTOCOL, session_id, render_protocol)
