"""Building blocks shared by the apps' models."""

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def pick_language(values: dict[str, str]) -> str:
    """The value for the active language, falling back to Kazakh, Russian, then English."""
    lang = (get_language() or "kk")[:2]
    for code in (lang, "kk", "ru", "en"):
        if values.get(code):
            return values[code]
    return ""


LANGUAGE_CODES = ("kk", "ru", "en")


class Translated:
    """The one way a model keeps text in three languages: fields `<base>_kk`, `<base>_ru`, `<base>_en`
    and `<base> = Translated("<base>")`, which answers in the active language (pick_language)."""

    def __init__(self, base: str):
        self.base = base

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return pick_language({code: getattr(obj, f"{self.base}_{code}", "") for code in LANGUAGE_CODES})


class TranslatedName(models.Model):
    """A name kept in Kazakh, Russian and English; `.name` answers in the active language."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    name = Translated("name")

    def __str__(self) -> str:
        return self.name


def choice_label(choices: type[models.Choices], value) -> str:
    """The label of a stored choice in the active language; the value itself when it is not a choice."""
    member = choices._value2member_map_.get(value)
    return str(member.label) if member is not None else value


def choice_display(field_name: str, choices: type[models.Choices]):
    """A `get_<field>_display` for a field whose choices are `choices`, to set on the model class.

    Django's own builds a dict of every choice per call, hashing each lazy label (a gettext per
    choice): a list page of 25 rows showing two such fields spent ~2.5 ms there (docs/performance.md).
    This looks the value up in the enum. Same result: the label in the active language, or the
    stored value when it is not a choice.
    """

    def display(self) -> str:
        return choice_label(choices, getattr(self, field_name))

    display.__name__ = f"get_{field_name}_display"
    return display


def is_number(value) -> bool:
    """True for a string of ASCII digits only ("²" and other Unicode digits are not numbers here)."""
    return isinstance(value, str) and value.isascii() and value.isdigit()


class OutboxMessage(models.Model):
    """A Celery task to publish, written in the same transaction as the change that needs it
    (core/outbox.py): a change is never committed without its task, and never waits on Redis."""

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["created_at"], condition=models.Q(published_at__isnull=True), name="outbox_unpublished"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"


class AuditEntry(models.Model):
    """Who changed what in a row that carries personal data or a programme rule, and when
    (Law No. 94-V: access and change logs must show who saw or changed what). Written by the
    services and by the admin's AuditedAdmin (core/audit.py); never edited."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=20)  # "create", "change", "delete", "view"
    model = models.CharField(max_length=100)  # "applications.application"
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)  # {field: [old, new]}

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["model", "object_id"], name="audit_object")]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.model} {self.object_id}"
