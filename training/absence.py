"""The absence rule, in one place (DOMAIN.md step 4 and "Decisions").

Missed teaching days, excused and unexcused together, are counted over all of a participant's
places in groups. The limit is the stream's (`Stream.absence_limit`, default 3):
- exactly at the limit: the participant and their trainers are warned, once, after the commit;
- above it: one expulsion case is opened for the district's commission (`training.open_case`),
  listing every missed day with its kind and reason;
- back within the limit while the case is still open (a corrected mark): the case closes itself
  with that reason (`training.close_case`);
- kept by the commission: no new case for the days it decided on; a further missed day opens one.
The portal never expels: only the commission decides a case.

`apply_rule` runs inside the caller's transaction, on an application the caller has locked.
"""

from collections.abc import Iterable

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import pathway
from applications.models import Application, Status
from core import outbox
from training.models import MISSED_KINDS, AbsenceWarning, AttendanceMark, ExpulsionCase, GroupMember, TrainingGroup


def missed_days():
    """The count of days missed, for annotating GroupMember rows: over every place the participant held,
    as the rule counts them (so the grid, the at-risk list, the register and the API say what the rule
    acts on). A subquery on the partial index of absences, so a list stays at its number of queries."""
    per_applicant = (
        AttendanceMark.objects.filter(membership__application=OuterRef("application_id"), kind__in=MISSED_KINDS)
        .order_by()
        .values("membership__application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_applicant), 0)


def count_missed(marks: Iterable[AttendanceMark]) -> int:
    """Days missed among marks already read (a participant's marks over every place: selectors.marks_of)."""
    return sum(1 for mark in marks if mark.kind in MISSED_KINDS)


def missed_marks(application: Application):
    """The participant's missed days, oldest first, over every place they held."""
    return (
        AttendanceMark.objects.filter(membership__application=application, kind__in=MISSED_KINDS)
        .select_related("day", "document")
        .order_by("day__date")
    )


def describe(marks) -> list[dict]:
    """Every missed day with its kind and reason, as the case keeps it for the commission."""
    return [
        {
            "date": mark.day.date.isoformat(),
            "kind": mark.kind,
            "reason_code": mark.reason_code,
            "reason": mark.reason_text,
            # The code of the document attached to the excused day ("" when none): the commission opens it.
            "document": str(mark.document.code) if mark.document else "",
        }
        for mark in marks
    ]


def apply_rule(application: Application, membership: GroupMember, group: TrainingGroup, *, because: str = "") -> str:
    """Apply the rule after a mark changed, on the participant's place in `group` (with its stream).
    Returns what happened: "", "warned", "opened" or "closed"."""
    marks = list(missed_marks(application))
    missed = len(marks)
    limit = group.stream.absence_limit
    open_case = ExpulsionCase.objects.filter(application=application, state=ExpulsionCase.State.OPEN).first()
    if missed > limit:
        # A participant the commission kept is not brought before it again for the days it has seen:
        # only a day missed after its decision opens a new case.
        decided = (
            ExpulsionCase.objects.filter(application=application, state=ExpulsionCase.State.DECIDED)
            .order_by("-opened_at", "-pk")
            .first()
        )
        already_decided = decided is not None and missed <= len(decided.missed_days)
        if open_case is None and application.status == Status.IN_TRAINING and not already_decided:
            case = ExpulsionCase.objects.create(
                application=application,
                membership=membership,
                district_id=group.district_id,
                missed_days=describe(marks),
            )
            pathway.fire(
                application,
                "training.open_case",
                actor=None,
                reason=lambda: (
                    _("%(n)s teaching days missed; the limit is %(limit)s. The commission will decide.")
                    % {"n": missed, "limit": limit}
                ),
            )
            outbox.enqueue("training.tasks.notify_case_opened_task", case.pk)
            return "opened"
        if open_case is not None:  # still above the limit: the commission sees the days as they are now
            open_case.missed_days = describe(marks)
            open_case.save(update_fields=["missed_days"])
        return ""
    if open_case is not None and application.status == Status.EXPULSION_CASE:
        text = because or _("Marks corrected: %(n)s days missed, within the limit of %(limit)s.") % {
            "n": missed,
            "limit": limit,
        }
        open_case.state = ExpulsionCase.State.CLOSED_BY_CORRECTION
        open_case.closed_at = timezone.now()
        open_case.closed_reason = text[:500]
        open_case.save(update_fields=["state", "closed_at", "closed_reason"])
        pathway.fire(application, "training.close_case", actor=None, reason=text)
        return "closed"
    if missed == limit:
        warning, created = AbsenceWarning.objects.get_or_create(membership=membership, defaults={"missed": missed})
        if created:
            outbox.enqueue("training.tasks.notify_absence_warning_task", warning.pk)
            return "warned"
    return ""
