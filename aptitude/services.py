"""Every change in the aptitude test: scheduling, taking, scoring, paper results."""

import datetime
import logging
import random
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import User
from accounts.scoping import office_district
from applications import pathway
from applications.models import Application, Status
from aptitude.models import Answer, Attempt, Question, TestSession
from aptitude.scoring import score_attempt
from core import spreadsheets
from core.errors import Refused
from core.models import is_number

log = logging.getLogger("bastau.aptitude")


def _pass_mark(session: TestSession) -> int:
    return session.stream.year.pass_mark


@transaction.atomic
def session_schedule(
    *,
    actor: User,
    stream,
    mode: str,
    starts_at: datetime.datetime,
    closes_at: datetime.datetime,
    place: str = "",
    duration_minutes: int = 30,
    questions_count: int = 20,
) -> TestSession:
    """Invite every applicant of the district's accepted lists for the stream who has no attempt yet.

    Each applicant draws their own questions from the active bank, in their own order.
    """
    policy.require(actor, "aptitude.schedule")
    district = office_district(actor)
    if district is None:  # the rule asks for a district office; this keeps the types honest
        raise Refused(_("Test sessions are scheduled by a district's Chamber branch."))
    if starts_at >= closes_at:
        raise ValidationError({"closes_at": [_("The session must close after it opens.")]})
    if not 5 <= duration_minutes <= 240:
        raise ValidationError({"duration_minutes": [_("The test lasts from 5 to 240 minutes.")]})
    if not 5 <= questions_count <= 100:
        raise ValidationError({"questions_count": [_("A test has from 5 to 100 questions.")]})
    applicants = list(
        Application.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .filter(stream=stream, status=Status.ACCEPTED, attempt__isnull=True)
    )
    if not applicants:
        raise ValidationError(_("No accepted applicants of this stream are waiting for a test."))
    bank = list(Question.objects.filter(is_active=True).values_list("pk", flat=True))
    if len(bank) < questions_count:
        raise ValidationError({"questions_count": [_("The bank has only %(n)s questions in use.") % {"n": len(bank)}]})
    session = TestSession.objects.create(
        stream=stream,
        district=district,
        mode=mode,
        starts_at=starts_at,
        closes_at=closes_at,
        place=place,
        duration_minutes=duration_minutes,
        questions_count=questions_count,
        created_by=actor,
    )
    rng = random.SystemRandom()
    try:
        with transaction.atomic():
            Attempt.objects.bulk_create(
                Attempt(session=session, application=application, question_ids=rng.sample(bank, questions_count))
                for application in applicants
            )
    except IntegrityError:
        # Two clicks at once: the other request invited these applicants first.
        raise ValidationError(_("These applicants have just been invited to another session.")) from None
    return session


def _locked_attempt(attempt_id: int, user) -> Attempt:
    """The citizen's own attempt, locked; Refused for anyone else, whatever their role."""
    attempt = (
        Attempt.objects.visible_to(user)
        .select_for_update(of=("self",))
        .select_related("session__stream__year", "application__stream__year")
        .filter(pk=attempt_id)
        .first()
    )
    policy.require(user, "aptitude.take", attempt)
    return attempt


@transaction.atomic
def attempt_start(*, attempt_id: int, user: User) -> Attempt:
    """Open the citizen's test; the clock starts once and does not restart on reload."""
    attempt = _locked_attempt(attempt_id, user)
    session = attempt.session
    now = timezone.now()
    if session.mode != TestSession.Mode.ONLINE:
        raise ValidationError(_("This test is taken on paper at %(place)s.") % {"place": session.place or "—"})
    if attempt.submitted_at:
        raise ValidationError(_("You have already submitted this test."))
    if attempt.started_at is None:
        if now < session.starts_at:
            raise ValidationError(
                _("The test opens at %(time)s.")
                % {"time": date_format(timezone.localtime(session.starts_at), "SHORT_DATETIME_FORMAT")}
            )
        if now >= session.closes_at:
            raise ValidationError(_("The test session has closed."))
        attempt.started_at = now
        attempt.deadline_at = min(now + datetime.timedelta(minutes=session.duration_minutes), session.closes_at)
        attempt.save(update_fields=["started_at", "deadline_at"])
    elif _time_is_up(attempt, now):
        _submit(attempt, actor=user, timed_out=True)
    return attempt


