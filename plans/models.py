"""The participant's business plan: a draft saved as they type, submitted versions, the one version
frozen for the commission's defence, the trainer's comments per section, and the PDF of a version.

The plan hangs from the application (one plan per application); it is scoped through the
application's district and region, so no column is copied.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.scoping import ScopedQuerySet


class Section(models.TextChoices):
    """The eight sections of a plan, in the order they are written and printed."""

    SUMMARY = "summary", _("Summary")
    PRODUCT = "product", _("Product or service")
    MARKET = "market", _("Market and competitors")
    MARKETING = "marketing", _("Marketing")
    OPERATIONS = "operations", _("Operations")
    STAFF = "staff", _("Staff")
    FINANCE = "finance", _("Financial plan")
    RISKS = "risks", _("Risks")


SECTION_MAX_LENGTH = 10_000  # characters per section


class PlanLanguage(models.TextChoices):
    KK = "kk", _("Kazakh")
    RU = "ru", _("Russian")


# The extension of each accepted upload, by the type recognised from the content (plans/uploads.py).
UPLOAD_EXTENSIONS = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}


def upload_path(instance, filename: str) -> str:
    # A name the server picks: nothing of the client's name or the person in it; the extension from the content.
    suffix = UPLOAD_EXTENSIONS.get(
        getattr(instance, "file_type", "") or getattr(instance, "draft_file_type", ""), "bin"
    )
    return f"plans/{uuid.uuid4().hex}.{suffix}"


def pdf_path(instance, filename: str) -> str:
    return f"plans/pdf/{uuid.uuid4().hex}.pdf"


class PlanQuerySet(ScopedQuerySet):
    district_field = "application__district"
    region_field = "application__region"

    def visible_to(self, user):
        """Citizens their own plan; a trainer the plans of their groups' current members; the Chamber
        its district (ScopedQuerySet); a commission member the plans of their area with a frozen
        version; other roles none (superusers everything)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if user.role == Role.CITIZEN:
            return self.filter(application__applicant=user)
        if user.role == Role.TRAINER:
            return self.in_scope_of_user(user).filter(
                application__memberships__group__trainers=user, application__memberships__left_at__isnull=True
            )
        if user.role == Role.CHAMBER:
            return self.in_scope_of_user(user)
        if user.role == Role.COMMISSION:
            return self.in_scope_of_user(user).filter(pk__in=PlanVersion.objects.for_commission().values("plan_id"))
        return self.none()

    def in_scope_of_user(self, user):
        from accounts.scoping import scope_for

        return self.in_scope(scope_for(user))


class BusinessPlan(models.Model):
    """One plan per application. The draft lives here (saved as the participant types, with a revision
    counter so a stale save never overwrites a newer one); each submission copies it into a PlanVersion."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="business_plan"
    )
    language = models.CharField(_("language of the plan"), max_length=2, choices=PlanLanguage, default=PlanLanguage.KK)
    # The draft: {section code: text}, and the financial table (plans/finance.py: as_json).
    draft_sections = models.JSONField(default=dict, blank=True)
    draft_finance = models.JSONField(default=dict, blank=True)
    draft_revision = models.PositiveIntegerField(default=0)
    draft_client = models.CharField(max_length=64, blank=True)  # the editor tab that saved the revision
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    # An uploaded PDF or DOCX beside or instead of the sections (checked from its content).
    draft_file = models.FileField(upload_to=upload_path, blank=True)
    draft_file_name = models.CharField(max_length=200, blank=True)
    draft_file_type = models.CharField(max_length=100, blank=True)
    draft_file_size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("business plan")
        verbose_name_plural = _("business plans")

    def __str__(self) -> str:
        return f"{self.application}"


class VersionQuerySet(ScopedQuerySet):
    district_field = "plan__application__district"
    region_field = "plan__application__region"

    def visible_to(self, user):
        """Versions of the plans the user may see; a commission member only the one it reads."""
        rows = self.filter(plan__in=BusinessPlan.objects.visible_to(user))
        if user.is_authenticated and not user.is_superuser and user.role == Role.COMMISSION:
            rows = rows.for_commission()
        return rows

    def for_commission(self):
        """The rule, written here only: of each plan the commission reads the version the participant
        marked ready for defence (frozen), never an earlier or a later submission, nor the draft.
        The commission's lists (visible_to above), the "plans.view" rule (plans/policy.py) and what
        later stages ask (plans/selectors.py) all read it."""
        return self.filter(frozen_at__isnull=False)


class PdfState(models.TextChoices):
    NONE = "", _("not requested")
    QUEUED = "queued", _("queued")
    RENDERING = "rendering", _("being made")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


class PlanVersion(models.Model):
    """A submitted plan, never changed afterwards. At most one version of a plan is frozen ("ready for
    defence"), kept by the database; after that the plan does not change."""

    plan = models.ForeignKey(BusinessPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    language = models.CharField(_("language of the plan"), max_length=2, choices=PlanLanguage)
    sections = models.JSONField(default=dict, blank=True)
    finance = models.JSONField(default=dict, blank=True)
    file = models.FileField(upload_to=upload_path, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    frozen_at = models.DateTimeField(_("ready for defence"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The printable PDF, made by a Celery task on the job machine (plans/tasks.py, core/jobs.py); its state lives here.
    pdf_state = models.CharField(max_length=10, choices=PdfState, default=PdfState.NONE, blank=True)
    pdf_file = models.FileField(upload_to=pdf_path, blank=True)
    pdf_queued_at = models.DateTimeField(null=True, blank=True)  # when the current try was queued or began
    pdf_attempts = models.PositiveSmallIntegerField(default=0)  # tries begun (core/jobs.py caps them)
    pdf_error = models.CharField(max_length=300, blank=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("business plan version")
        verbose_name_plural = _("business plan versions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(frozen_at__isnull=False),
                name="plan_one_frozen_version",
                violation_error_message=_("The plan already has a version ready for defence."),
            ),
        ]
        indexes = [models.Index(fields=["pdf_state", "pdf_queued_at"], name="plan_pdf_pending")]

    def __str__(self) -> str:
        return f"{self.plan}: v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def figures(self):
        """The loan need, monthly profit and payback period of this version (plans/finance.py)."""
        from plans import finance

        return finance.figures(finance.from_json(self.finance))

    def section_items(self) -> list[tuple[str, str, str]]:
        """(code, title, text) of every section, in order."""
        return [(code, label, self.sections.get(code, "")) for code, label in Section.choices]


class PlanComment(models.Model):
    """The trainer's (or the Chamber's) comment on one section of one version."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(_("section"), max_length=20, choices=Section)
    text = models.TextField(_("comment"), max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment on a business plan")
        verbose_name_plural = _("comments on business plans")

    def __str__(self) -> str:
        return f"{self.version}: {self.section}"
