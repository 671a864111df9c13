"""Load the course's module titles (training/data/modules.csv); safe to run again."""

import csv
from pathlib import Path

from django.db import transaction

from training.models import Module

MODULES_FILE = Path(__file__).resolve().parent / "data" / "modules.csv"


@transaction.atomic
def load_modules(path: Path = MODULES_FILE) -> int:
    """Create the modules that are missing; titles edited by the administrator stay. Returns how many were added."""
    added = 0
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            _, created = Module.objects.get_or_create(
                number=int(row["number"]),
                defaults={"title_kk": row["title_kk"], "title_ru": row["title_ru"], "title_en": row["title_en"]},
            )
            added += created
    return added