def attempt_answer(*, attempt_id: int, user: User, question_id: int, choice_ids: list[int]) -> Attempt:
    """Save one answer as it is given; after the deadline the attempt is submitted instead."""
    with transaction.atomic():
        attempt = _locked_attempt(attempt_id, user)
        if attempt.submitted_at:
            raise ValidationError(_("You have already submitted this test."))
        if attempt.started_at is None:
            raise ValidationError(_("Start the test first."))
        timed_out = _time_is_up(attempt, timezone.now())
        if timed_out:
            _submit(attempt, actor=user, timed_out=True)
        else:
            _save_answer(attempt, question_id, choice_ids)
    if timed_out:
        # Raised after the commit, so the submission stands.
        raise ValidationError(_("The time is up: the answers given so far were submitted."))
    return attempt


def _save_answer(attempt: Attempt, question_id: int, choice_ids: list[int]) -> None:
    if question_id not in attempt.question_ids:
        raise ValidationError(_("This question is not in your test."))
    question = Question.objects.prefetch_related("choices").get(pk=question_id)
    valid = {choice.pk for choice in question.choices.all()}
    chosen = sorted({int(c) for c in choice_ids} & valid)
    if question.kind == Question.Kind.SINGLE and len(chosen) > 1:
        raise ValidationError(_("Choose one answer."))
    Answer.objects.update_or_create(
        attempt=attempt, question=question, defaults={"choice_ids": chosen, "saved_at": timezone.now()}
    )


@transaction.atomic
def attempt_submit(*, attempt_id: int, user: User) -> Attempt:
    attempt = _locked_attempt(attempt_id, user)
    if attempt.submitted_at:
        raise ValidationError(_("You have already submitted this test."))
    if attempt.started_at is None:
        raise ValidationError(_("Start the test first."))
    return _submit(attempt, actor=user, timed_out=_time_is_up(attempt, timezone.now()))


def _time_is_up(attempt: Attempt, now: datetime.datetime) -> bool:
    """A started attempt always has its deadline; one not started has no time running."""
    return attempt.deadline_at is not None and now >= attempt.deadline_at


def _submit(attempt: Attempt, *, actor, timed_out: bool) -> Attempt:
    """Score on the server and move the application on. The attempt row is locked by the caller."""
    questions = Question.objects.filter(pk__in=attempt.question_ids).prefetch_related("choices")
    by_id = {q.pk: q for q in questions}
    spec = [
        {
            "id": qid,
            "kind": by_id[qid].kind,
            "category": by_id[qid].category_id,
            "correct": {c.pk for c in by_id[qid].choices.all() if c.is_correct},
        }
        for qid in attempt.question_ids
        if qid in by_id
    ]
    answers = {a.question_id: set(a.choice_ids) for a in attempt.answers.all()}
    score = score_attempt(spec, answers)
    _record_result(
        attempt,
        percent=score.percent,
        points=score.points,
        by_category=score.by_category,
        actor=actor,
        timed_out=timed_out,
    )
    return attempt


