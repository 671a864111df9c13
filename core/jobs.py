"""One machine for background work (docs/architecture.md "Background work", docs/decisions.md).

Imports, exports, plan PDFs, protocols and certificates keep their state in PostgreSQL, on their own
row, and all follow this one model: **queued → running → done | failed**, with the number of tries
begun (`attempts`, capped by the kind's `max_attempts`), when the current try was queued or began
(`since`), the last error, and for the long ones a progress count (done of total). Each model keeps its
own column names and values (a certificate's *rendering* is the machine's running, its *ready* the
machine's done); a `Kind` says which is which, so every page and progress bar reads what it read before.

- `start(kind, row)` marks a row queued (no tries yet, no error) and queues its task after the commit
  through the outbox (core/outbox.py): a request never waits on Redis.
- `claim(kind, pk)` begins a try: the row locked (`skip_locked`: a copy of the message already at work
  makes this one return), nothing done when it is finished or a try began less than `stale_after` ago,
  marked running with one more attempt, committed at once (the page shows it); over the cap it fails.
- `run(task, kind, pk, work)` is the one retry policy: an error retries the task with a backoff of
  15 s, 30 s, 60 s … at most `MAX_BACKOFF` (below the broker's visibility timeout: PITFALLS.md, no ETA
  longer than it), until the try that reaches the cap, which marks the row failed with the reason.
  Errors that another try cannot fix (`permanent`) fail at once.
- `sweep()` (the beat job `core.tasks.sweep_jobs_task`) finds the rows of every kind queued or running
  for longer than `stale_after` — their message was lost (Redis down at enqueue) or their worker killed —
  and queues them again while under the cap, or fails them over it. `stale_after` is above the hard
  time limit, so no running task is taken for a lost one. Every task is safe to run twice.

PDF kinds run on the `pdf` queue (settings.CELERY_TASK_ROUTES; tests/core/test_jobs.py checks it).
"""

import dataclasses
import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

log = logging.getLogger("bastau.jobs")

# Longer than the hard time limit (a running task is never this old) and well below the broker's
# visibility timeout (2 × the hard limit), so the sweeper is the faster of the two rescues.
STALE_AFTER = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
BACKOFF_BASE = 15  # seconds before the second try; doubled for each further one
MAX_BACKOFF = 600  # never an ETA near the visibility timeout (PITFALLS.md)
SWEEP_BATCH = 500


class State(models.TextChoices):
    """The machine's states; a kind maps them to the values its model stores."""

    QUEUED = "queued", "queued"
    RUNNING = "running", "running"
    DONE = "done", "done"
    FAILED = "failed", "failed"


@dataclasses.dataclass(frozen=True)
class Kind:
    """One kind of background work: which model holds it, which columns mean what, which task runs it."""

    name: str
    model: str  # "app_label.ModelName"
    task: str  # the task that runs a queued or running row
    queue: str = "celery"  # "pdf" for the PDFs (settings.CELERY_TASK_ROUTES)
    state: str = "state"
    queued: str | None = State.QUEUED  # None: the state does not change when a try begins (imports' steps)
    running: str | None = State.RUNNING
    done: str = State.DONE
    failed: str = State.FAILED
    attempts: str = "attempts"
    since: str = "started_at"  # when the current try was queued or began
    began: str | None = None  # set when a try begins, if the model keeps it apart from `since`
    error: str = "error"
    error_length: int = 500
    finished: str | None = None  # set when the row ends (done or failed)
    processed: str | None = None  # progress: done so far …
    total: str | None = None  # … of this many
    max_attempts: int = 5
    stale_after: datetime.timedelta = STALE_AFTER
    # More active states, each with its own task (an import is checked, then imported).
    steps: tuple[tuple[str, str], ...] = ()
    # The work holds the row's lock while it runs (claim's skip_locked then sees a try at work), so a
    # message delivered again after its worker died may begin at once rather than once stale.
    locked_while_running: bool = False
    # What a failed row says to its owner (in their language), given the row and the last error; by
    # default the error itself (a cause another try cannot fix) or "Stopped after N attempts: …".
    failed_message: Callable[[Any, str], str] | None = None

    @property
    def Model(self) -> Any:  # noqa: N802  a model class
        return apps.get_model(self.model)

    def active(self) -> dict[str, str]:
        """Each state a row is waiting or at work in → the task that runs it."""
        tasks = {value: self.task for value in (self.queued, self.running) if value is not None}
        tasks.update(dict(self.steps))
        return tasks

    def reason(self, row: models.Model, error: str, *, gave_up: bool = True) -> str:
        if self.failed_message is not None:
            return self.failed_message(row, error)
        if not gave_up:
            return error
        return _("Stopped after %(attempts)s attempts: %(error)s") % {"attempts": self.max_attempts, "error": error}


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    _KINDS[kind.name] = kind
    return kind


