"""The one obvious next step for the person looking at an application.

`next_steps_for(application, user)` returns a list of dicts, each with `title`, `body`, `url`,
`url_label` and an optional `tone` ("action", "wait", "done" or "ended"), rendered by
templates/applications/_next_step.html at the top of the status page and the citizen's home
page. It reads only the application's status and what the status page already loads (its test
attempt and group, both select_related there). Later stages will plug their own steps in here
(upload the business plan, download the certificate) through hooks of their own apps.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applications.models import Status


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _attempt(application):
    from aptitude.models import Attempt

    try:
        return application.attempt
    except Attempt.DoesNotExist:
        return None


def _group(application):
    from training.models import GroupMember

    try:
        return application.group_membership.group
    except GroupMember.DoesNotExist:
        return None


def next_steps_for(application, user) -> list[dict]:
    """What the applicant must do now, or what they are waiting for (empty for staff)."""
    if application is None or application.applicant_id != getattr(user, "pk", None):
        return []
    status_url = reverse("applications:status", args=[application.code])
    status = application.status
    if status == Status.SUBMITTED:
        return [
            {
                "title": _("Wait for the employment centre's decision"),
                "body": _(
                    "The employment centre checks that you belong to the programme's target group. "
                    "You will get an SMS and an e-mail when it decides; you need do nothing until then."
                ),
                "url": status_url,
                "url_label": _("See your application"),
                "tone": "wait",
            }
        ]
    if status in (Status.ELIGIBLE, Status.LISTED) or (status == Status.ACCEPTED and _attempt(application) is None):
        return [
            {
                "title": _("Wait for the aptitude test"),
                "body": _(
                    "You belong to the target group. The Chamber of Entrepreneurs will invite you to an aptitude "
                    "test: its date, time and place will come by SMS and e-mail and appear here."
                ),
                "url": status_url,
                "url_label": _("See your application"),
                "tone": "wait",
            }
        ]
    if status == Status.ACCEPTED:
        attempt = _attempt(application)
        session = attempt.session
        if attempt.submitted_at is None and session.mode == "online" and timezone.now() < session.closes_at:
            return [
                {
                    "title": _("Take the aptitude test"),
                    "body": _(
                        "The online test is open until %(closes)s. You have one attempt; answers are saved as you go."
                    )
                    % {"closes": _when(session.closes_at)},
                    "url": reverse("aptitude:take", args=[attempt.code]),
                    "url_label": _("Continue the test") if attempt.started_at else _("Take the test"),
                    "tone": "action",
                }
            ]
        if attempt.submitted_at is None:
            place = session.place or "—"
            return [
                {
                    "title": _("Come to the aptitude test"),
                    "body": _("The test is on %(starts)s at %(place)s. Bring your identity card.")
                    % {"starts": _when(session.starts_at), "place": place},
                    "url": status_url,
                    "url_label": _("See your application"),
                    "tone": "action",
                }
            ]
        return [
            {
                "title": _("Wait for your result"),
                "body": _("Your test has been submitted. The result will appear here."),
                "url": status_url,
                "url_label": _("See your application"),
                "tone": "wait",
            }
        ]
    if status == Status.PARTICIPANT:
        group = _group(application)
        if group is None:
            return [
                {
                    "title": _("Wait for your training group"),
                    "body": _(
                        "You passed the test. The Chamber will place you in a group; "
                        "its place and first day will appear here."
                    ),
                    "url": status_url,
                    "url_label": _("See your application"),
                    "tone": "wait",
                }
            ]
        return [
            {
                "title": _("Come to your first day of training"),
                "body": _("Group %(group)s, %(place)s. The course starts on %(day)s.")
                % {
                    "group": group.name,
                    "place": group.place,
                    "day": date_format(group.course_start, "SHORT_DATE_FORMAT"),
                },
                "url": status_url + "#group",
                "url_label": _("See the group and the schedule"),
                "tone": "done",
            }
        ]
    # Ended: not eligible, did not pass the test, withdrawn.
    if status == Status.INELIGIBLE:
        why = application.get_ineligibility_reason_display() or _("The employment centre decided you are not eligible.")
        if application.ineligibility_note:
            why = f"{why}: {application.ineligibility_note}"
    elif status == Status.TEST_FAILED:
        why = _("You did not reach the aptitude test's pass mark.")
    else:
        why = _("The application was withdrawn.")
    return [
        {
            "title": _("Your application has ended"),
            "body": _(
                "%(why)s You can apply again when a new stream opens in your district; "
                "ask your employment centre if you think this is a mistake."
            )
            % {"why": why if why.endswith(".") else why + "."},
            "url": reverse("applications:apply"),
            "url_label": _("Apply again"),
            "tone": "ended",
        }
    ]