def _record_result(attempt, *, percent: Decimal, points, by_category, actor, timed_out=False) -> None:
    if not percent.is_finite() or not Decimal(0) <= percent <= Decimal(100):
        raise ValidationError(_("A score is a percentage from 0 to 100."))
    pass_mark = _pass_mark(attempt.session)
    attempt.submitted_at = timezone.now()
    attempt.score_percent = percent
    attempt.points = points
    attempt.category_scores = by_category
    attempt.passed = percent >= pass_mark
    attempt.timed_out = timed_out
    attempt.save(update_fields=["submitted_at", "score_percent", "points", "category_scores", "passed", "timed_out"])
    application = Application.objects.select_for_update().get(pk=attempt.application_id)
    if application.status != Status.ACCEPTED:
        return  # withdrawn meanwhile: the score is kept on the attempt, the application has ended

    def reason():
        return _("Score %(score)s %% (pass mark %(mark)s %%).") % {"score": percent, "mark": pass_mark}

    pathway.fire(application, "aptitude.pass" if attempt.passed else "aptitude.fail", actor=actor, reason=reason)


@transaction.atomic
def paper_results_record(*, session_id: int, actor: User, scores: dict[int, Decimal]) -> int:
    """Record the scores (percent) of a paper session typed in by staff. Returns how many were recorded."""
    session = TestSession.objects.visible_to(actor).select_for_update().filter(pk=session_id).first()
    policy.require(actor, "aptitude.record_paper", session)
    if session.mode != TestSession.Mode.PAPER:
        raise ValidationError(_("Scores are typed in only for tests taken on paper."))
    recorded = 0
    attempts = session.attempts.select_for_update(of=("self",)).select_related("application__stream__year")
    for attempt in attempts.filter(pk__in=scores, submitted_at__isnull=True):
        percent = Decimal(scores[attempt.pk])
        _record_result(attempt, percent=percent, points=None, by_category={}, actor=actor)
        recorded += 1
    session.results_recorded_at = timezone.now()
    session.save(update_fields=["results_recorded_at"])
    return recorded


def paper_results_import(*, session_id: int, actor: User, name: str, content: bytes) -> tuple[int, list[str]]:
    """Scores of a paper session from a spreadsheet with the columns iin and score (percent).
    Returns (recorded, IINs of the file that are not in the session). A session has at most a few
    hundred people, so the file (bounded like every upload: core/spreadsheets.py) is read here."""
    policy.require(actor, "aptitude.record_paper", TestSession.objects.visible_to(actor).filter(pk=session_id).first())
    if len(content) > spreadsheets.IMPORT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": spreadsheets.IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    by_iin = {}
    for line, row in enumerate(spreadsheets.read_rows(name, content, required={"iin", "score"}), start=2):
        iin = row["iin"].zfill(12) if is_number(row["iin"]) else row["iin"]
        try:
            by_iin[iin] = Decimal(row["score"].replace(",", "."))
        except InvalidOperation:
            raise ValidationError(_("Line %(line)s: the score is not a number.") % {"line": line}) from None
    session = TestSession.objects.visible_to(actor).filter(pk=session_id).first()
    policy.require(actor, "aptitude.record_paper", session)
    attempts = list(session.attempts.select_related("application"))
    scores = {a.pk: by_iin[a.application.iin] for a in attempts if a.application.iin in by_iin}
    unknown = sorted(set(by_iin) - {a.application.iin for a in attempts})
    return paper_results_record(session_id=session_id, actor=actor, scores=scores), unknown


def submit_expired(now: datetime.datetime | None = None) -> int:
    """Submit what was answered for every attempt whose time ran out (the beat calls this every minute)."""
    now = now or timezone.now()
    count = 0
    for attempt_id in Attempt.objects.filter(submitted_at__isnull=True, deadline_at__lte=now).values_list(
        "pk", flat=True
    ):
        try:
            with transaction.atomic():
                attempt = (
                    Attempt.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("session__stream__year", "application__stream__year")
                    .filter(pk=attempt_id, submitted_at__isnull=True)
                    .first()
                )
                if attempt is not None:
                    _submit(attempt, actor=None, timed_out=True)
                    count += 1
        except Exception:
            # One bad row must not stop the others; it is logged and retried on the next run.
            log.exception("Could not submit the expired attempt %s", attempt_id)
    return count
