"""Load questions from a spreadsheet (the starter bank ships in aptitude/data/questions.csv).

Columns: category_en, category_kk, category_ru, kind, question_kk, question_ru, question_en, then for
N = 1..4 (or more): aN_kk, aN_ru, aN_en, aN_correct (1/0). A question already in the bank (same
Russian text) is left as the editors keep it, so loading again adds nothing.
"""

import csv
import io
from pathlib import Path

import openpyxl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from aptitude.models import Category, Choice, Question

STARTER_BANK = Path(__file__).resolve().parent / "data" / "questions.csv"


def _rows(name: str, content: bytes) -> list[dict]:
    if name.lower().endswith(".xlsx"):
        sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        values = [["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
        header = [h.lower() for h in values[0]]
        return [dict(zip(header, row, strict=False)) for row in values[1:] if any(row)]
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


@transaction.atomic
def load_questions(name: str, content: bytes) -> int:
    """Add the questions of the file that are not in the bank yet; returns how many were added.
    A bad row stops the load with its line number and nothing is added."""
    added = 0
    for line, row in enumerate(_rows(name, content), start=2):
        kind = (row.get("kind") or "single").strip()
        if kind not in Question.Kind.values or not row.get("question_ru") or not row.get("question_kk"):
            raise ValidationError(_("Line %(line)s: kind, question_kk and question_ru are required.") % {"line": line})
        answers = []
        n = 1
        while row.get(f"a{n}_ru"):
            answers.append(
                (
                    row[f"a{n}_kk"],
                    row[f"a{n}_ru"],
                    row.get(f"a{n}_en", ""),
                    str(row.get(f"a{n}_correct", "0")).strip() in {"1", "yes", "true"},
                )
            )
            n += 1
        correct = sum(a[3] for a in answers)
        if len(answers) < 2 or correct == 0 or (kind == Question.Kind.SINGLE and correct != 1):
            raise ValidationError(
                _("Line %(line)s: a question needs answers and the right number of correct ones.") % {"line": line}
            )
        if Question.objects.filter(text_ru=row["question_ru"]).exists():
            continue
        category = None
        if row.get("category_ru"):
            category, _created = Category.objects.get_or_create(
                name_ru=row["category_ru"],
                defaults={"name_kk": row.get("category_kk", ""), "name_en": row.get("category_en", "")},
            )
        question = Question.objects.create(
            kind=kind,
            category=category,
            text_kk=row["question_kk"],
            text_ru=row["question_ru"],
            text_en=row.get("question_en", ""),
        )
        Choice.objects.bulk_create(
            Choice(question=question, text_kk=kk, text_ru=ru, text_en=en, is_correct=ok, position=i)
            for i, (kk, ru, en, ok) in enumerate(answers)
        )
        added += 1
    return added


def load_starter_bank() -> int:
    return load_questions(STARTER_BANK.name, STARTER_BANK.read_bytes())
