"""The one obvious next step for the person looking at an application.

`next_steps_for(application, user)` returns a list of dicts, each with `title`, `body`, `url`,
`url_label` and an optional `tone` ("action", "wait", "done" or "ended"), rendered by
templates/applications/_next_step.html at the top of the status page and the citizen's home
page. A later stage gives its own step through its status-page panel (`Panel.next_step`:
aptitude "take the test", training "your course starts on …"); this module words the steps of
the application stage itself and the ends of the path.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from applications.models import Status
from applications.panels import panels_for


def _waiting(title, body, url) -> dict:
    return {"title": title, "body": body, "url": url, "url_label": _("See your application"), "tone": "wait"}


def next_steps_for(application, user, panels=None) -> list[dict]:
    """What the applicant must do now, or what they are waiting for (empty for staff)."""
    if application is None or application.applicant_id != getattr(user, "pk", None):
        return []
    panels = panels_for(application, user) if panels is None else panels
    from_stages = [panel.next_step for panel in panels if panel.next_step]
    if from_stages:
        return from_stages
    status_url = reverse("applications:status", args=[application.code])
    status = application.status
    if status == Status.SUBMITTED:
        return [
            _waiting(
                _("Wait for the employment centre's decision"),
                _(
                    "The employment centre checks that you belong to the programme's target group. "
                    "You will get an SMS and an e-mail when it decides; you need do nothing until then."
                ),
                status_url,
            )
        ]
    if status in (Status.ELIGIBLE, Status.LISTED, Status.ACCEPTED):
        return [
            _waiting(
                _("Wait for the aptitude test"),
                _(
                    "You belong to the target group. The Chamber of Entrepreneurs will invite you to an aptitude "
                    "test: its date, time and place will come by SMS and e-mail and appear here."
                ),
                status_url,
            )
        ]
    if status == Status.PASSED:
        return [
            _waiting(
                _("Wait for your training group"),
                _(
                    "You passed the test. The Chamber will place you in a group; its place and first day will appear here."  # noqa: E501
                ),
                status_url,
            )
        ]
    if status not in (Status.INELIGIBLE, Status.TEST_FAILED, Status.WITHDRAWN):
        return []  # later stages word their own steps through their panels
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
