"""Load the KATO file into Region and District rows; safe to run any number of times."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from geography.models import District, Region

KATO_FILE = Path(__file__).resolve().parent / "data" / "kato_districts.csv"
CITY_MARK_KK, CITY_MARK_EN = "(қала)", "(city)"


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _clean(name: str, mark: str) -> str:
    return name.replace(mark, "").strip()


def _upsert(model, kato_code: str, values: dict, result: LoadResult) -> object:
    obj = model.objects.filter(kato_code=kato_code).first()
    if obj is None:
        result.created += 1
        return model.objects.create(kato_code=kato_code, **values)
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.save(update_fields=changed)
        result.updated += 1
    else:
        result.unchanged += 1
    return obj


@transaction.atomic
def load_geography(path: Path = KATO_FILE) -> LoadResult:
    """Create or update every region and district of the file, matched by KATO code."""
    result = LoadResult()
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    regions = {}
    for row in rows:
        if row["level"] != "region":
            continue
        is_city = CITY_MARK_KK in row["name_kk"]
        regions[row["kato_code"]] = _upsert(
            Region,
            row["kato_code"],
            {
                "name_kk": _clean(row["name_kk"], CITY_MARK_KK),
                "name_ru": row["name_ru"].strip(),
                "name_en": _clean(row["name_en"], CITY_MARK_EN),
                "is_city": is_city,
            },
            result,
        )
    for row in rows:
        if row["level"] == "region":
            continue
        region = regions.get(row["parent_kato"])
        if region is None:
            raise ValueError(f"KATO {row['kato_code']}: parent {row['parent_kato']!r} is not a region in the file")
        _upsert(
            District,
            row["kato_code"],
            {
                "name_kk": row["name_kk"].strip(),
                "name_ru": row["name_ru"].strip(),
                "name_en": row["name_en"].strip(),
                "region": region,
                "level": District.Level.CITY if row["level"] == "city" else District.Level.DISTRICT,
            },
            result,
        )
    return result
