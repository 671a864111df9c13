"""Users, their roles, and the organisations staff work for."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from accounts.scoping import ScopedQuerySet
from core.models import TranslatedName


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    EMPLOYMENT_CENTRE = "employment_centre", _("Employment-centre specialist")
    AKIMAT = "akimat", _("Akimat specialist")
    CHAMBER = "chamber", _("Chamber branch specialist")
    TRAINER = "trainer", _("Trainer")
    COMMISSION = "commission", _("Commission member")
    FINANCE = "finance", _("Financial-institution officer")
    ANALYST = "analyst", _("Programme analyst")
    ADMIN = "admin", _("Administrator")


class OrganisationKind(models.TextChoices):
    EMPLOYMENT_CENTRE = "employment_centre", _("Employment centre")
    AKIMAT = "akimat", _("Akimat")
    CHAMBER_BRANCH = "chamber_branch", _("Chamber of Entrepreneurs branch")
    COMMISSION = "commission", _("Commission")
    FINANCIAL_INSTITUTION = "financial_institution", _("Financial institution")
    ADMINISTRATION = "administration", _("Programme administration")


# Which organisations a staff role may work for; the one place this rule lives.
ROLE_ORGANISATION_KINDS: dict[str, set[str]] = {
    Role.EMPLOYMENT_CENTRE: {OrganisationKind.EMPLOYMENT_CENTRE},
    Role.AKIMAT: {OrganisationKind.AKIMAT},
    Role.CHAMBER: {OrganisationKind.CHAMBER_BRANCH},
    Role.TRAINER: {OrganisationKind.CHAMBER_BRANCH},
    Role.COMMISSION: {OrganisationKind.COMMISSION},
    Role.FINANCE: {OrganisationKind.FINANCIAL_INSTITUTION},
    Role.ANALYST: {OrganisationKind.ADMINISTRATION},
    Role.ADMIN: {OrganisationKind.ADMINISTRATION},
}
STAFF_ROLES = frozenset(ROLE_ORGANISATION_KINDS)


class OrganisationQuerySet(ScopedQuerySet):
    district_field = "district"
    region_field = "region"


class Organisation(TranslatedName):
    """An office staff work for, placed in a district, a region, or nationally (both empty)."""

    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind)
    region = models.ForeignKey(
        "geography.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("region"),
    )
    district = models.ForeignKey(
        "geography.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("district"),
    )
    bin = models.CharField(_("BIN"), max_length=12, blank=True, help_text=_("Business identification number"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = PhoneNumberField(_("phone"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name_ru"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=OrganisationKind.ADMINISTRATION) | Q(region__isnull=False),
                name="organisation_located_unless_administration",
            ),
            models.CheckConstraint(
                condition=Q(district__isnull=True) | Q(region__isnull=False),
                name="organisation_district_has_region",
            ),
        ]

    def clean(self):
        super().clean()
        if self.district_id and self.region_id and self.district.region_id != self.region_id:
            raise ValidationError({"district": _("This district is not in the chosen region.")})
        if self.kind != OrganisationKind.ADMINISTRATION and not (self.region_id or self.district_id):
            raise ValidationError({"region": _("Choose the region or district this office serves.")})

    def save(self, *args, **kwargs):
        # The region follows the district, so the two can never disagree.
        if self.district_id:
            self.region_id = self.district.region_id
        super().save(*args, **kwargs)

    @property
    def area(self) -> str:
        if self.district_id:
            return str(self.district)
        if self.region_id:
            return str(self.region)
        return str(_("Republic of Kazakhstan"))


class UserQuerySet(ScopedQuerySet):
    district_field = "organisation__district"
    region_field = "organisation__region"

    def in_scope(self, scope):
        # Staff see staff: citizens' accounts are never listed, not even for national users.
        return super().in_scope(scope).filter(role__in=STAFF_ROLES)


class BastauUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """Anyone who logs in: a citizen, or staff of an organisation."""

    class Language(models.TextChoices):
        KK = "kk", "Қазақша"
        RU = "ru", "Русский"
        EN = "en", "English"

    role = models.CharField(_("role"), max_length=32, choices=Role, default=Role.CITIZEN)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisation"),
    )
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    phone = PhoneNumberField(_("phone"), null=True, blank=True, unique=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, blank=True)

    objects = BastauUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), condition=~Q(email=""), name="user_unique_email"),
        ]

    def clean(self):
        super().clean()
        if self.role in STAFF_ROLES and self.organisation_id:
            allowed = ROLE_ORGANISATION_KINDS[self.role]
            if self.organisation.kind not in allowed:
                raise ValidationError(
                    {"organisation": _("A user with this role cannot work for this kind of organisation.")}
                )

    @property
    def is_programme_staff(self) -> bool:
        return self.role in STAFF_ROLES or self.is_superuser

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part) or self.username
