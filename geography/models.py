"""Kazakhstan's administrative divisions, loaded from the KATO file in geography/data/."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TranslatedName, pick_language


class Region(TranslatedName):
    """A region (oblys) or a city of republican significance (Astana, Almaty, Shymkent)."""

    kato_code = models.CharField(_("KATO code"), max_length=9, unique=True)
    is_city = models.BooleanField(_("city of republican significance"), default=False)

    class Meta:
        ordering = ["name_ru"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    @property
    def full_name(self) -> str:
        if self.is_city:
            return pick_language(
                {"kk": f"{self.name_kk} қаласы", "ru": f"г. {self.name_ru}", "en": f"{self.name_en} City"}
            )
        return pick_language(
            {"kk": f"{self.name_kk} облысы", "ru": f"{self.name_ru} область", "en": f"{self.name_en} Region"}
        )

    def __str__(self) -> str:
        return self.full_name


class District(TranslatedName):
    """A district (audan) or a city of regional significance; staff work in one of these."""

    class Level(models.TextChoices):
        DISTRICT = "district", _("district")
        CITY = "city", _("city of regional significance")

    kato_code = models.CharField(_("KATO code"), max_length=9, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="districts", verbose_name=_("region"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)

    class Meta:
        ordering = ["name_ru"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    @property
    def full_name(self) -> str:
        if self.level == self.Level.CITY:
            return pick_language(
                {"kk": f"{self.name_kk} қаласы", "ru": f"г. {self.name_ru}", "en": f"{self.name_en} City"}
            )
        return pick_language(
            {"kk": f"{self.name_kk} ауданы", "ru": f"{self.name_ru} район", "en": f"{self.name_en} District"}
        )

    def __str__(self) -> str:
        return self.full_name
