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