def kinds() -> list[Kind]:
    """Every registered kind (each app declares its own in its tasks module)."""
    autodiscover_modules("tasks")
    return list(_KINDS.values())


def backoff(attempt: int) -> int:
    """Seconds to wait before the try after `attempt` (1, 2, …): 15, 30, 60 … at most MAX_BACKOFF."""
    return int(min(MAX_BACKOFF, BACKOFF_BASE * 2 ** max(0, attempt - 1)))


def _set(row: models.Model, **values) -> list[str]:
    for field, value in values.items():
        setattr(row, field, value)
    return list(values)


def start(kind: Kind, row: models.Model, *, state: str | None = None, task: str | None = None, **extra) -> None:
    """Queue the row's work after the commit: queued (or the given step's state), no tries, no error."""
    from core import outbox

    state = state or kind.queued or next(iter(kind.active()))
    values: dict[str, Any] = {kind.state: state, kind.attempts: 0, kind.error: "", kind.since: timezone.now(), **extra}
    row.save(update_fields=_set(row, **values))
    outbox.enqueue(task or kind.active()[state], row.pk)


def _give_up(kind: Kind, row: models.Model, error: str = "") -> None:
    reason = kind.reason(row, error or getattr(row, kind.error) or "")
    values: dict[str, Any] = {kind.state: kind.failed, kind.error: reason[: kind.error_length]}
    if kind.finished:
        values[kind.finished] = timezone.now()
    row.save(update_fields=_set(row, **values))
    log.warning("%s %s failed after %s attempts", kind.name, row.pk, getattr(row, kind.attempts))


def claim(kind: Kind, pk: int) -> Any:
    """Begin a try of this row; the row (committed as running) or None when there is nothing to do."""
    now = timezone.now()
    with transaction.atomic():
        row = kind.Model.objects.select_for_update(skip_locked=True, of=("self",)).filter(pk=pk).first()
        if row is None:
            return None  # another copy of the message holds it (or it is gone)
        state, since = getattr(row, kind.state), getattr(row, kind.since)
        if state not in kind.active():
            return None  # done, failed, or not asked for
        at_work = kind.running is not None and state == kind.running and not kind.locked_while_running
        if at_work and since and now - since < kind.stale_after:
            return None  # a worker is on it
        if getattr(row, kind.attempts) >= kind.max_attempts:
            _give_up(kind, row)
            return None
        values: dict[str, Any] = {kind.attempts: getattr(row, kind.attempts) + 1, kind.since: now}
        if kind.running is not None:
            values[kind.state] = kind.running
        if kind.began:
            values[kind.began] = now
        row.save(update_fields=_set(row, **values))
    return row


def fail(kind: Kind, pk: int, error: str) -> None:
    """Mark a waiting or running row failed with the reason (a cause another try cannot fix)."""
    rows = kind.Model.objects.filter(pk=pk, **{f"{kind.state}__in": list(kind.active())})
    row = rows.first()
    if row is None:
        return
    reason = kind.reason(row, error, gave_up=False)
    values: dict[str, Any] = {kind.state: kind.failed, kind.error: reason[: kind.error_length]}
    if kind.finished:
        values[kind.finished] = timezone.now()
    rows.update(**values)


