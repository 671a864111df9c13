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
