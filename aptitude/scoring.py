"""How an attempt is scored. Single choice: a point when the one right answer is chosen.
Several answers: right choices minus wrong ones, over the number of right ones, never below 0."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal


@dataclass
class Score:
    points: Decimal
    max_points: int
    percent: Decimal
    by_category: dict[str, dict] = field(default_factory=dict)


def question_points(kind: str, correct: set[int], selected: set[int]) -> Decimal:
    if not correct:
        return Decimal(0)
    if kind == "single":
        return Decimal(1) if selected == correct else Decimal(0)
    right, wrong = len(selected & correct), len(selected - correct)
    return max(Decimal(0), Decimal(right - wrong) / Decimal(len(correct)))


def score_attempt(questions: list[dict], answers: dict[int, set[int]]) -> Score:
    """Score an attempt.

    questions: [{"id", "kind", "category", "correct": set of choice ids}] in the attempt's order;
    answers: {question id: set of chosen choice ids}.
    """
    total = Decimal(0)
    by_category: dict[str, dict] = {}
    for question in questions:
        points = question_points(question["kind"], question["correct"], answers.get(question["id"], set()))
        total += points
        bucket = by_category.setdefault(str(question["category"] or ""), {"points": 0.0, "max": 0})
        bucket["points"] = round(bucket["points"] + float(points), 2)
        bucket["max"] += 1
    max_points = len(questions)
    percent = (total * 100 / max_points).quantize(Decimal("0.1"), ROUND_HALF_UP) if max_points else Decimal(0)
    return Score(
        points=total.quantize(Decimal("0.01")), max_points=max_points, percent=percent, by_category=by_category
    )
