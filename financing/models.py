"""Loan programmes of the financial institutions, graduates' loan referrals, and the follow-ups
six and twelve months after the certificate (DOMAIN.md step 7, issue 12)."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationKind, Role
from accounts.scoping import ScopedQuerySet
from applications.models import Sector
from core.models import TranslatedName

# Bounds of the data a person types in; the rules in financing/rules.py check the programme's own.
LONGEST_TERM_EVER = 240  # months: no programme lends for longer than 20 years
MOST_JOBS = 1000  # jobs created by one graduate's business: a bound against typing errors


class LoanProgrammeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, lender__is_active=True)


class LoanProgramme(TranslatedName):
    """A lender's preferential loan programme on the Bastau terms, kept as data (DOMAIN.md "Loans")."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    lender = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="loan_programmes",
        limit_choices_to={"kind": OrganisationKind.FINANCIAL_INSTITUTION},
        verbose_name=_("lender"),
    )
    cap_mci = models.PositiveIntegerField(
        _("cap, MCI"),
        validators=[MinValueValidator(1)],
        help_text=_("The largest loan, in monthly calculation indices."),
    )
    rate = models.DecimalField(
        _("rate, % a year"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    max_term_months = models.PositiveSmallIntegerField(
        _("longest term, months"), validators=[MinValueValidator(1), MaxValueValidator(LONGEST_TERM_EVER)]
    )
    grace_months = models.PositiveSmallIntegerField(
        _("grace period, months"),
        default=0,
        help_text=_("Months at the start of the term in which only interest is paid."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = LoanProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name_ru"]
        verbose_name = _("loan programme")
        verbose_name_plural = _("loan programmes")
        constraints = [
            models.CheckConstraint(condition=Q(cap_mci__gte=1), name="loan_programme_cap_positive"),
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lte=100), name="loan_programme_rate_0_100"),
            models.CheckConstraint(
                condition=Q(max_term_months__gte=1, max_term_months__lte=LONGEST_TERM_EVER),
                name="loan_programme_term_bounded",
            ),
            models.CheckConstraint(
                condition=Q(grace_months__lt=F("max_term_months")), name="loan_programme_grace_within_term"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.lender})"


class ReferralQuerySet(ScopedQuerySet):
    district_field = "district"
    region_field = "region"

    def visible_to(self, user):
        """Referrals a user may open. The citizen: their own. A financial institution's officer: those
        forwarded to their institution, whatever the district. The Chamber branch, analysts and
        administrators: their area. Other roles: none."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if user.role == Role.CITIZEN:
            return self.filter(application__applicant=user)
        if user.role == Role.FINANCE:
            if user.organisation_id is None or not user.organisation.is_active:
                return self.none()
            return self.filter(lender_id=user.organisation_id).exclude(state=Referral.State.REQUESTED)
        if user.role in (Role.CHAMBER, Role.ANALYST, Role.ADMIN):
            return super().visible_to(user)
        return self.none()


class Referral(models.Model):
    """A graduate's request for a loan under a programme, forwarded by the Chamber branch to the
    lender, and the lender's decision. One per application: the path has no way back from a decision."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested, with the Chamber branch")
        FORWARDED = "forwarded", _("Forwarded to the financial institution")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="loan_referral",
        verbose_name=_("application"),
    )
    programme = models.ForeignKey(
        LoanProgramme, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("loan programme")
    )
    # Copied from the programme and the application so each list reads one indexed column.
    lender = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("lender")
    )
    district = models.ForeignKey(
        "geography.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    region = models.ForeignKey("geography.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))

    amount = models.PositiveBigIntegerField(_("amount, tenge"), validators=[MinValueValidator(1)])
    term_months = models.PositiveSmallIntegerField(
        _("term, months"), validators=[MinValueValidator(1), MaxValueValidator(LONGEST_TERM_EVER)]
    )
    purpose = models.TextField(_("purpose"), max_length=1000)
    # The rule as it stood on the day of the request (financing/rules.py), kept with the request.
    requested_on = models.DateField(_("requested on"))
    mci_tenge = models.PositiveIntegerField(_("MCI on the day of the request, tenge"))
    cap_tenge = models.PositiveBigIntegerField(_("cap on the day of the request, tenge"))
    # The version of the business plan the graduate froze for the defence, carried with the request.
    plan_version = models.ForeignKey(
        "plans.PlanVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("frozen business plan"),
    )

    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.REQUESTED)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    approved_amount = models.PositiveBigIntegerField(_("approved amount, tenge"), null=True, blank=True)
    approved_rate = models.DecimalField(_("approved rate, %"), max_digits=5, decimal_places=2, null=True, blank=True)
    approved_term_months = models.PositiveSmallIntegerField(_("approved term, months"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=500, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("loan referral")
        verbose_name_plural = _("loan referrals")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=1), name="referral_amount_positive"),
            models.CheckConstraint(condition=Q(amount__lte=F("cap_tenge")), name="referral_amount_within_cap"),
            models.CheckConstraint(
                condition=~Q(state="approved")
                | Q(
                    approved_amount__gte=1,
                    approved_amount__lte=F("amount"),
                    approved_rate__isnull=False,
                    approved_term_months__gte=1,
                    approved_on__isnull=False,
                ),
                name="referral_approval_complete",
            ),
        ]
        indexes = [
            # The officer's inbox: their institution's referrals, newest first.
            models.Index(fields=["lender", "state", "requested_at"], name="referral_lender_inbox"),
            # The Chamber's list: its district's referrals, newest first.
            models.Index(fields=["district", "requested_at"], name="referral_district_list"),
        ]

    def __str__(self) -> str:
        return f"{self.application} → {self.programme.code}"


