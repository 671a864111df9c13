"""Programme settings kept as data: MCI, programme years, streams and holidays."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TranslatedName

COURSE_DEFAULTS = {
    "teaching_days": 25,
    "calendar_days": 30,
    "modules_count": 12,
    "absence_limit": 3,
    "late_join_days": 5,
}


class MciRate(models.Model):
    """The monthly calculation index (MCI, АЕК/МРП) in tenge from a date on."""

    effective_from = models.DateField(_("in force from"), unique=True)
    value_tenge = models.PositiveIntegerField(_("value, tenge"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("MCI value")
        verbose_name_plural = _("MCI values")

    def __str__(self) -> str:
        return f"{self.effective_from:%Y-%m-%d}: {self.value_tenge} ₸"


class CourseSettings(models.Model):
    """The course's shape; a year sets the defaults, a stream may differ."""

    teaching_days = models.PositiveSmallIntegerField(
        _("teaching days"), default=COURSE_DEFAULTS["teaching_days"], validators=[MinValueValidator(1)]
    )
    calendar_days = models.PositiveSmallIntegerField(
        _("course length, calendar days"), default=COURSE_DEFAULTS["calendar_days"], validators=[MinValueValidator(1)]
    )
    modules_count = models.PositiveSmallIntegerField(
        _("modules"), default=COURSE_DEFAULTS["modules_count"], validators=[MinValueValidator(1)]
    )
    absence_limit = models.PositiveSmallIntegerField(
        _("absence limit, days"),
        default=COURSE_DEFAULTS["absence_limit"],
        help_text=_("Missing more days than this opens an expulsion case for the commission."),
    )
    late_join_days = models.PositiveSmallIntegerField(
        _("late joining, days"),
        default=COURSE_DEFAULTS["late_join_days"],
        validators=[MaxValueValidator(14)],
        help_text=_(
            "A group takes new participants until this many calendar days after its course starts "
            "(0: only before it starts)."
        ),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.teaching_days and self.calendar_days and self.teaching_days > self.calendar_days:
            raise ValidationError(
                {"teaching_days": _("There cannot be more teaching days than calendar days in the course.")}
            )


class ProgrammeYear(CourseSettings):
    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2017), MaxValueValidator(2100)]
    )
    is_active = models.BooleanField(_("active"), default=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("aptitude test pass mark, %"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("An applicant with at least this share of points becomes a participant."),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("programme year")
        verbose_name_plural = _("programme years")
        constraints = [
            models.CheckConstraint(
                condition=Q(teaching_days__lte=models.F("calendar_days")), name="year_teaching_within_calendar"
            )
        ]

    def __str__(self) -> str:
        return str(self.year)


class StreamQuerySet(models.QuerySet):
    def for_district(self, district):
        """Streams that take applications from the district: national ones and those naming it."""
        return self.filter(Q(districts__isnull=True) | Q(districts=district)).distinct()

    def open_on(self, day: datetime.date):
        return self.filter(application_opens__lte=day, application_closes__gte=day)

    def current_on(self, day: datetime.date):
        """The stream under way on the day: the latest whose applications have opened (a stream select's
        default; a future stream only when none has opened yet)."""
        return (
            self.filter(application_opens__lte=day).order_by("-application_opens").first()
            or self.order_by("application_opens").first()
        )


def current_of(streams, day: datetime.date):
    """`current_on`'s rule over streams a page has already read (no query): the latest of them whose
    applications have opened, else the earliest to open; None when there are none."""
    streams = list(streams)
    opened = [stream for stream in streams if stream.application_opens <= day]
    if opened:
        return max(opened, key=lambda stream: stream.application_opens)
    return min(streams, key=lambda stream: stream.application_opens, default=None)


class Stream(CourseSettings):
    """One of the six intakes of a programme year (лек / поток)."""

    year = models.ForeignKey(ProgrammeYear, on_delete=models.PROTECT, related_name="streams", verbose_name=_("year"))
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1), MaxValueValidator(6)])
    application_opens = models.DateField(_("applications open"))
    application_closes = models.DateField(_("applications close"))
    course_start = models.DateField(_("course starts"))
    districts = models.ManyToManyField(
        "geography.District",
        blank=True,
        related_name="streams",
        verbose_name=_("districts"),
        help_text=_("Leave empty for a stream open to every district."),
    )

    objects = StreamQuerySet.as_manager()

    class Meta:
        ordering = ["-year__year", "number"]
        verbose_name = _("stream")
        verbose_name_plural = _("streams")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="stream_unique_number_in_year"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=6), name="stream_number_1_to_6"),
            models.CheckConstraint(
                condition=Q(application_opens__lte=models.F("application_closes")), name="stream_window_ordered"
            ),
            models.CheckConstraint(
                condition=Q(application_closes__lte=models.F("course_start")), name="stream_course_after_window"
            ),
            models.CheckConstraint(
                condition=Q(teaching_days__lte=models.F("calendar_days")), name="stream_teaching_within_calendar"
            ),
        ]

    def __str__(self) -> str:
        return _("Stream %(number)s of %(year)s") % {"number": self.number, "year": self.year.year}

    def clean(self):
        super().clean()
        errors = {}
        if self.application_opens and self.application_closes and self.application_opens > self.application_closes:
            errors["application_closes"] = _("Applications cannot close before they open.")
        if self.application_closes and self.course_start and self.course_start < self.application_closes:
            errors["course_start"] = _("The course cannot start before applications close.")
        if errors:
            raise ValidationError(errors)

    @property
    def course_end(self) -> datetime.date:
        return self.course_start + datetime.timedelta(days=self.calendar_days - 1)


class Holiday(TranslatedName):
    """A public holiday that is a day off: every year on its date, or in one year only."""

    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    day = models.PositiveSmallIntegerField(_("day"), validators=[MinValueValidator(1), MaxValueValidator(31)])
    year = models.PositiveSmallIntegerField(
        _("only in year"), null=True, blank=True, help_text=_("Empty: every year (fixed-date holiday).")
    )

    class Meta:
        ordering = ["month", "day"]
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "day"], condition=Q(year__isnull=True), name="holiday_unique_yearly_date"
            ),
            models.UniqueConstraint(fields=["year", "month", "day"], name="holiday_unique_dated"),
        ]

    def clean(self):
        super().clean()
        try:
            datetime.date(self.year or 2024, self.month, self.day)  # 2024: a leap year admits 29 February
        except (TypeError, ValueError):
            raise ValidationError({"day": _("This day does not exist in that month.")}) from None
