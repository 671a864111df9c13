"""A transactional outbox for Celery tasks (docs/architecture.md "Background work").

`enqueue(task_name, *args)` writes an `OutboxMessage` row inside the caller's transaction; after
the commit it tries once to publish it, with no retries, so a request answers as fast with Redis
down as with Redis up (kombu's default retries made each status change wait ~19 s). A row that
could not be published stays, and `relay()` (the beat job `core.tasks.relay_outbox_task`, and
`manage.py relay_outbox`) publishes it when the broker answers again. Tasks are idempotent, so a
message published twice (published, then the row's update lost) does its work once.

After a failed publish this process stops trying for `PAUSE_SECONDS`: a bulk decision of 200
applications with Redis down costs one refused connection, not 200.
"""

import datetime
import importlib
import logging
import time

from django.db import transaction
from django.utils import timezone

from core.models import OutboxMessage

log = logging.getLogger("bastau.outbox")

PAUSE_SECONDS = 30.0
RELAY_AFTER = datetime.timedelta(seconds=10)  # give the request's own publish a chance first
_broker_down_until = 0.0


def enqueue(task_name: str, *args) -> OutboxMessage:
    """Record a task to run once the current transaction commits."""
    message = OutboxMessage.objects.create(task=task_name, args=list(args))
    transaction.on_commit(lambda: publish(message.pk), robust=True)
    return message


def publish(message_id: int) -> bool:
    """Publish one message unless the broker was found down a moment ago. True when it went."""
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        return False
    message = OutboxMessage.objects.filter(pk=message_id, published_at__isnull=True).first()
    if message is None:
        return True
    from bastau.celery import app

    try:
        importlib.import_module(message.task.rsplit(".", 1)[0])  # registers the task with the app
        task = app.tasks[message.task]
    except (ImportError, KeyError):
        log.error("Outbox message %s names an unknown task %s", message.pk, message.task)
        return False
    if not app.conf.task_always_eager:
        try:
            task.apply_async(args=message.args, retry=False)
        except Exception as exc:  # kombu raises its own OperationalError subclasses, and OSError
            _broker_down_until = time.monotonic() + PAUSE_SECONDS
            OutboxMessage.objects.filter(pk=message.pk).update(attempts=message.attempts + 1, last_error=str(exc)[:300])
            log.warning("Broker unreachable; outbox message %s will be relayed later (%s)", message.pk, exc)
            return False
        OutboxMessage.objects.filter(pk=message.pk).update(published_at=timezone.now(), attempts=message.attempts + 1)
        return True
    # No broker (a laptop, the unit tests): run the task here, now.
    OutboxMessage.objects.filter(pk=message.pk).update(published_at=timezone.now(), attempts=message.attempts + 1)
    task.apply(args=message.args, throw=app.conf.task_eager_propagates)
    return True


def relay(limit: int = 1000, *, older_than: datetime.timedelta = RELAY_AFTER) -> int:
    """Publish messages still waiting (the broker was down, or the process died before publishing).
    Stops at the first failure; returns how many went."""
    global _broker_down_until
    _broker_down_until = 0.0  # the relay always tries
    ids = list(
        OutboxMessage.objects.filter(published_at__isnull=True, created_at__lt=timezone.now() - older_than)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for message_id in ids:
        if not publish(message_id):
            break
        sent += 1
    return sent
