"""The citizen's path, declared once (docs/architecture.md "The path").

Three things make it up:

1. **States**: `applications.models.Status`, every state from application to loan.
2. **Moves**: `Move(name, source, target, action)` rows. Each stage's app declares its own moves
   in its `pathway.py` (loaded by its AppConfig.ready()); `action` names the policy rule that says
   who may make the move (accounts/policy.py), `system=True` lets the portal itself make it (a
   scoring, a beat job). `fire()` is the only code that changes `Application.status`: it checks
   the source state and the rule, saves, writes the `StatusChange` row (who, when, from, to, why),
   queues the applicant's e-mail/SMS through the outbox, and sends `signals.status_changed` so
   later stages react without this app importing them. A move that ends the path closes, in the
   same transaction, the rows each stage declared open for the application (applications/lifecycle.py:
   a group seat, an untaken test, an expulsion case, a defence entry).
3. **Steps**: `StepSpec` rows for the status page's timeline, declared by each stage too, so a
   new stage adds its step in its own app. `timeline()` builds the steps from the declaration,
   the current status and the history.

Earlier stages never import later ones (tests/test_layering.py).
"""

import datetime
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import policy
from applications import lifecycle, signals
from applications.models import Application, Status, StatusChange
from core import outbox
from core.errors import Conflict, Refused

# --- Moves ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    name: str  # "<stage>.<verb>", e.g. "applications.approve"
    source: Collection[str]
    target: str
    action: str | None  # the policy rule for a person making it; None: only the portal makes it
    system: bool = False  # the portal itself may make it (actor None)
    notify: bool = True  # the applicant gets an e-mail/SMS
    stage: str = ""

    def __post_init__(self):
        object.__setattr__(self, "source", frozenset(self.source))
        object.__setattr__(self, "stage", self.name.split(".", 1)[0])


_MOVES: dict[str, Move] = {}


def declare(*moves: Move) -> None:
    for move in moves:
        known = _MOVES.get(move.name)
        if known is not None and known != move:
            raise ValueError(f"The move {move.name} is declared twice, differently")
        for status in (*move.source, move.target):
            Status(status)  # every state is one of the path's
        _MOVES[move.name] = move


def moves() -> list[Move]:
    return list(_MOVES.values())


def move(name: str) -> Move:
    return _MOVES[name]


def may(user, name: str, application: Application) -> bool:
    """Whether the user may make the move now: the application is in a source state, and the rule allows."""
    move = _MOVES[name]
    return application.status in move.source and move.action is not None and policy.can(user, move.action, application)


def fire(
    application: Application,
    name: str,
    *,
    actor,
    reason: str | Promise | Callable[[], str] = "",
    at: datetime.datetime | None = None,
    **fields: Any,
) -> StatusChange:
    """Make one move on an application the caller has locked (select_for_update), inside its transaction.

    Raises Conflict when the application is not in a state the move starts from, Refused when the
    actor may not make it. `reason` is stored in the applicant's language (they read it on their
    timeline and in the message): pass a callable to build it in that language.
    """
    move = _MOVES[name]
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("pathway.fire() runs inside the caller's transaction, on a locked application")
    if application.status not in move.source:
        raise Conflict(
            _("Application %(number)s is “%(status)s” now, so it cannot become “%(to)s”.")
            % {
                "number": application.number or "",
                "status": application.get_status_display(),
                "to": Status(move.target).label,
            }
        )
    if actor is None:
        if not move.system:
            raise Refused(_("Only a person may do this."), code=move.name)
    elif move.action is None:
        raise Refused(_("The portal makes this change by itself."), code=move.name)
    else:
        policy.require(actor, move.action, application)
    at = at or timezone.now()
    from_status = application.status
    application.status = move.target
    application.status_changed_at = at
    for name_, value in fields.items():
        setattr(application, name_, value)
    application.save(update_fields=["status", "status_changed_at", *fields])
    change = record(application, from_status, move.target, actor=actor, reason=reason, at=at, move=move)
    lifecycle.close_open_rows(application, change)  # an ending closes what the stages keep open, here
    signals.status_changed.send(sender=Application, application=application, change=change, move=move, actor=actor)
    return change


