"""Bastau certificates. Issued once per person; the portal's issuing flow comes in a later stage."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Certificate(models.Model):
    class Kind(models.TextChoices):
        COMPLETION = "completion", _("Certificate of completion")
        PARTICIPATION = "participation", _("Certificate of participation in the training")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("number"), max_length=32, unique=True)
    iin = models.CharField(_("IIN"), max_length=12, db_index=True)
    holder_name = models.CharField(_("holder"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    issued_on = models.DateField(_("issued on"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            # One valid certificate per person, ever; a revoked one may be followed by a reissue.
            models.UniqueConstraint(
                fields=["iin"], condition=Q(revoked_at__isnull=True), name="certificate_one_per_iin"
            )
        ]

    def __str__(self) -> str:
        return self.number
