"""Training groups, their schedule of teaching days, and who is in which group."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet
from core.models import Translated


class Module(models.Model):
    """One of the course's modules (12 by default), with its title in three languages."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True, validators=[MinValueValidator(1)])
    title_kk = models.CharField(_("title (Kazakh)"), max_length=200)
    title_ru = models.CharField(_("title (Russian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title = Translated("title")

    class Meta:
        ordering = ["number"]
        verbose_name = _("course module")
        verbose_name_plural = _("course modules")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class GroupQuerySet(ScopedQuerySet):
    district_field = "district"
    region_field = "region"

    def visible_to(self, user):
        from accounts.models import Role

        if user.is_authenticated and user.role == Role.TRAINER and not user.is_superuser:
            return self.filter(trainers=user)  # a trainer sees their own groups only
        return super().visible_to(user)

    def for_citizen(self, user):
        return self.filter(memberships__application__applicant=user, memberships__left_at__isnull=True)


class TrainingGroup(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    stream = models.ForeignKey(
        "programme.Stream", on_delete=models.PROTECT, related_name="groups", verbose_name=_("stream")
    )
    district = models.ForeignKey(
        "geography.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    region = models.ForeignKey("geography.Region", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=30, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    place = models.CharField(_("place"), max_length=300)
    course_start = models.DateField(_("course starts"))
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="training_groups", blank=True, verbose_name=_("trainers")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["stream", "name"]
        verbose_name = _("training group")
        verbose_name_plural = _("training groups")
        constraints = [models.UniqueConstraint(fields=["stream", "district", "name"], name="group_unique_name")]

    def __str__(self) -> str:
        return self.name


class TeachingDay(models.Model):
    group = models.ForeignKey(TrainingGroup, on_delete=models.CASCADE, related_name="days")
    ordinal = models.PositiveSmallIntegerField(_("day"))
    date = models.DateField(_("date"))
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="+", verbose_name=_("module"))
    # The trainer marks the day's module delivered (training.services.module_mark_delivered).
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["group", "date"], name="teaching_day_unique_date"),
            models.UniqueConstraint(fields=["group", "ordinal"], name="teaching_day_unique_ordinal"),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.date}"


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(left_at__isnull=True)


class GroupMember(models.Model):
    """A participant's place in a group. A move or a withdrawal ends the row (`left_at`) and a move
    starts a new one, so the history stays and attendance can hang from the row it was marked on.
    One current place per participant, kept by the database."""

    group = models.ForeignKey(TrainingGroup, on_delete=models.PROTECT, related_name="memberships")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="memberships")
    placed_at = models.DateTimeField(default=timezone.now)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    left_at = models.DateTimeField(null=True, blank=True)
    left_reason = models.CharField(max_length=300, blank=True)
    moved_to = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # A place that a move started: the participant is told of it, each channel recorded on its own.
    move_sms_sent_at = models.DateTimeField(null=True, blank=True)
    move_email_sent_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["application__last_name", "application__first_name", "placed_at"]
        verbose_name = _("place in a group")
        verbose_name_plural = _("places in groups")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(left_at__isnull=True),
                name="group_member_one_current_place",
                violation_error_message=_("The participant already has a place in a group."),
            )
        ]
        indexes = [models.Index(fields=["group"], condition=models.Q(left_at__isnull=True), name="group_current")]

    def __str__(self) -> str:
        return f"{self.group}: {self.application}"


class MarkKind(models.TextChoices):
    PRESENT = "present", _("present")
    LATE = "late", _("late")
    EXCUSED = "absent_excused", _("absent, valid reason")
    UNEXCUSED = "absent_unexcused", _("absent, no reason")


# Both kinds of absence count towards the limit (docs: DOMAIN.md "Decisions", the absence rule).
MISSED_KINDS = (MarkKind.EXCUSED, MarkKind.UNEXCUSED)


class ExcuseReason(models.TextChoices):
    ILLNESS = "illness", _("illness")
    FAMILY = "family", _("family circumstances")
    OFFICIAL = "official", _("official business or summons")
    OTHER = "other", _("other reason")


# The extension of each accepted type of absence document (recognised from the file's first bytes).
ABSENCE_DOCUMENT_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def absence_document_path(instance, filename: str) -> str:
    # A random name chosen by the server: nothing about the person, nothing guessable; the extension
    # comes from the type the content was recognised as, never from the client's file name.
    suffix = ABSENCE_DOCUMENT_EXTENSIONS.get(instance.content_type, "bin")
    return f"attendance/{instance.group.code}/{uuid.uuid4().hex}.{suffix}"


class AbsenceDocumentQuerySet(ScopedQuerySet):
    district_field = "district"
    region_field = "district__region"


