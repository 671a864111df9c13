"""The commission's part of the citizen's path (applications/pathway.py)."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from applications import signals
from applications.lifecycle import declare_open_rows
from applications.models import ApplicationQuerySet, Status
from applications.panels import Panel
from applications.pathway import Move, StepSpec, declare, declare_steps

DEFENCE_STATUSES = (Status.COURSE_FINISHED, Status.DEFENDED, Status.NOT_DEFENDED)

declare(
    Move("commissions.expel", {Status.EXPULSION_CASE}, Status.EXPELLED, "commissions.decide_expulsion"),
    Move("commissions.keep", {Status.EXPULSION_CASE}, Status.IN_TRAINING, "commissions.decide_expulsion"),
    Move("commissions.defended", {Status.COURSE_FINISHED}, Status.DEFENDED, "commissions.confirm_outcome"),
    Move("commissions.not_defended", {Status.COURSE_FINISHED}, Status.NOT_DEFENDED, "commissions.confirm_outcome"),
)

declare_steps(
    StepSpec(
        "defence",
        80,
        upcoming=_("Business-plan defence before the commission"),
        current={Status.COURSE_FINISHED: _("Waiting for your business-plan defence")},
        done={Status.DEFENDED: _("Business plan defended"), Status.NOT_DEFENDED: _("Business plan not defended")},
    ),
)


def _unconfirmed_defence(application):
    from commissions.models import Defence, DefenceSession

    return Defence.objects.filter(application=application, session__state=DefenceSession.State.SCHEDULED)


def _take_out_of_session(application, change):
    """A participant who withdraws before the chair confirms the session leaves it: their entry and any
    scores given are removed, so the session is confirmed for the others. The withdrawal stays on the
    application's history; a confirmed session never changes."""
    from commissions.models import Scoresheet

    defences = list(_unconfirmed_defence(application).values_list("pk", flat=True))
    if defences:
        Scoresheet.objects.filter(defence_id__in=defences).delete()  # their scores go with them (cascade)
        _unconfirmed_defence(application).delete()


# A session takes the group's participants who finished the course; only a withdrawal ends the path there.
declare_open_rows(
    "commissions",
    "defence entry",
    states={Status.COURSE_FINISHED},
    rows=_unconfirmed_defence,
    close=_take_out_of_session,
)


def _member_sees_their_commissions_districts(queryset, user):
    """A commission member reads the applications of the districts their commission serves."""
    from commissions.selectors import served_district_ids

    return queryset.filter(district_id__in=served_district_ids(user))


ApplicationQuerySet.role_scopes[Role.COMMISSION] = _member_sees_their_commissions_districts


@receiver(signals.status_page_panels, dispatch_uid="commissions-status-panel")
def defence_panel(sender, application, user, **kwargs):
    """The participant's defence: the session's date and place, then its outcome with the mean score.
    No query before the course is finished."""
    if application.status not in DEFENCE_STATUSES:
        return None
    from commissions.models import Defence

    defence = Defence.objects.filter(application=application).select_related("session").first()
    if defence is None:
        return None
    session = defence.session
    next_step = None
    if application.status == Status.COURSE_FINISHED and not defence.absent:
        next_step = {
            "title": _("Come to your business-plan defence"),
            "body": _("%(day)s, %(place)s. Bring your business plan.")
            % {"day": date_format(session.held_on, "SHORT_DATE_FORMAT"), "place": session.place},
            "url": reverse("applications:status", args=[application.code]) + "#defence",
            "url_label": _("See the defence"),
            "tone": "done",
        }
    return Panel(
        "commissions/_status_panel.html", {"defence": defence, "session": session}, order=40, next_step=next_step
    )
