"""Commissions: the bodies and their members, the criteria they score on, their decisions on
expulsion cases, and defence sessions with their scores and protocol (docs/architecture.md).

A commission is an `accounts.Organisation` of kind COMMISSION (its members' accounts work for it,
so the portal's scoping already knows where they are) with a `Commission` row of its own that holds
what only a commission has: members with roles and terms, criteria, the pass threshold and quorum."""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationKind, Role
from accounts.scoping import ScopedQuerySet
from core.models import Translated

# The default criteria each new commission starts with (issue 11): name in kk / ru / en, max score.
DEFAULT_CRITERIA = [  # also in migrations/0002 (a migration keeps its own copy)
    ("Жобаның өміршеңдігі", "Жизнеспособность проекта", "Viability of the project", 10),
    ("Нарықты түсіну", "Понимание рынка", "Understanding of the market", 10),
    ("Қаржылық негізділік", "Финансовая обоснованность", "Financial soundness", 10),
    ("Таныстырылым", "Презентация", "Presentation", 10),
]


class CommissionQuerySet(ScopedQuerySet):
    district_field = "district"
    region_field = "region"

    def visible_to(self, user):
        """A commission's members see their own commission only; other staff by area."""
        if user.is_authenticated and not user.is_superuser and user.role == Role.COMMISSION:
            return self.filter(organisation_id=user.organisation_id)
        return super().visible_to(user)


