"""The Chamber's aptitude test: a question bank, test sessions, attempts and answers."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet
from core.models import Translated, TranslatedName


class Category(TranslatedName):
    class Meta:
        ordering = ["name_ru"]
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("One answer")
        MULTIPLE = "multiple", _("Several answers")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions", verbose_name=_("category")
    )
    text_kk = models.TextField(_("question (Kazakh)"))
    text_ru = models.TextField(_("question (Russian)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    text = Translated("text")
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text_ru[:80]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text_kk = models.CharField(_("answer (Kazakh)"), max_length=300)
    text_ru = models.CharField(_("answer (Russian)"), max_length=300)
    text_en = models.CharField(_("answer (English)"), max_length=300, blank=True)
    text = Translated("text")
    is_correct = models.BooleanField(_("correct"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return self.text_ru


class SessionQuerySet(ScopedQuerySet):
    district_field = "district"
    region_field = "district__region"


class TestSession(models.Model):
    __test__ = False  # not a pytest test class, despite its name

    class Mode(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("On paper")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    stream = models.ForeignKey("programme.Stream", on_delete=models.PROTECT, related_name="+", verbose_name=_("stream"))
    district = models.ForeignKey(
        "geography.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.ONLINE)
    starts_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("time for the test, minutes"), default=30, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    questions_count = models.PositiveSmallIntegerField(
        _("number of questions"), default=20, validators=[MinValueValidator(5), MaxValueValidator(100)]
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    results_recorded_at = models.DateTimeField(null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("test session")
        verbose_name_plural = _("test sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("closes_at")), name="test_session_window_ordered"
            ),
        ]

    def __str__(self) -> str:
        return _("Aptitude test, %(date)s") % {
            "date": date_format(timezone.localtime(self.starts_at), "SHORT_DATETIME_FORMAT")
        }


class AttemptQuerySet(ScopedQuerySet):
    district_field = "session__district"
    region_field = "session__district__region"

    def for_citizen(self, user):
        return self.filter(application__applicant=user)


class Attempt(models.Model):
    """One applicant's single attempt at a session's test."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(TestSession, on_delete=models.PROTECT, related_name="attempts")
    application = models.OneToOneField("applications.Application", on_delete=models.PROTECT, related_name="attempt")
    question_ids = models.JSONField(default=list)  # the drawn questions, in the applicant's shuffled order
    started_at = models.DateTimeField(null=True, blank=True)
    deadline_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score_percent = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    points = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    category_scores = models.JSONField(default=dict, blank=True)  # {category id: {"points": x, "max": n}}
    passed = models.BooleanField(null=True)
    timed_out = models.BooleanField(default=False)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["deadline_at"],
                condition=models.Q(submitted_at__isnull=True, deadline_at__isnull=False),
                name="attempt_open_deadline",
            )
        ]

    def __str__(self) -> str:
        return str(self.code)


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    choice_ids = models.JSONField(default=list)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="answer_once_per_question")]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.question_id}"
