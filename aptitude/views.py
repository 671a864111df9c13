from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.access import action_required
from aptitude import selectors, services
from aptitude.forms import PaperScoresForm, ScoresImportForm, SessionForm
from aptitude.models import Attempt, TestSession


@action_required("aptitude.view_sessions")
def sessions(request):
    can_schedule = policy.can(request.user, "aptitude.schedule")
    form = SessionForm(request.POST or None)
    if request.method == "POST":
        if not can_schedule:
            raise Http404
        if form.is_valid():
            try:
                session = services.session_schedule(actor=request.user, **form.cleaned_data)
                messages.success(
                    request, _("The test is scheduled for %(n)s applicants.") % {"n": session.attempts.count()}
                )
                return redirect("aptitude:session", code=session.code)
            except ValidationError as exc:
                form.add_error(None, exc)
    return render(
        request,
        "aptitude/sessions.html",
        {
            "sessions": selectors.sessions_for(request.user),
            "form": form if can_schedule else None,
            "waiting": selectors.waiting_for_a_test(request.user),
        },
    )


def _session(request, code) -> TestSession:
    try:
        return selectors.session_detail(request.user, code)
    except TestSession.DoesNotExist:
        raise Http404 from None


@action_required("aptitude.view_sessions")
def session_detail(request, code):
    session = _session(request, code)
    attempts = selectors.session_attempts(session)
    can_record = policy.can(request.user, "aptitude.record_paper", session) and session.mode == TestSession.Mode.PAPER
    form = PaperScoresForm(
        request.POST or None, attempts=[a for a in attempts if not a.submitted_at] if can_record else []
    )
    if request.method == "POST":
        if not can_record:
            raise Http404
        if form.is_valid():
            try:
                recorded = services.paper_results_record(
                    session_id=session.pk, actor=request.user, scores=form.scores()
                )
                messages.success(request, _("Results recorded: %(n)s.") % {"n": recorded})
                return redirect("aptitude:session", code=code)
            except ValidationError as exc:
                form.add_error(None, exc)
    rows = [
        (attempt, form[f"score_{attempt.pk}"] if f"score_{attempt.pk}" in form.fields else None) for attempt in attempts
    ]
    return render(
        request,
        "aptitude/session.html",
        {
            "session": session,
            "rows": rows,
            "form": form,
            "can_record": can_record,
            "import_form": ScoresImportForm() if can_record else None,
            "pass_mark": session.stream.year.pass_mark,
        },
    )


@action_required("aptitude.view_sessions")
@require_POST
def session_import(request, code):
    """Scores of a paper session from a spreadsheet with columns iin and score."""
    session = _session(request, code)
    policy.require(request.user, "aptitude.record_paper", session)
    if session.mode != TestSession.Mode.PAPER:
        raise Http404
    form = ScoresImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file."))
        return redirect("aptitude:session", code=code)
    upload = form.cleaned_data["file"]
    try:
        recorded, unknown = services.paper_results_import(
            session_id=session.pk, actor=request.user, name=upload.name, content=upload.read()
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("aptitude:session", code=code)
    messages.success(request, _("Results recorded: %(n)s.") % {"n": recorded})
    if unknown:
        messages.warning(request, _("Not in this session: %(iins)s.") % {"iins": ", ".join(unknown)})
    return redirect("aptitude:session", code=code)


# --- The citizen's test ------------------------------------------------------------------------


def _attempt(request, code) -> Attempt:
    attempt = selectors.attempt_for_citizen(request.user, code)
    if attempt is None:
        raise Http404
    return attempt


def take(request, code):
    """The test page: questions in the citizen's own order and language, answers kept as they go."""
    attempt = _attempt(request, code)
    if attempt.started_at and not attempt.submitted_at and timezone.now() >= attempt.deadline_at:
        services.attempt_start(attempt_id=attempt.pk, user=request.user)  # submits what was answered
        attempt.refresh_from_db()
    if attempt.submitted_at:
        return redirect("applications:status", code=attempt.application.code)
    if not attempt.started_at:
        session, now = attempt.session, timezone.now()
        return render(
            request,
            "aptitude/start.html",
            {
                "attempt": attempt,
                "session": session,
                "can_start": session.mode == TestSession.Mode.ONLINE and session.starts_at <= now < session.closes_at,
                "is_paper": session.mode == TestSession.Mode.PAPER,
            },
        )
    items, answered = selectors.test_items(attempt)
    return render(
        request,
        "aptitude/take.html",
        {
            "attempt": attempt,
            "items": items,
            "answered": answered,
            "seconds_left": max(0, int((attempt.deadline_at - timezone.now()).total_seconds())),
        },
    )


@require_POST
def start(request, code):
    attempt = _attempt(request, code)
    try:
        services.attempt_start(attempt_id=attempt.pk, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("aptitude:take", code=code)


@require_POST
def answer(request, code):
    """Save one answer (htmx); the response is the small 'saved' mark next to the question."""
    attempt = _attempt(request, code)
    try:
        question_id = int(request.POST.get("question", ""))
        services.attempt_answer(
            attempt_id=attempt.pk,
            user=request.user,
            question_id=question_id,
            choice_ids=[int(c) for c in request.POST.getlist(f"q{question_id}")],
        )
    except (ValueError, ValidationError) as exc:
        message = " ".join(getattr(exc, "messages", [_("The answer could not be saved.")]))
        response = HttpResponse(format_html('<span class="text-danger">{}</span>', message), status=409)
        if Attempt.objects.filter(pk=attempt.pk, submitted_at__isnull=False).exists():
            # The time ran out: the test was submitted, show the result.
            response["HX-Redirect"] = reverse("applications:status", args=[attempt.application.code])
        return response
    return HttpResponse(format_html('<span class="text-success">✓ {}</span>', _("Saved")))


@require_POST
def submit(request, code):
    """Submitting is final, so it asks first: "answered 17 of 20, submit?" (a page, no JavaScript needed).

    The first POST (the test form) saves the answers it carries, through the same service as the
    page's autosave, and shows the confirmation; the confirmation's POST (`confirm=1`) submits.
    The timer's own submission at the end of the time carries `confirm=1` (nothing left to ask).
    """
    attempt = _attempt(request, code)
    if request.POST.get("confirm") != "1" and not attempt.submitted_at:
        for question_id in attempt.question_ids:
            chosen = request.POST.getlist(f"q{question_id}")
            if chosen:
                try:
                    services.attempt_answer(
                        attempt_id=attempt.pk,
                        user=request.user,
                        question_id=question_id,
                        choice_ids=[int(c) for c in chosen if c.isdigit()],
                    )
                except ValidationError:
                    break  # the time ran out: the attempt has been submitted with what was saved
        attempt.refresh_from_db()
        if attempt.submitted_at:
            return redirect("applications:status", code=attempt.application.code)
        answered = sum(1 for a in attempt.answers.all() if a.choice_ids)
        total = len(attempt.question_ids)
        return render(
            request,
            "aptitude/submit_confirm.html",
            {"attempt": attempt, "answered": answered, "total": total, "unanswered": total - answered},
        )
    try:
        services.attempt_submit(attempt_id=attempt.pk, user=request.user)
        messages.success(request, _("Your test has been submitted."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("applications:status", code=attempt.application.code)