def progress(kind: Kind, pk: int, processed: int, total: int | None = None) -> None:
    """Record how far a running row is (the page's progress bar reads it)."""
    if kind.processed is None or kind.total is None:
        raise ValueError(f"{kind.name} keeps no progress")
    values: dict[str, Any] = {kind.processed: processed}
    if total is not None:
        values[kind.total] = total
    kind.Model.objects.filter(pk=pk).update(**values)


def retry_or_fail(task, kind: Kind, pk: int, exc: BaseException) -> str:
    """The one retry policy: queue this try again after a backoff, or fail the row at the cap.
    Returns "failed" or "gone"; otherwise raises the task's Retry ("retry" when run eagerly)."""
    error = f"{type(exc).__name__}: {exc}"
    with transaction.atomic():
        row = kind.Model.objects.select_for_update(of=("self",)).filter(pk=pk).first()
        if row is None or getattr(row, kind.state) not in kind.active():
            return "gone"
        attempts = getattr(row, kind.attempts)
        if attempts >= kind.max_attempts:
            _give_up(kind, row, error)
            return "failed"
        values: dict[str, Any] = {kind.error: error[: kind.error_length], kind.since: timezone.now()}
        if kind.queued is not None:
            values[kind.state] = kind.queued
        row.save(update_fields=_set(row, **values))
    if task.request.is_eager:
        return "retry"  # no broker (a laptop, the unit tests): run() tries again here, at once
    raise task.retry(exc=exc, countdown=backoff(attempts), max_retries=None)


def run(task, kind: Kind, pk: int, work: Callable[[int], str], *, permanent: tuple = ()) -> str:
    """Run `work(pk)` (which claims the row first) under the retry policy. Returns what work returned,
    or "failed"."""
    while True:
        try:
            return work(pk)
        except permanent as exc:
            log.error("%s %s: %s", kind.name, pk, exc)
            fail(kind, pk, str(exc))
            return "failed"
        except Exception as exc:
            log.exception("%s %s failed (try %s)", kind.name, pk, task.request.retries + 1)
            outcome = retry_or_fail(task, kind, pk, exc)
            if outcome != "retry":
                return outcome


def sweep(only: list[str] | None = None) -> dict[str, dict[str, int]]:
    """Queue again what waited or ran too long, under the cap; fail what reached it. Per kind:
    {"requeued": n, "failed": n}."""
    from bastau.celery import app

    result: dict[str, dict[str, int]] = {}
    for kind in kinds():
        if only is not None and kind.name not in only:
            continue
        now = timezone.now()
        active = kind.active()
        stale = Q(**{f"{kind.since}__lt": now - kind.stale_after}) | Q(**{f"{kind.since}__isnull": True})
        again: list[tuple[str, int]] = []
        failed = 0
        with transaction.atomic():
            rows = list(
                kind.Model.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(stale, **{f"{kind.state}__in": list(active)})
                .order_by("pk")[:SWEEP_BATCH]
            )
            for row in rows:
                if getattr(row, kind.attempts) >= kind.max_attempts:
                    _give_up(kind, row)
                    failed += 1
                    continue
                state = getattr(row, kind.state)
                # Not again before another stale_after, whatever the publish does.
                values: dict[str, Any] = {kind.since: now}
                if kind.queued is not None and state == kind.running:
                    values[kind.state] = state = kind.queued
                row.save(update_fields=_set(row, **values))
                again.append((active[state], row.pk))
        requeued = 0
        for task_name, pk in again:
            try:
                if app.conf.task_always_eager:
                    _eager(task_name, pk)
                else:
                    app.send_task(task_name, (pk,), retry=False)
            except Exception as exc:  # the broker is down: the rows wait for the next sweep
                log.warning("Sweeping %s: the broker is unreachable (%s)", kind.name, exc)
                break
            requeued += 1
        result[kind.name] = {"requeued": requeued, "failed": failed}
    return result


def _eager(task_name: str, pk: int) -> None:
    """No broker (a laptop, the unit tests): run the task here, now."""
    import importlib

    from bastau.celery import app

    importlib.import_module(task_name.rsplit(".", 1)[0])
    app.tasks[task_name].apply((pk,), throw=app.conf.task_eager_propagates)
