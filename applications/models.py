"""Applications to the programme, their history, documents, the lists sent to the Chamber,
and bulk imports."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from accounts.models import Role
from accounts.scoping import ScopedQuerySet, scope_for
from core.models import choice_display
from core.pii import mask_iin


class Status(models.TextChoices):
    """Every state of the citizen's path, from application to loan (docs/architecture.md).

    Which moves join them, who may make each and what each records is declared in
    `applications/pathway.py` and the `pathway.py` of the stage that owns the move.
    """

    SUBMITTED = "submitted", _("Awaiting the eligibility decision")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")
    LISTED = "listed", _("Sent to the Chamber")
    ACCEPTED = "accepted", _("Accepted by the Chamber, awaiting the aptitude test")
    PASSED = "passed", _("Passed the aptitude test, awaiting a training group")
    TEST_FAILED = "test_failed", _("Did not pass the aptitude test")
    PLACED = "placed", _("Placed in a training group")
    IN_TRAINING = "in_training", _("In training")
    EXPULSION_CASE = "expulsion_case", _("In training, expulsion case before the commission")
    EXPELLED = "expelled", _("Expelled by the commission")
    COURSE_FINISHED = "course_finished", _("Course finished, awaiting the defence")
    DEFENDED = "defended", _("Business plan defended")
    NOT_DEFENDED = "not_defended", _("Business plan not defended")
    CERTIFIED = "certified", _("Certificate of completion issued")
    PARTICIPATION_CERTIFIED = "participation_certified", _("Certificate of participation issued")
    LOAN_REQUESTED = "loan_requested", _("Loan referral requested")
    LOAN_APPROVED = "loan_approved", _("Loan approved")
    LOAN_DECLINED = "loan_declined", _("Loan declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses in which an application is still going; one such application per IIN at a time.
OPEN_STATUSES = (
    Status.SUBMITTED,
    Status.ELIGIBLE,
    Status.LISTED,
    Status.ACCEPTED,
    Status.PASSED,
    Status.PLACED,
    Status.IN_TRAINING,
    Status.EXPULSION_CASE,
    Status.COURSE_FINISHED,
    Status.DEFENDED,
    Status.NOT_DEFENDED,
)
# The path ended before its end: these never move again.
ENDED_STATUSES = (Status.INELIGIBLE, Status.TEST_FAILED, Status.EXPELLED, Status.WITHDRAWN)
STATUS_MAX_LENGTH = 32


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    EMPLOYMENT_CENTRE = "employment_centre", _("Employment centre")
    CHAMBER = "chamber", _("Chamber branch")
    AKIMAT = "akimat", _("Rural akimat")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class EmploymentStatus(models.TextChoices):
    UNEMPLOYED = "unemployed", _("Unemployed")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    EMPLOYED = "employed", _("Employed")
    STUDENT = "student", _("Student")
    PENSIONER = "pensioner", _("Pensioner")
    OTHER = "other", _("Other")


class Education(models.TextChoices):
    SECONDARY = "secondary", _("Secondary")
    VOCATIONAL = "vocational", _("Technical and vocational")
    HIGHER = "higher", _("Higher")
    NONE = "none", _("No formal education")


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture and livestock")
    TRADE = "trade", _("Trade")
    SERVICES = "services", _("Services")
    MANUFACTURING = "manufacturing", _("Manufacturing and crafts")
    CONSTRUCTION = "construction", _("Construction and repair")
    TRANSPORT = "transport", _("Transport and logistics")
    TOURISM = "tourism", _("Tourism and hospitality")
    EDUCATION = "education", _("Education and childcare")
    IT = "it", _("IT and digital services")
    OTHER = "other", _("Other")


class IneligibilityReason(models.TextChoices):
    NOT_TARGET_GROUP = "not_target_group", _("Not of the target group (neither unemployed nor self-employed)")
    NOT_CITIZEN = "not_citizen", _("Not a citizen of Kazakhstan")
    UNDER_AGE = "under_age", _("Under 18")
    GRADUATE = "graduate", _("Already a Bastau graduate")
    INCOMPLETE_DOCUMENTS = "incomplete_documents", _("Incomplete documents")
    OTHER = "other", _("Other")


class ApplicationQuerySet(ScopedQuerySet):
    district_field = "district"
    region_field = "region"
    # Staff roles that see applications by area; roles of later stages see what their stage plugs in
    # here (training: a trainer sees the members of their groups), the others nothing.
    AREA_ROLES = frozenset({Role.EMPLOYMENT_CENTRE, Role.AKIMAT, Role.CHAMBER, Role.ANALYST, Role.ADMIN})
    role_scopes: dict = {}  # role → callable(queryset, user) → queryset, filled by later stages

    def visible_to(self, user):
        """Applications a user may open: citizens their own; intake staff, analysts and administrators
        their area; a role of a later stage what that stage plugs in; other roles none."""
        if user.is_authenticated and not user.is_superuser and user.role != Role.CITIZEN:
            if user.role in self.role_scopes:
                return self.role_scopes[user.role](self.in_scope(scope_for(user)), user)
            if user.role not in self.AREA_ROLES:
                return self.none()
        return super().visible_to(user)

    def for_citizen(self, user):
        return self.filter(applicant=user)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Application(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("application number"), max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(_("status"), max_length=STATUS_MAX_LENGTH, choices=Status, default=Status.SUBMITTED)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    get_status_display = choice_display("status", Status)
    get_channel_display = choice_display("channel", Channel)
    stream = models.ForeignKey(
        "programme.Stream",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("stream"),
    )
    # Where the applicant lives; the region is copied from the district so lists scope on one column.
    region = models.ForeignKey("geography.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    district = models.ForeignKey(
        "geography.District", on_delete=models.PROTECT, related_name="applications", verbose_name=_("district")
    )

    # The person (personal data, Law No. 94-V).
    iin = models.CharField(_("IIN"), max_length=12)
    last_name = models.CharField(_("surname"), max_length=100)
    first_name = models.CharField(_("name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex)
    iin_mismatch = models.BooleanField(
        _("differs from the IIN"),
        default=False,
        help_text=_("The stated date of birth or sex differs from what the IIN encodes."),
    )
    phone = PhoneNumberField(_("phone"))
    email = models.EmailField(_("e-mail"), blank=True)
    employment_status = models.CharField(_("employment status"), max_length=20, choices=EmploymentStatus)
    education = models.CharField(_("education"), max_length=20, choices=Education)
    business_idea = models.TextField(_("business idea"), max_length=2000)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector)
    is_citizen_confirmed = models.BooleanField(_("citizen of Kazakhstan"), default=False)
    consent_version = models.CharField(_("consent text version"), max_length=20)
    consent_given_at = models.DateTimeField(_("consent given at"))
    language = models.CharField(_("language for messages"), max_length=2, default="kk")

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("citizen's account"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    registered_at_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered at"),
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    ineligibility_reason = models.CharField(_("reason"), max_length=30, choices=IneligibilityReason, blank=True)
    ineligibility_note = models.CharField(_("explanation"), max_length=500, blank=True)
    applicant_list = models.ForeignKey(
        "applications.ApplicantList",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("list"),
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["iin"],
                condition=Q(status__in=OPEN_STATUSES),
                name="application_one_open_per_iin",
                violation_error_message=_("This IIN already has an application in progress."),
            ),
        ]
        indexes = [
            # The employment centre's queue: its district, by status, oldest first. Each sort index ends
            # with the key: pages break ties by it, and a deep page walks the index alone to its offset
            # (core/pagination.py).
            models.Index(fields=["district", "status", "submitted_at", "id"], name="application_queue"),
            models.Index(fields=["region", "status", "submitted_at", "id"], name="application_region_queue"),
            # The unfiltered queue: its district, oldest first, whatever the status.
            models.Index(fields=["district", "submitted_at", "id"], name="application_district_oldest"),
            models.Index(fields=["iin"], name="application_iin"),
            # The queue sorted by surname ("waiting > 14 days, A to Z"): read in order, no sort of the district.
            models.Index(fields=["district", "status", "last_name", "id"], name="application_queue_by_name"),
            # The district's counts (waiting, eligible not yet listed, open) from the index alone.
            models.Index(fields=["district", "status", "applicant_list"], name="application_district_counts"),
        ]

    def __str__(self) -> str:
        return self.number or str(self.code)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def masked_iin(self) -> str:
        return mask_iin(self.iin)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def days_waiting(self, today=None) -> int:
        today = today or timezone.localdate()
        return (today - timezone.localtime(self.submitted_at).date()).days


class StatusChange(models.Model):
    """Who moved an application from which status to which, when and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=STATUS_MAX_LENGTH, choices=Status, blank=True)
    to_status = models.CharField(max_length=STATUS_MAX_LENGTH, choices=Status)
    move = models.CharField(max_length=60, blank=True)  # the pathway move that made it
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=500, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    sms_sent_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)  # every channel it needs has gone
    notify_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


