"""The aptitude test's part of the citizen's path (applications/pathway.py), and its hooks."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from applications import signals
from applications.lifecycle import declare_open_rows
from applications.models import Status
from applications.panels import Panel
from applications.pathway import Move, StepSpec, declare, declare_steps

declare(
    Move("aptitude.pass", {Status.ACCEPTED}, Status.PASSED, "aptitude.record_result", system=True),
    Move("aptitude.fail", {Status.ACCEPTED}, Status.TEST_FAILED, "aptitude.record_result", system=True),
)

declare_steps(
    StepSpec(
        "test",
        50,
        upcoming=_("Aptitude test"),
        current={Status.ACCEPTED: _("Waiting for the aptitude test: the Chamber will invite you")},
        done={Status.PASSED: _("Passed the aptitude test")},
        failed={Status.TEST_FAILED: _("Did not pass the aptitude test")},
    ),
)


def _untaken_test(application):
    from aptitude.models import Attempt

    return Attempt.objects.filter(application=application, submitted_at__isnull=True)


def _close_untaken_test(application, change):
    """A test never submitted is closed without a result when the path ends (withdrawn, refused)."""
    _untaken_test(application).update(submitted_at=change.at)


# An invitation to a test session is made for an accepted application; it stays open until submitted.
declare_open_rows("aptitude", "untaken test", states={Status.ACCEPTED}, rows=_untaken_test, close=_close_untaken_test)


@receiver(signals.status_page_panels, dispatch_uid="aptitude-status-panel")
def test_panel(sender, application, user, **kwargs):
    from aptitude import selectors

    attempt = selectors.attempt_of(application)
    if attempt is None:
        return None
    session = attempt.session
    now = timezone.now()
    can_take = (
        application.applicant_id == user.pk
        and application.status == Status.ACCEPTED
        and attempt.submitted_at is None
        and session.mode == session.Mode.ONLINE
        and now < session.closes_at
    )
    next_step = None
    if can_take:
        next_step = {
            "title": _("Take the aptitude test"),
            "body": _("The online test is open until %(closes)s. You have one attempt; answers are saved as you go.")
            % {"closes": date_format(timezone.localtime(session.closes_at), "SHORT_DATETIME_FORMAT")},
            "url": reverse("aptitude:take", args=[attempt.code]),
            "url_label": _("Continue the test") if attempt.started_at else _("Take the test"),
            "tone": "action",
        }
    elif application.status == Status.ACCEPTED and attempt.submitted_at is None and session.mode == session.Mode.PAPER:
        next_step = {
            "title": _("Come to the aptitude test"),
            "body": _("The test is on %(starts)s at %(place)s. Bring your identity card.")
            % {
                "starts": date_format(timezone.localtime(session.starts_at), "SHORT_DATETIME_FORMAT"),
                "place": session.place or "—",
            },
            "url": reverse("applications:status", args=[application.code]),
            "url_label": _("See your application"),
            "tone": "action",
        }
    return Panel(
        "aptitude/_status_panel.html",
        {"attempt": attempt, "session": session, "can_take": can_take},
        order=10,
        next_step=next_step,
        withdrawal_ends=[_("the invitation to the aptitude test is cancelled;")]
        if attempt is not None and not attempt.submitted_at
        else [],
    )