class FollowUpQuerySet(ScopedQuerySet):
    district_field = "district"
    region_field = "region"

    def visible_to(self, user):
        """The Chamber branch, analysts and administrators: their area. Other roles: none."""
        if (
            user.is_authenticated
            and not user.is_superuser
            and user.role not in (Role.CHAMBER, Role.ANALYST, Role.ADMIN)
        ):
            return self.none()
        return super().visible_to(user)

    def due(self, today):
        return self.filter(recorded_at__isnull=True, due_on__lte=today)


class FollowUp(models.Model):
    """What became of a graduate's business six or twelve months after the certificate: made when the
    certificate is issued (its StatusChange), recorded by the Chamber branch of the district when due."""

    class Milestone(models.IntegerChoices):
        SIX = 6, _("6 months")
        TWELVE = 12, _("12 months")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("application")
    )
    district = models.ForeignKey(
        "geography.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    region = models.ForeignKey("geography.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    milestone = models.PositiveSmallIntegerField(_("after"), choices=Milestone.choices)
    certified_on = models.DateField(_("certificate issued on"))
    due_on = models.DateField(_("due on"))

    business_opened = models.BooleanField(_("business opened or expanded"), null=True)
    registration_number = models.CharField(
        _("registration number (BIN or IIN)"),
        max_length=12,
        blank=True,
        help_text=_("The BIN of the company or the IIN of the sole proprietor: 12 digits."),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    jobs_created = models.PositiveSmallIntegerField(
        _("jobs created"), null=True, blank=True, validators=[MaxValueValidator(MOST_JOBS)]
    )
    loan_received = models.BooleanField(_("loan received"), null=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(fields=["application", "milestone"], name="follow_up_one_per_milestone"),
            models.CheckConstraint(condition=Q(milestone__in=[6, 12]), name="follow_up_milestone_6_or_12"),
            models.CheckConstraint(
                condition=Q(jobs_created__isnull=True) | Q(jobs_created__lte=MOST_JOBS),
                name="follow_up_jobs_bounded",
            ),
        ]
        indexes = [
            # The Chamber's due list: its district's unrecorded follow-ups by due date.
            models.Index(
                fields=["district", "due_on"], condition=Q(recorded_at__isnull=True), name="follow_up_due_by_district"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.milestone}"

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None