# The extension of each accepted document type (recognised from the file's first bytes).
DOCUMENT_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def document_path(instance, filename: str) -> str:
    # A random name: nothing about the person in the path, nothing guessable; the extension comes
    # from the type the content was recognised as, never from the client's file name.
    suffix = DOCUMENT_EXTENSIONS.get(instance.content_type, "bin")
    return f"applications/{instance.application.code}/{uuid.uuid4().hex}.{suffix}"


class Document(models.Model):
    class Kind(models.TextChoices):
        ID_CARD = "id_card", _("Identity card")
        EMPLOYMENT = "employment", _("Proof of employment status")
        CONSENT = "consent", _("Signed consent form")
        OTHER = "other", _("Other")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=document_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.original_name

    @property
    def download_name(self) -> str:
        """The name offered on download: the client's name without its extensions, then ours."""
        stem = self.original_name.split(".", 1)[0].strip() or "document"
        return f"{stem}.{DOCUMENT_EXTENSIONS.get(self.content_type, 'bin')}"


class DocumentDownload(models.Model):
    """Who downloaded which document, and when (Law No. 94-V: who saw what, when)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("document download")
        verbose_name_plural = _("document downloads")

    def __str__(self) -> str:
        return f"{self.document_id} · {self.user_id} · {self.at:%Y-%m-%d %H:%M}"


class ApplicantListQuerySet(ScopedQuerySet):
    district_field = "district"
    region_field = "district__region"

    def visible_to(self, user):
        """The employment centre, analysts and administrators see their area's lists; the Chamber only
        those sent to it, never a draft; other roles none."""
        rows = super().visible_to(user)
        if not user.is_authenticated or user.is_superuser:
            return rows
        if user.role == Role.CHAMBER:
            return rows.exclude(state=ApplicantList.State.DRAFT)
        if user.role in (Role.EMPLOYMENT_CENTRE, Role.ANALYST, Role.ADMIN):
            return rows
        return rows.none()


class ApplicantList(models.Model):
    """Eligible applicants of a stream that an employment centre hands to its Chamber branch."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        SENT = "sent", _("Sent to the Chamber")
        ACCEPTED = "accepted", _("Accepted by the Chamber")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.PositiveIntegerField(_("number"))
    stream = models.ForeignKey("programme.Stream", on_delete=models.PROTECT, related_name="+", verbose_name=_("stream"))
    district = models.ForeignKey(
        "geography.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = ApplicantListQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("list of eligible applicants")
        verbose_name_plural = _("lists of eligible applicants")
        constraints = [
            models.UniqueConstraint(fields=["district", "stream", "number"], name="applicant_list_number"),
        ]

    def __str__(self) -> str:
        return _("List %(number)s, %(stream)s") % {"number": self.number, "stream": self.stream}


class ImportJobQuerySet(ScopedQuerySet):
    district_field = "district"
    region_field = "district__region"


class ImportJob(models.Model):
    """A spreadsheet of applicants uploaded by staff: checked, previewed, then imported by a task."""

    class State(models.TextChoices):
        CHECKING = "checking", _("Checking the rows")
        PREVIEW = "preview", _("Ready to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(upload_to="imports/")
    original_name = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=State.choices, default=State.CHECKING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("geography.District", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)  # when the current step's try was queued or began
    attempts = models.PositiveSmallIntegerField(default=0)  # tries of the current step (core/jobs.py caps them)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    rows = models.JSONField(default=list, blank=True)  # [{"line": 2, "data": {...}, "errors": [...]}, ...]
    imported_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def valid_rows(self) -> list[dict]:
        return [row for row in self.rows if not row["errors"]]

    @property
    def invalid_rows(self) -> list[dict]:
        return [row for row in self.rows if row["errors"]]

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
