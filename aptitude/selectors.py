"""Reads for the aptitude test's pages."""

from django.db.models import Count, Q

from applications.models import Application, Status
from aptitude.models import Attempt, Question, TestSession


def attempt_of(application: Application) -> Attempt | None:
    return Attempt.objects.select_related("session").filter(application=application).first()


def sessions_for(user):
    """The test sessions the user may see, with their counts, in one query."""
    return (
        TestSession.objects.visible_to(user)
        .select_related("stream__year", "district")
        .annotate(
            invited=Count("attempts"),
            done=Count("attempts", filter=Q(attempts__submitted_at__isnull=False)),
            passed=Count("attempts", filter=Q(attempts__passed=True)),
        )
    )


def waiting_for_a_test(user) -> int:
    """Accepted applicants of the user's area who are not invited to any session yet."""
    return Application.objects.visible_to(user).filter(status=Status.ACCEPTED, attempt__isnull=True).count()


def session_detail(user, code) -> TestSession:
    return TestSession.objects.visible_to(user).select_related("stream__year", "district").get(code=code)


def session_attempts(session: TestSession) -> list[Attempt]:
    return list(session.attempts.select_related("application").order_by("application__last_name"))


def attempt_for_citizen(user, code) -> Attempt | None:
    """The citizen's own attempt, or None: nobody else's test opens, whatever their role."""
    attempt = (
        Attempt.objects.visible_to(user)
        .select_related("session", "application__stream__year")
        .filter(code=code)
        .first()
    )
    if attempt is None or attempt.application.applicant_id != user.pk:
        return None
    return attempt


def test_items(attempt: Attempt) -> tuple[list[dict], int]:
    """The questions of the attempt in the citizen's order and language, with what they answered so far."""
    questions = Question.objects.filter(pk__in=attempt.question_ids).prefetch_related("choices")
    by_id = {q.pk: q for q in questions}
    answers = {a.question_id: set(a.choice_ids) for a in attempt.answers.all()}
    items = [
        {
            "number": n,
            "question": by_id[qid],
            "text": by_id[qid].text,
            "choices": [(c.pk, c.text, c.pk in answers.get(qid, ())) for c in by_id[qid].choices.all()],
            "answered": qid in answers,
        }
        for n, qid in enumerate(attempt.question_ids, start=1)
        if qid in by_id
    ]
    return items, len(answers)