class AbsenceDocument(models.Model):
    """A document (a photo or PDF of a medical note, a summons) for an excused absence. Attached by the
    trainer or the Chamber through training.services.absence_document_attach; served only through
    training.attendance_views.document_download, never from a public media URL. A document replaced by
    another, or whose mark stopped being excused, stays as history (AttendanceChange.document)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mark = models.ForeignKey("AttendanceMark", on_delete=models.PROTECT, related_name="documents")
    group = models.ForeignKey(TrainingGroup, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("geography.District", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("file"), upload_to=absence_document_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = AbsenceDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("absence document")
        verbose_name_plural = _("absence documents")

    def __str__(self) -> str:
        return self.original_name

    @property
    def download_name(self) -> str:
        """The name offered on download: the client's name without its extensions, then ours."""
        stem = self.original_name.split(".", 1)[0].strip() or "document"
        return f"{stem}.{ABSENCE_DOCUMENT_EXTENSIONS.get(self.content_type, 'bin')}"


class AbsenceDocumentDownload(models.Model):
    """Who opened which absence document, and when (Law No. 94-V: who saw what, when)."""

    document = models.ForeignKey(AbsenceDocument, on_delete=models.PROTECT, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.document_id} · {self.user_id} · {self.at:%Y-%m-%d %H:%M}"


class AttendanceMark(models.Model):
    """One participant's attendance on one teaching day, hung from the place (GroupMember) it was
    marked on. `group` and `district` are copies of the place's, so the grid and the Chamber's lists
    read one table (PITFALLS.md: the scoping column where the list reads); absences have a partial
    index, since the absence rule counts them after every mark."""

    membership = models.ForeignKey(GroupMember, on_delete=models.PROTECT, related_name="marks")
    day = models.ForeignKey(TeachingDay, on_delete=models.PROTECT, related_name="marks")
    group = models.ForeignKey(TrainingGroup, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("geography.District", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("mark"), max_length=20, choices=MarkKind)
    reason_code = models.CharField(_("reason"), max_length=20, choices=ExcuseReason, blank=True)
    reason_text = models.CharField(_("reason, details"), max_length=300, blank=True)
    # The document of an excused absence (None otherwise): the grid reads the id from the mark's own row.
    document = models.ForeignKey(
        AbsenceDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("document")
    )
    version = models.PositiveIntegerField(default=1)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance mark")
        verbose_name_plural = _("attendance marks")
        constraints = [
            models.UniqueConstraint(fields=["membership", "day"], name="attendance_one_mark_per_day"),
        ]
        indexes = [
            models.Index(fields=["group", "day"], name="attendance_group_day"),
            models.Index(fields=["district", "group"], name="attendance_district_group"),
            models.Index(
                fields=["membership"],
                condition=models.Q(kind__in=["absent_excused", "absent_unexcused"]),
                name="attendance_absences",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.day_id}: {self.kind}"

    @property
    def missed(self) -> bool:
        return self.kind in MISSED_KINDS


class AttendanceChange(models.Model):
    """The history of a cell: every save of a mark, the first included. `client_id` is the key the
    browser gives each mark, so a mark sent again (a dropped connection, an offline replay) is done once."""

    mark = models.ForeignKey(AttendanceMark, on_delete=models.PROTECT, related_name="changes")
    old_kind = models.CharField(max_length=20, choices=MarkKind, blank=True)
    new_kind = models.CharField(max_length=20, choices=MarkKind)
    reason = models.CharField(_("reason for the change"), max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField()
    client_id = models.UUIDField(null=True, blank=True, unique=True)
    # Set on the change that attached a document to the excused mark (the kind stays as it was).
    document = models.ForeignKey(
        AbsenceDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("document")
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("attendance change")
        verbose_name_plural = _("attendance changes")

    def __str__(self) -> str:
        return f"{self.mark_id}: {self.old_kind or '-'} -> {self.new_kind}"


class AbsenceWarning(models.Model):
    """The participant reached the absence limit: warned once per place, after the commit."""

    membership = models.OneToOneField(GroupMember, on_delete=models.PROTECT, related_name="absence_warning")
    missed = models.PositiveSmallIntegerField()
    at = models.DateTimeField(default=timezone.now)
    participant_notified_at = models.DateTimeField(null=True, blank=True)
    trainers_notified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.missed}"


class ExpulsionCase(models.Model):
    """Missed days above the limit: a case for the district's commission. The portal opens it and
    closes it when corrected marks bring the participant back within the limit; only the commission
    decides (commissions app). At most one open case per participant, kept by the database."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED_BY_CORRECTION = "closed_by_correction", _("closed: marks corrected")
        DECIDED = "decided", _("decided by the commission")
        PATH_ENDED = "path_ended", _("closed: the participant left the programme")

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="expulsion_cases"
    )
    membership = models.ForeignKey(GroupMember, on_delete=models.PROTECT, related_name="expulsion_cases")
    district = models.ForeignKey("geography.District", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=24, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    # Every missed day when the case opened: [{"date", "kind", "reason"}]; the commission also sees the live marks.
    missed_days = models.JSONField(default=list)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=500, blank=True)
    trainers_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("expulsion case")
        verbose_name_plural = _("expulsion cases")
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=models.Q(state="open"), name="expulsion_one_open_case"
            )
        ]
        indexes = [models.Index(fields=["district", "state"], name="expulsion_district_state")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.state}"
