"""Training's part of the citizen's path (applications/pathway.py), and its hooks."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from applications import signals
from applications.lifecycle import declare_open_rows
from applications.models import ApplicationQuerySet, Status
from applications.panels import Panel
from applications.pathway import Move, Step, StepSpec, declare, declare_steps

declare(
    Move("training.place", {Status.PASSED}, Status.PLACED, "training.place"),
    # The portal moves these by itself: the course's first day, the absence rule, the last day.
    Move("training.start", {Status.PLACED}, Status.IN_TRAINING, None, system=True, notify=False),
    Move("training.open_case", {Status.IN_TRAINING}, Status.EXPULSION_CASE, None, system=True),
    Move("training.close_case", {Status.EXPULSION_CASE}, Status.IN_TRAINING, None, system=True),
    Move("training.finish", {Status.IN_TRAINING}, Status.COURSE_FINISHED, None, system=True),
)

declare_steps(
    StepSpec(
        "placed",
        60,
        upcoming=_("A place in a training group"),
        current={Status.PASSED: _("The Chamber is placing you in a training group")},
        done={Status.PLACED: _("Placed in a training group")},
    ),
    StepSpec(
        "training",
        70,
        upcoming=_("Training: 12 modules, with your business plan"),
        current={
            Status.PLACED: _("Your training is about to start: see your group and schedule"),
            Status.IN_TRAINING: _("In training"),
            Status.EXPULSION_CASE: _("In training; the commission is considering your missed days"),
        },
        done={Status.COURSE_FINISHED: _("Course finished")},
        failed={Status.EXPELLED: _("Expelled from the course by the commission")},
    ),
)


def _trainer_sees_their_groups(queryset, user):
    return queryset.filter(memberships__group__trainers=user, memberships__left_at__isnull=True)


ApplicationQuerySet.role_scopes[Role.TRAINER] = _trainer_sees_their_groups


_LEFT_BECAUSE = {
    Status.WITHDRAWN: _("Withdrew from the programme"),
    Status.EXPELLED: _("Expelled by the commission"),
}
_PLACE_STATES = {Status.PLACED, Status.IN_TRAINING, Status.EXPULSION_CASE, Status.COURSE_FINISHED}


def _current_place(application):
    from training.models import GroupMember

    return GroupMember.objects.current().filter(application=application)


def _free_the_seat(application, change):
    """A withdrawn or expelled participant leaves the group; the row stays as history."""
    reason = _LEFT_BECAUSE.get(change.to_status, Status(change.to_status).label)
    _current_place(application).update(left_at=change.at, left_reason=str(reason)[:300])


def _open_case(application):
    from training.models import ExpulsionCase

    return ExpulsionCase.objects.filter(application=application, state=ExpulsionCase.State.OPEN)


def _close_case(application, change):
    """A participant who leaves the programme while their case is before the commission takes the case
    out of the commission's queue: nobody is left to decide on (a decision closes it itself first)."""
    from training.models import ExpulsionCase

    with translation.override(application.language):
        reason = str(_LEFT_BECAUSE.get(change.to_status, Status(change.to_status).label))
    _open_case(application).update(state=ExpulsionCase.State.PATH_ENDED, closed_at=change.at, closed_reason=reason)


declare_open_rows("training", "group place", states=_PLACE_STATES, rows=_current_place, close=_free_the_seat)
declare_open_rows("training", "expulsion case", states={Status.EXPULSION_CASE}, rows=_open_case, close=_close_case)


@receiver(signals.status_page_panels, dispatch_uid="training-status-panel")
def group_panel(sender, application, user, **kwargs):
    from training import absence, selectors

    places = selectors.places_of(application)
    placement = next((place for place in places if place.left_at is None), None)
    if placement is None:
        return None
    group = placement.group
    days = list(group.days.select_related("module").order_by("date"))
    next_step = None
    if application.status == Status.PLACED and days:
        next_step = {
            "title": _("Come to your first day of training"),
            "body": _("Group %(group)s, %(place)s. The course starts on %(day)s.")
            % {"group": group.name, "place": group.place, "day": date_format(days[0].date, "SHORT_DATE_FORMAT")},
            "url": reverse("applications:status", args=[application.code]) + "#group",
            "url_label": _("See the group and the schedule"),
            "tone": "done",
        }
    # The participant's own marks (one query, from their places' marks) and what follows from them.
    marks = selectors.marks_of(application)
    rows = [{"day": day, "mark": marks.get(day.pk)} for day in days]
    missed = absence.count_missed(marks.values())
    attended = {day_id for day_id, mark in marks.items() if not mark.missed}
    progress = len({day.module_id for day in days if day.delivered_at and day.pk in attended})
    limit = group.stream.absence_limit
    return Panel(
        "training/_status_panel.html",
        {
            "group": group,
            "trainers": list(group.trainers.all()),
            "days": days,
            "rows": rows,
            "today": timezone.localdate(),
            "missed": missed,
            "limit": limit,
            "at_limit": missed == limit,
            "case_open": application.status == Status.EXPULSION_CASE,
            "progress": progress,
            "modules": group.stream.modules_count,
        },
        order=20,
        next_step=next_step,
        timeline=_moves(places),
        withdrawal_ends=[_("the place in group %(name)s is given to someone else;") % {"name": group.name}],
    )


def _moves(places) -> list[Step]:
    """A move is not a status change: the timeline shows it after the placement, naming the new group
    as the placement does (from the places already read, no query of its own)."""
    by_pk = {place.pk: place for place in places}
    moves = []
    for place in places:
        new = by_pk.get(place.moved_to_id)
        if new is None:
            continue
        moves.append(
            Step(
                "placed",
                _("Moved to group %(group)s") % {"group": new.group.name},
                "done",
                new.placed_at,
                _("Group %(group)s, %(place)s.") % {"group": new.group.name, "place": new.group.place},
                new.placed_by.full_name if new.placed_by else "",
            )
        )
    return moves