def record(
    application,
    from_status,
    to_status,
    *,
    actor,
    reason: str | Promise | Callable[[], str],
    at,
    move: Move | None = None,
) -> StatusChange:
    """Write the history row and queue the applicant's message after the commit."""
    with translation.override(application.language):
        text = str(reason() if callable(reason) else reason)
    change = StatusChange.objects.create(
        application=application,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=text[:500],
        at=at,
        move=move.name if move else "",
    )
    if move is None or move.notify:
        outbox.enqueue("applications.tasks.notify_status_change_task", change.pk)
    return change


# --- Steps of the timeline -------------------------------------------------------------------------

Text = str | Promise  # a lazy translation until the page renders
Titles = Mapping[Any, Text]  # state → wording


@dataclass(frozen=True)
class StepSpec:
    """One step of the status page's timeline, and how each state words it.

    `done`: the states that complete the step, with the wording once done; `current`: the states in
    which this is the step happening now, worded as what is happening; `failed`: the states in which
    the path ended at this step; `hidden`: states in which the step does not apply at all.
    """

    key: str
    order: int
    upcoming: Text
    done: Titles
    current: Titles = field(default_factory=dict)
    failed: Titles = field(default_factory=dict)
    hidden: Collection[str] = frozenset()
    detail: Callable[[Application, StatusChange | None], str] | None = None


@dataclass
class Step:
    key: str
    title: str
    state: str  # "done", "current", "failed", "upcoming"
    date: datetime.datetime | None = None
    detail: str = ""
    actor: str = ""


_STEPS: dict[str, StepSpec] = {}
# States that end the path without belonging to one step (a withdrawal can happen at any step).
_ENDINGS: dict[str, Text] = {Status.WITHDRAWN: gettext_lazy("Application withdrawn")}


def declare_steps(*specs: StepSpec) -> None:
    for spec in specs:
        _STEPS[spec.key] = spec


def steps() -> list[StepSpec]:
    return sorted(_STEPS.values(), key=lambda spec: spec.order)


def timeline(application: Application, changes: Iterable[StatusChange]) -> list[Step]:
    """The steps of the path for this application: done ones with date, who and why; one current step;
    the steps to come; or, when the path ended, where and why it ended."""
    history = list(changes)
    status = application.status
    result: list[Step] = []
    current_seen = False
    for spec in steps():
        if status in spec.hidden:
            continue
        if status in spec.failed:
            change = _last_to(history, {status})
            result.append(_step(spec, spec.failed[status], "failed", application, change))
            return result
        if not current_seen and status in spec.current:
            result.append(Step(spec.key, str(spec.current[status]), "current"))
            current_seen = True
            continue
        reached = None if current_seen else _last_to(history, set(spec.done))
        if reached is not None:
            result.append(_step(spec, spec.done[reached.to_status], "done", application, reached))
        elif status in _ENDINGS:
            change = _last_to(history, {status})
            result.append(Step("ended", str(_ENDINGS[status]), "failed", *_when_who_why(change)))
            return result
        else:
            result.append(Step(spec.key, str(spec.upcoming), "upcoming"))
    return result


def _step(spec: StepSpec, title, state, application, change) -> Step:
    date, reason, actor = _when_who_why(change)
    detail = spec.detail(application, change) if spec.detail else reason
    return Step(spec.key, str(title), state, date, detail, actor)


def _when_who_why(change: StatusChange | None) -> tuple:
    if change is None:
        return None, "", ""
    actor = change.actor.full_name if change.actor_id and change.actor else ""
    return change.at, change.reason, actor


def _last_to(history: list[StatusChange], statuses: set[str]) -> StatusChange | None:
    for change in reversed(history):
        if change.to_status in statuses:
            return change
    return None
