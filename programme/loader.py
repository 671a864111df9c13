"""Load the MCI table and the fixed-date holidays; safe to run any number of times."""

import csv
import datetime
from pathlib import Path

from django.db import transaction

from programme.models import Holiday, MciRate

DATA = Path(__file__).resolve().parent / "data"


@transaction.atomic
def load_mci(path: Path = DATA / "mci.csv") -> int:
    """Create missing MCI values and correct changed ones; returns how many rows changed."""
    changed = 0
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            _, created = MciRate.objects.update_or_create(
                effective_from=datetime.date.fromisoformat(row["effective_from"]),
                defaults={"value_tenge": int(row["mci_tenge"])},
            )
            changed += created
    return changed


@transaction.atomic
def load_holidays(path: Path = DATA / "kz_public_holidays.csv") -> int:
    """Create the yearly holidays of the file that are missing; edits made in the admin stay."""
    created_count = 0
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["day_off"].strip().lower() != "yes":
                continue
            month, day = (int(part) for part in row["month_day"].split("-"))
            _, created = Holiday.objects.get_or_create(
                month=month,
                day=day,
                year=None,
                defaults={"name_kk": row["name_kk"], "name_ru": row["name_ru"], "name_en": row["name_en"]},
            )
            created_count += created
    return created_count
