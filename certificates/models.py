"""Bastau certificates: one per person, ever (DOMAIN.md "Decisions"), numbered per year without gaps,
rendered as a signed PDF by a worker on the `pdf` queue (docs/architecture.md "Certificates")."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet


def certificate_file_name(year: int) -> str:
    """The PDF's name under MEDIA_ROOT, chosen by the server when the certificate is created, so every
    try at rendering it writes the same file: nothing personal, nothing guessable, not the public code."""
    return f"certificates/{year}/{uuid.uuid4().hex}.pdf"


class CertificateQuerySet(ScopedQuerySet):
    district_field = "district"
    region_field = "district__region"

    def valid(self):
        return self.filter(revoked_at__isnull=True)


class Certificate(models.Model):
    class Kind(models.TextChoices):
        COMPLETION = "completion", _("Certificate of completion")
        PARTICIPATION = "participation", _("Certificate of participation in the training")

    class Render(models.TextChoices):
        QUEUED = "queued", _("queued")
        RENDERING = "rendering", _("being rendered")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    # The public verification code, in the QR code's URL; nothing personal in it.
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("number"), max_length=32, unique=True)
    # Our numbers: BST-<year>-<sequence>. A certificate of before the portal (imported from the paper
    # register, so the one-per-person rule covers it) keeps its own number and has no sequence,
    # application, district, stream or course dates here.
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("sequence in the year"), null=True, blank=True)
    iin = models.CharField(_("IIN"), max_length=12, db_index=True)
    masked_iin = models.CharField(_("IIN (masked)"), max_length=16)
    holder_name = models.CharField(_("holder"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    issued_on = models.DateField(_("issued on"))
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("application"),
    )
    district = models.ForeignKey(
        "geography.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    stream = models.ForeignKey(
        "programme.Stream", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("stream")
    )
    group = models.ForeignKey(
        "training.TrainingGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("training group"),
    )
    course_start = models.DateField(_("course started"), null=True, blank=True)
    course_end = models.DateField(_("course ended"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    # The PDF: rendered and signed by certificates.tasks.render_certificate_task (queue "pdf").
    render_state = models.CharField(_("PDF"), max_length=10, choices=Render.choices, default=Render.QUEUED)
    render_attempts = models.PositiveSmallIntegerField(default=0)
    render_error = models.CharField(max_length=500, blank=True)
    render_started_at = models.DateTimeField(null=True, blank=True)  # when the current try was queued or began
    rendered_at = models.DateTimeField(null=True, blank=True)
    # A name the server chose (certificates/<year>/<random>.pdf) under MEDIA_ROOT, never served from a
    # public URL: downloads go through a permission-checked view.
    file = models.FileField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=500, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["year", "sequence"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            # One valid certificate per person, ever; a revoked one may be followed by a reissue.
            models.UniqueConstraint(
                fields=["iin"],
                condition=Q(revoked_at__isnull=True),
                name="certificate_one_per_iin",
                violation_error_message=_("This person already holds a valid Bastau certificate."),
            ),
            models.UniqueConstraint(fields=["year", "sequence"], name="certificate_sequence_in_year"),
        ]
        indexes = [
            models.Index(fields=["group", "year", "sequence"], name="certificate_group"),
            models.Index(
                fields=["render_state", "render_started_at"],
                condition=Q(render_state__in=["queued", "rendering"]),
                name="certificate_render_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    @property
    def is_ready(self) -> bool:
        return self.render_state == self.Render.READY


class CertificateCounter(models.Model):
    """The last number given in a year. Locked (select_for_update) in the transaction that creates the
    certificate, so numbers follow each other without gaps and a rollback gives the number back."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class IssueJobQuerySet(ScopedQuerySet):
    district_field = "district"
    region_field = "district__region"


class IssueJob(models.Model):
    """The Chamber issued the certificates of a whole group: what was issued, what was refused and
    why; the page's progress bar counts the group's PDFs ready."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey("training.TrainingGroup", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("geography.District", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    issued = models.PositiveIntegerField(default=0)
    already = models.PositiveIntegerField(default=0)
    # [{"application": id, "name": str, "reason": str}] for each participant who gets none
    refused = models.JSONField(default=list, blank=True)

    objects = IssueJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.code)
