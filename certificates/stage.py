"""The certificate's part of the citizen's path (applications/pathway.py), and its hook into
the application stage: one certificate per person, ever (DOMAIN.md "Decisions")."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from applications import signals
from applications.models import Status
from applications.pathway import Move, StepSpec, declare, declare_steps

declare(
    Move("certificates.completion", {Status.DEFENDED}, Status.CERTIFIED, "certificates.issue", system=True),
    Move(
        "certificates.participation",
        {Status.NOT_DEFENDED},
        Status.PARTICIPATION_CERTIFIED,
        "certificates.issue",
        system=True,
    ),
)

declare_steps(
    StepSpec(
        "certificate",
        90,
        upcoming=_("Certificate"),
        current={
            Status.DEFENDED: _("Your certificate of completion is being issued"),
            Status.NOT_DEFENDED: _("Your certificate of participation in the training is being issued"),
        },
        done={
            Status.CERTIFIED: _("Certificate of completion issued"),
            Status.PARTICIPATION_CERTIFIED: _("Certificate of participation in the training issued"),
        },
    ),
)


@receiver(signals.submission_check, dispatch_uid="certificates-one-per-person")
def holder_cannot_apply_again(sender, iin, **kwargs):
    from certificates.selectors import valid_certificate_for

    certificate = valid_certificate_for(iin)
    if certificate is None:
        return None
    return _("This person already holds Bastau certificate No. %(number)s; a certificate is issued only once.") % {
        "number": certificate.number
    }


# The states of an application whose holder has (had) a certificate: the certificate moves, then the loan's.
HOLDER_STATUSES = frozenset(
    {
        Status.CERTIFIED,
        Status.PARTICIPATION_CERTIFIED,
        Status.LOAN_REQUESTED,
        Status.LOAN_APPROVED,
        Status.LOAN_DECLINED,
    }
)
# The holder asked for a loan: the next step is the loan's, not the certificate's.
LOAN_STATUSES = frozenset({Status.LOAN_REQUESTED, Status.LOAN_APPROVED, Status.LOAN_DECLINED})


@receiver(signals.status_page_panels, dispatch_uid="certificates-status-panel")
def certificate_panel(sender, application, user, **kwargs):
    """The holder's certificate on the status page: its state (polled while the PDF is made), the
    download, and the next step."""
    from django.urls import reverse

    from applications.panels import Panel
    from certificates.models import Certificate

    if application.status not in HOLDER_STATUSES:
        return None  # no query for everyone else: a certificate exists only from these states on
    certificate = Certificate.objects.filter(application=application, revoked_at__isnull=True).first()
    if certificate is None:
        return None
    if application.status in LOAN_STATUSES:
        next_step = None  # the loan's step speaks from the request on (financing/stage.py)
    elif certificate.render_state == Certificate.Render.READY:
        next_step = {
            "title": _("Your certificate is ready"),
            "body": _(
                "%(kind)s No. %(number)s: download the signed PDF; it was also sent to your e-mail, if you gave one."
            )
            % {"kind": certificate.get_kind_display(), "number": certificate.number},
            "url": reverse("certificates:download", args=[certificate.code]),
            "url_label": _("Download the certificate (PDF)"),
            "tone": "done",
        }
    else:
        next_step = {
            "title": _("Your certificate is being prepared"),
            "body": _("%(kind)s No. %(number)s has been issued; its PDF will be ready here in a minute.")
            % {"kind": certificate.get_kind_display(), "number": certificate.number},
            "url": reverse("applications:status", args=[application.code]) + "#certificate",
            "url_label": _("See your certificate"),
            "tone": "wait",
        }
    return Panel("certificates/_status_panel.html", {"certificate": certificate}, order=10, next_step=next_step)