class Commission(models.Model):
    """A district commission (a district) or a regional one (a region, no district), which serves the
    districts assigned to it. Its name is its organisation's."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="commission",
        limit_choices_to={"kind": OrganisationKind.COMMISSION},
        verbose_name=_("organisation"),
    )
    # Copies of the organisation's, so lists scope on one column.
    district = models.ForeignKey(
        "geography.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("district"),
    )
    region = models.ForeignKey(
        "geography.Region", on_delete=models.PROTECT, related_name="+", editable=False, verbose_name=_("region")
    )
    districts = models.ManyToManyField(
        "geography.District",
        blank=True,
        related_name="regional_commissions",
        verbose_name=_("districts served (a regional commission)"),
        help_text=_("A regional commission serves the groups of these districts of its region."),
    )
    pass_threshold = models.DecimalField(
        _("pass threshold, %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(60),
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(100))],
        help_text=_("A defence passes when the mean of the members' totals reaches this share of the maximum."),
    )
    quorum_min = models.PositiveSmallIntegerField(
        _("quorum: members present at least"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("Also more than half of the members in term must be present."),
    )

    objects = CommissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")

    def __str__(self) -> str:
        return str(self.organisation)

    def save(self, *args, **kwargs):
        self.district_id = self.organisation.district_id
        self.region_id = self.organisation.region_id
        created = self.pk is None
        super().save(*args, **kwargs)
        if created and not self.criteria.exists():
            Criterion.objects.bulk_create(
                Criterion(commission=self, name_kk=kk, name_ru=ru, name_en=en, max_score=top, position=n)
                for n, (kk, ru, en, top) in enumerate(DEFAULT_CRITERIA, start=1)
            )

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def is_regional(self) -> bool:
        return self.district_id is None

    def clean(self):
        super().clean()
        org = self.organisation if self.organisation_id else None
        if org is not None and org.kind != OrganisationKind.COMMISSION:
            raise ValidationError({"organisation": _("Choose an organisation of the kind “Commission”.")})
        if org is not None and org.region_id is None:
            raise ValidationError({"organisation": _("A commission serves a district or a region.")})

    def served_district_ids(self) -> list[int]:
        """The districts whose groups the commission serves."""
        if self.district_id:
            return [self.district_id]
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "districts" in cache:
            return [d.pk for d in cache["districts"] if d.region_id == self.region_id]
        return list(self.districts.filter(region_id=self.region_id).values_list("pk", flat=True))


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("chair")
    SECRETARY = "secretary", _("secretary")
    MEMBER = "member", _("member")


class CommissionMemberQuerySet(models.QuerySet):
    def in_term(self, day: datetime.date | None = None):
        day = day or timezone.localdate()
        return self.filter(term_from__lte=day, term_to__gte=day, user__is_active=True)


class CommissionMember(models.Model):
    """A user with the commission role sitting on a commission, as chair, secretary or member, for a term."""

    commission = models.ForeignKey(Commission, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="commission_seats",
        limit_choices_to={"role": Role.COMMISSION},
        verbose_name=_("user"),
    )
    role = models.CharField(_("role in the commission"), max_length=10, choices=MemberRole, default=MemberRole.MEMBER)
    term_from = models.DateField(_("term from"))
    term_to = models.DateField(_("term to"))

    objects = CommissionMemberQuerySet.as_manager()

    class Meta:
        ordering = ["commission", "role", "user__last_name"]
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        constraints = [
            models.CheckConstraint(condition=Q(term_to__gte=models.F("term_from")), name="commission_member_term"),
            models.UniqueConstraint(fields=["commission", "user", "term_from"], name="commission_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user.full_name} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        # The member's account works for the commission's organisation (its scope follows from it).
        if self.user.organisation_id is None:
            self.user.organisation_id = self.commission.organisation_id
            self.user.save(update_fields=["organisation"])
        super().save(*args, **kwargs)

    def in_term_on(self, day: datetime.date) -> bool:
        return self.term_from <= day <= self.term_to

    def clean(self):
        super().clean()
        if not (self.user_id and self.commission_id):
            return
        if self.user.role != Role.COMMISSION:
            raise ValidationError({"user": _("Only a user with the commission role sits on a commission.")})
        if self.user.organisation_id not in (None, self.commission.organisation_id):
            raise ValidationError({"user": _("This user works for another organisation.")})
        if self.term_from and self.term_to:
            if self.term_to < self.term_from:
                raise ValidationError({"term_to": _("The term ends before it starts.")})
            overlapping = CommissionMember.objects.filter(
                commission_id=self.commission_id, term_from__lte=self.term_to, term_to__gte=self.term_from
            ).exclude(pk=self.pk)
            if overlapping.filter(user_id=self.user_id).exists():
                raise ValidationError({"term_from": _("This user already sits on the commission in these dates.")})
            if self.role != MemberRole.MEMBER and overlapping.filter(role=self.role).exists():
                raise ValidationError(
                    {
                        "role": _("The commission already has a %(role)s in these dates.")
                        % {"role": self.get_role_display()}
                    }
                )


class Criterion(models.Model):
    """One of the commission's scoring criteria, with its name in three languages and its maximum."""

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="criteria")
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name = Translated("name")
    max_score = models.PositiveSmallIntegerField(
        _("maximum score"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["commission", "position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.name


class Decision(models.TextChoices):
    EXPEL = "expel", _("expel")
    KEEP = "keep", _("keep in training")


class CaseDecision(models.Model):
    """The commission's decision on an expulsion case, recorded by its secretary."""

    case = models.OneToOneField("training.ExpulsionCase", on_delete=models.PROTECT, related_name="decision")
    commission = models.ForeignKey(Commission, on_delete=models.PROTECT, related_name="case_decisions")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision)
    reason = models.CharField(_("reason"), max_length=500)
    decided_on = models.DateField(_("date of the decision"))
    present = models.ManyToManyField(CommissionMember, related_name="+", verbose_name=_("members present"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("decision on an expulsion case")
        verbose_name_plural = _("decisions on expulsion cases")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.decision}"


class DefenceSessionQuerySet(ScopedQuerySet):
    district_field = "district"
    region_field = "district__region"


class ProtocolState(models.TextChoices):
    NONE = "", _("not requested")
    QUEUED = "queued", _("queued")
    RENDERING = "rendering", _("being rendered")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


def protocol_path(instance, filename: str) -> str:
    return f"protocols/{instance.code}.pdf"  # one name per session: a render run twice writes one file


class DefenceSession(models.Model):
    """A sitting of the commission where a group's participants defend their business plans."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        CONFIRMED = "confirmed", _("outcomes confirmed")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commission = models.ForeignKey(Commission, on_delete=models.PROTECT, related_name="sessions")
    group = models.ForeignKey("training.TrainingGroup", on_delete=models.PROTECT, related_name="defence_sessions")
    district = models.ForeignKey("geography.District", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300)
    present = models.ManyToManyField(CommissionMember, related_name="sessions", verbose_name=_("members present"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.SCHEDULED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The protocol PDF, rendered by a Celery task (commissions/tasks.py); its state lives here.
    protocol_state = models.CharField(max_length=10, choices=ProtocolState, default=ProtocolState.NONE, blank=True)
    protocol = models.FileField(upload_to=protocol_path, blank=True)
    protocol_queued_at = models.DateTimeField(null=True, blank=True)
    protocol_started_at = models.DateTimeField(null=True, blank=True)
    protocol_rendered_at = models.DateTimeField(null=True, blank=True)
    protocol_attempts = models.PositiveSmallIntegerField(default=0)
    protocol_error = models.CharField(max_length=500, blank=True)
    # When the first score was recorded: from then on the session is scored and decided on the criteria
    # frozen onto it (SessionCriterion), whatever the commission's criteria become.
    criteria_frozen_at = models.DateTimeField(_("criteria frozen"), null=True, blank=True, editable=False)

    objects = DefenceSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("defence session")
        verbose_name_plural = _("defence sessions")
        indexes = [
            models.Index(fields=["commission", "state", "held_on"], name="defence_session_queue"),
            models.Index(
                fields=["protocol_state", "protocol_queued_at"],
                condition=Q(protocol_state__in=["queued", "rendering"]),
                name="defence_protocol_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.held_on}"

    @property
    def is_confirmed(self) -> bool:
        return self.state == self.State.CONFIRMED


class SessionCriterion(models.Model):
    """A criterion of the commission as it stood when the session's scoring began: the session is scored
    and its outcomes decided on these, with these maxima, in this order. A criterion added or changed in
    the admin afterwards applies to later sessions only (issue 16)."""

    session = models.ForeignKey(DefenceSession, on_delete=models.CASCADE, related_name="frozen_criteria")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="sessions_frozen")
    max_score = models.PositiveSmallIntegerField(_("maximum score"))
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["session", "position", "criterion_id"]
        verbose_name = _("criterion of the session")
        verbose_name_plural = _("criteria of the session")
        constraints = [models.UniqueConstraint(fields=["session", "criterion"], name="session_criterion_unique")]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.criterion_id}: {self.max_score}"


class Outcome(models.TextChoices):
    DEFENDED = "defended", _("defended")
    NOT_DEFENDED = "not_defended", _("not defended")


class Defence(models.Model):
    """One participant's defence at a session. A participant defends at one session only."""

    session = models.ForeignKey(DefenceSession, on_delete=models.PROTECT, related_name="defences")
    application = models.OneToOneField("applications.Application", on_delete=models.PROTECT, related_name="defence")
    absent = models.BooleanField(_("absent"), default=False)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome, blank=True)
    score_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["application__last_name", "application__first_name", "pk"]
        verbose_name = _("defence")
        verbose_name_plural = _("defences")

    def __str__(self) -> str:
        return f"{self.session_id}: {self.application_id}"


class Scoresheet(models.Model):
    """One member's scores for one defence, with a comment."""

    defence = models.ForeignKey(Defence, on_delete=models.PROTECT, related_name="sheets")
    member = models.ForeignKey(CommissionMember, on_delete=models.PROTECT, related_name="sheets")
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    total = models.PositiveSmallIntegerField(default=0)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["defence", "member"], name="scoresheet_one_per_member")]

    def __str__(self) -> str:
        return f"{self.defence_id} · {self.member_id}: {self.total}"


class Score(models.Model):
    sheet = models.ForeignKey(Scoresheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(_("points"))

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="score_one_per_criterion")]

    def __str__(self) -> str:
        return f"{self.sheet_id} · {self.criterion_id}: {self.points}"
