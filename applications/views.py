import contextlib
import hashlib
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy, throttle
from accounts.access import action_required
from applications import exports, imports, pathway, selectors, services
from applications.filters import QueueFilter
from applications.forms import ApplicationForm, BulkDecisionForm, DecisionForm, DocumentForm, ImportForm, WithdrawForm
from applications.models import ApplicantList, Application, Document, DocumentDownload, ImportJob, Status
from applications.next_step import next_steps_for
from applications.panels import panels_for, with_events
from core.downloads import xlsx_response
from core.errors import messages_of
from core.models import is_number
from core.pagination import Paginator
from geography.models import District
from programme.models import Stream, current_of
from programme.selectors import next_stream_for, stream_open_for


def _submit(request, form, *, actor, account):
    """Run the service and put its refusals on the form's fields; nothing typed is lost."""
    try:
        return services.application_submit(
            applicant=form.applicant(),
            actor=actor,
            account=account,
            password=form.cleaned_data.get("password1"),
            language=get_language()[:2],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@login_not_required
def apply(request):
    """The public online application, for a visitor or a logged-in citizen."""
    user = request.user
    if user.is_authenticated and not policy.can(user, "applications.apply_online"):
        if policy.can(user, "applications.open_intake"):
            return redirect("applications:intake")
        raise PermissionDenied(_("The online application is for citizens."))
    if user.is_authenticated:
        current = Application.objects.visible_to(user).open().first()
        if current is not None:
            messages.info(
                request, _("You already have an application in progress: %(number)s.") % {"number": current.number}
            )
            return redirect("applications:status", code=current.code)
    needs_account = not user.is_authenticated
    initial = {}
    if user.is_authenticated:
        initial = {
            "last_name": user.last_name,
            "first_name": user.first_name,
            "patronymic": user.patronymic,
            "phone": user.phone,
            "email": user.email,
        }
    if request.method == "POST" and needs_account and throttle.blocked(request, "apply"):
        return throttle.too_many(request)  # per client IP: no mass probing of the form
    form = ApplicationForm(request.POST or None, initial=initial, with_password=needs_account)
    if request.method == "POST" and form.is_valid():
        once = _SubmitOnce(request, form)
        if not once.first():
            # A double click: the twin request went in; this one says so instead of refusing.
            messages.success(
                request,
                _("Your application has already been received. Log in with your phone or e-mail to follow it."),
            )
            return redirect("accounts:login" if needs_account else "portal:home")
        application = _submit(
            request,
            form,
            actor=user if user.is_authenticated else None,
            account=user if user.is_authenticated else None,
        )
        once.done(application)
        if application:
            if needs_account:
                login(request, application.applicant, backend="accounts.backends.PhoneOrEmailBackend")
            messages.success(
                request, _("Your application %(number)s has been received.") % {"number": application.number}
            )
            return redirect("applications:status", code=application.code)
    return render(request, "applications/apply.html", {"form": form, **_errors(form), **_stream_hint(form)})


def _errors(*forms) -> dict:
    """What templates/_error_summary.html lists: every error of the bound forms, linked to its field."""
    return {"error_forms": forms, "has_errors": any(f.is_bound and f.errors for f in forms)}


class _SubmitOnce:
    """One submission per browser and IIN at a time: identical POSTs sent together (a double click,
    a resent form) wait for the first and are told it went in, instead of racing it. The browser is
    known by its CSRF cookie (every form page sets it), else by its address."""

    WAIT_SECONDS = 10

    def __init__(self, request, form):
        browser = request.COOKIES.get(settings.CSRF_COOKIE_NAME) or request.META.get("REMOTE_ADDR", "")
        digest = hashlib.sha256(f"{browser}:{form.cleaned_data['iin']}".encode()).hexdigest()
        self.key = f"apply-once:{digest}"

    def first(self) -> bool:
        """True when this request goes ahead; False when a twin went in (after waiting for it)."""
        try:
            if cache.add(self.key, "pending", 120):
                return True
            deadline = time.monotonic() + self.WAIT_SECONDS
            while (state := cache.get(self.key)) == "pending" and time.monotonic() < deadline:
                time.sleep(0.05)
        except Exception:  # no cache: the database's constraints still keep one application
            return True
        return state in (None, "pending", "failed")  # the twin failed or is stuck: try ourselves

    def done(self, application) -> None:
        with contextlib.suppress(Exception):  # no cache: nothing waits on it
            cache.set(self.key, str(application.code) if application else "failed", 120)


def _stream_hint(form) -> dict:
    """Which stream the application will go to, for the district chosen so far."""
    district = form.cleaned_data.get("district") if hasattr(form, "cleaned_data") else None
    return _streams_for(district)


def _streams_for(district) -> dict:
    if district is None:
        return {}
    today = timezone.localdate()
    return {
        "open_stream": stream_open_for(district, today),
        "next_stream": next_stream_for(district, today),
        "district_chosen": True,
    }


@login_not_required
def stream_hint(request):
    """The open or next stream of the chosen district (htmx, when the district changes)."""
    district_id = request.GET.get("district", "")
    district = District.objects.filter(pk=district_id).first() if is_number(district_id) else None
    return render(request, "applications/_stream_hint.html", _streams_for(district))


@action_required("applications.open_intake")
def intake(request):
    """Staff register a walk-in applicant; the channel comes from their organisation."""
    organisation = request.user.organisation
    initial = {"region": organisation.region_id, "district": organisation.district_id}
    form = ApplicationForm(
        request.POST or None, initial=initial, submit_label=_("Register the application"), for_staff=True
    )
    document_form = DocumentForm(request.POST or None, request.FILES or None, prefix="doc", optional=True)
    if request.method == "POST" and form.is_valid():
        wants_document = bool(request.FILES.get("doc-file"))
        if not wants_document or document_form.is_valid():
            with transaction.atomic():
                application = _submit(request, form, actor=request.user, account=None)
                if application and wants_document:
                    try:
                        services.document_attach(
                            application=application,
                            actor=request.user,
                            kind=document_form.cleaned_data["kind"],
                            upload=document_form.cleaned_data["file"],
                        )
                    except ValidationError as exc:
                        document_form.add_error(None, exc)
                        transaction.set_rollback(True)
                        application = None
            if application:
                messages.success(request, _("Application %(number)s registered.") % {"number": application.number})
                return redirect("applications:status", code=application.code)
    checked = [form, document_form] if request.FILES.get("doc-file") else [form]
    return render(
        request, "applications/intake.html", {"form": form, "document_form": document_form, **_errors(*checked)}
    )


def status(request, code):
    """The applicant's timeline; staff of the district see the same page with their actions."""
    try:
        application = selectors.application_for_status_page(request.user, code)
    except Application.DoesNotExist:
        raise Http404 from None
    user = request.user
    is_owner = application.applicant_id == user.pk
    panels = panels_for(application, user)
    context = {
        "application": application,
        "steps": with_events(selectors.timeline(application), panels),
        "panels": panels,
        "next_steps": next_steps_for(application, user, panels),
        "is_owner": is_owner,
        "show_full_iin": policy.can(user, "applications.view_queue") and not is_owner,
        "can_withdraw": pathway.may(user, "applications.withdraw", application),
        "can_decide": pathway.may(user, "applications.approve", application)
        or pathway.may(user, "applications.refuse", application),
        "can_attach": application.is_open and policy.can(user, "applications.attach_document", application),
        "can_download_documents": policy.can(user, "applications.download_documents", application),
        "document_form": DocumentForm(prefix="doc"),
        "withdraw_form": WithdrawForm(),
    }
    return render(request, "applications/status.html", context)


def withdraw(request, code):
    """Withdrawing cannot be undone, so the status page links here first: a page that names what
    ends and asks (no JavaScript needed); its form's POST withdraws."""
    application = _visible(request.user, code)
    policy.require(request.user, "applications.withdraw", application)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method != "POST":
        if not pathway.may(request.user, "applications.withdraw", application):
            return redirect("applications:status", code=code)
        # What the withdrawal ends, in the words of the stages that hold it (their panels).
        ends = [line for panel in panels_for(application, request.user) for line in panel.withdrawal_ends]
        context = {
            "application": application,
            "form": form,
            "is_owner": application.applicant_id == request.user.pk,
            "ends": ends,
        }
        return render(request, "applications/withdraw_confirm.html", context)
    form.is_valid()
    try:
        services.application_withdraw(
            application_id=application.pk, actor=request.user, reason=form.cleaned_data.get("reason", "")
        )
        messages.success(request, _("The application has been withdrawn."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("applications:status", code=code)


def _visible(user, code) -> Application:
    return get_object_or_404(Application.objects.visible_to(user), code=code)


@action_required("applications.open_intake")
@require_POST
def document_upload(request, code):
    application = _visible(request.user, code)
    form = DocumentForm(request.POST, request.FILES, prefix="doc")
    if form.is_valid():
        try:
            services.document_attach(
                application=application,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
            messages.success(request, _("The document has been attached."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("applications:status", code=code)


def document_download(request, code):
    """Documents are served only under the download policy (applications/access.py), never from a
    public URL, and every download is recorded."""
    if not (
        policy.can(request.user, "applications.download_documents_any")
        or policy.can(request.user, "applications.apply_online")
    ):
        raise PermissionDenied  # roles that never download documents, whatever they can see
    document = get_object_or_404(
        Document.objects.select_related("application"),
        code=code,
        application__in=Application.objects.visible_to(request.user),
    )
    if not policy.can(request.user, "applications.download_documents", document.application):
        raise PermissionDenied
    DocumentDownload.objects.create(document=document, user=request.user)
    return FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=True,
        filename=document.download_name,
    )


@action_required("applications.view_queue")
def queue(request):
    """The district's applications: filter, search, sort, decide in bulk."""
    return render(request, "applications/queue.html", _queue_context(request, request.GET))


def _queue_context(request, query: QueryDict, bulk_form=None) -> dict:
    """The queue page for these filters; it opens on "awaiting a decision" until a status is chosen."""
    if "status" not in query:
        query = query.copy()
        query["status"] = Status.SUBMITTED
    base = selectors.queue_page_rows(request.user)
    filterset = QueueFilter(query, queryset=base)
    rows = filterset.qs if filterset.is_valid() else base.order_by("submitted_at")
    page = Paginator(rows, 25).get_page(query.get("page"))
    can_decide = policy.can(request.user, "applications.decide_any")
    query = query.copy()
    query.pop("page", None)
    selected = set(bulk_form.data.getlist("bulk-applications")) if bulk_form is not None else set()
    return {
        "filter": filterset,
        "page": page,
        # Per row: who may tick it for a decision (the move's rule) and whose waiting time counts.
        "decidable": {app.pk for app in page if pathway.may(request.user, "applications.approve", app)},
        "waiting": {app.pk for app in page if app.status == Status.SUBMITTED},
        "today": timezone.localdate(),
        "can_decide": can_decide,
        "can_register": policy.can(request.user, "applications.open_intake"),
        "bulk_form": bulk_form or (DecisionForm(prefix="bulk") if can_decide else None),
        "selected": selected,
        "query": query.urlencode(),
    }


def _safe_next(request, default: str) -> str:
    """The page to go back to, if it is on this site; else the default (no open redirect)."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@action_required("applications.decide_any")
@require_POST
def queue_decide(request):
    form = BulkDecisionForm(
        request.POST,
        prefix="bulk",
        # Any the user sees: one decided or withdrawn meanwhile is skipped by the service, and named.
        queryset=Application.objects.visible_to(request.user),
    )
    if not form.is_valid():
        # Show the same page again with the ticks and the choice kept, each error on its field.
        target = urlsplit(_safe_next(request, reverse("applications:queue")))
        context = _queue_context(request, QueryDict(target.query), bulk_form=form)
        context["next_url"] = _safe_next(request, reverse("applications:queue"))
        return render(request, "applications/queue.html", context, status=400)
    data = form.cleaned_data
    decided, problems = services.applications_decide_bulk(
        application_ids=[a.pk for a in data["applications"]],
        actor=request.user,
        eligible=data["decision"] == "eligible",
        reason=data.get("reason", ""),
        note=data.get("note", ""),
    )
    messages.success(request, _("Decisions recorded: %(count)s.") % {"count": decided})
    for problem in problems:
        messages.error(request, problem)
    return redirect(_safe_next(request, reverse("applications:queue")))


@action_required("applications.decide_any")
def decide(request, code):
    application = _visible(request.user, code)
    policy.require(request.user, "applications.decide", application)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.application_decide(
                application_id=application.pk,
                actor=request.user,
                eligible=data["decision"] == "eligible",
                reason=data.get("reason", ""),
                note=data.get("note", ""),
            )
            messages.success(request, _("The decision has been recorded."))
            return redirect("applications:status", code=code)
        except ValidationError as exc:
            form.add_error(None, exc)
    # Earlier applications of the same person (the IIN), with how each ended: one query.
    earlier = (
        Application.objects.visible_to(request.user)
        .filter(iin=application.iin)
        .exclude(pk=application.pk)
        .select_related("stream__year")
        .order_by("-submitted_at")
    )
    return render(
        request,
        "applications/decide.html",
        {
            "application": application,
            "form": form,
            "earlier": list(earlier),
            "documents": list(application.documents.all()),
        },
    )


# --- Lists for the Chamber ----------------------------------------------------------------------


@action_required("applications.view_lists")
def lists(request):
    rows = selectors.lists_for(request.user)
    streams = list(Stream.objects.select_related("year").order_by("-course_start")[:12])
    return render(
        request,
        "applications/lists.html",
        {
            "lists": rows,
            "streams": streams,
            # The select starts on the stream under way, not the latest (a future one).
            "current_stream": current_of(streams, timezone.localdate()),
            "can_create": policy.can(request.user, "applications.prepare_list"),
            "counts": selectors.queue_counts(request.user),
        },
    )


@action_required("applications.prepare_list")
@require_POST
def list_create(request):
    stream_id = request.POST.get("stream", "")
    stream = get_object_or_404(Stream, pk=stream_id) if is_number(stream_id) else None
    if stream is None:
        raise Http404
    try:
        applicant_list = services.applicant_list_create(actor=request.user, stream=stream)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("applications:lists")
    return redirect("applications:list_detail", code=applicant_list.code)


def _list(request, code) -> ApplicantList:
    try:
        applicant_list = selectors.list_detail(request.user, code)
    except ApplicantList.DoesNotExist:
        raise Http404 from None
    return applicant_list


@action_required("applications.view_lists")
def list_detail(request, code):
    applicant_list = _list(request, code)
    is_centre = policy.can(request.user, "applications.edit_list", applicant_list)
    return render(
        request,
        "applications/list_detail.html",
        {
            "list": applicant_list,
            "rows": selectors.list_rows(applicant_list),
            "can_edit": is_centre and applicant_list.state == ApplicantList.State.DRAFT,
            "can_accept": policy.can(request.user, "applications.accept_list", applicant_list)
            and applicant_list.state == ApplicantList.State.SENT,
        },
    )


@action_required("applications.view_lists")
@require_POST
def list_action(request, code, action):
    applicant_list = _list(request, code)
    try:
        if action == "send":
            services.applicant_list_send(list_id=applicant_list.pk, actor=request.user)
            messages.success(request, _("The list has been sent to the Chamber branch."))
        elif action == "accept":
            services.applicant_list_accept(list_id=applicant_list.pk, actor=request.user)
            messages.success(request, _("The list has been accepted."))
        elif action == "remove":
            application_id = request.POST.get("application", "")
            if not is_number(application_id):
                raise ValidationError(_("Choose an applicant to remove."))
            services.applicant_list_remove(
                list_id=applicant_list.pk, actor=request.user, application_id=int(application_id)
            )
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(messages_of(exc)))
    return redirect("applications:list_detail", code=code)


@action_required("applications.view_lists")
def list_xlsx(request, code):
    applicant_list = _list(request, code)
    content = exports.list_xlsx(applicant_list, selectors.list_rows(applicant_list))
    return xlsx_response(content, f"bastau-list-{applicant_list.number}.xlsx")


@action_required("applications.view_lists")
def list_pdf(request, code):
    applicant_list = _list(request, code)
    pdf = exports.list_pdf(applicant_list, selectors.list_rows(applicant_list))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bastau-list-{applicant_list.number}.pdf"'
    return response


# --- Bulk import ----------------------------------------------------------------------------


@action_required("applications.import")
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.import_start(
                actor=request.user,
                upload=form.cleaned_data["file"],
                consent_confirmed=form.cleaned_data["consent_confirmed"],
            )
            return redirect("applications:import_job", code=job.code)
        except ValidationError as exc:
            form.add_error("file" if not hasattr(exc, "error_dict") else None, exc)
    jobs = ImportJob.objects.visible_to(request.user).select_related("created_by")[:10]
    return render(
        request,
        "applications/import_upload.html",
        {
            "form": form,
            "jobs": jobs,
            "columns": [(key, imports.COLUMN_LABELS[key], key in imports.REQUIRED) for key in imports.COLUMNS],
        },
    )


@action_required("applications.import")
def import_template(request):
    """An empty register with the expected columns, headed in the user's language."""
    return xlsx_response(imports.template_xlsx(), f"bastau-register-{get_language()[:2]}.xlsx")


def _job(request, code) -> ImportJob:
    return get_object_or_404(ImportJob.objects.visible_to(request.user), code=code)


@action_required("applications.open_intake")
def import_job(request, code):
    """The import's page; while it works, htmx polls the progress fragment."""
    job = _job(request, code)
    template = "applications/_import_progress.html" if request.htmx else "applications/import_job.html"
    return render(
        request,
        template,
        {
            "job": job,
            "done": imports.progress_of(job),
            "working": job.state in (ImportJob.State.CHECKING, ImportJob.State.IMPORTING),
            "failed": job.state == ImportJob.State.FAILED,
            "finished": job.state == ImportJob.State.DONE,
            "checked": job.state in (ImportJob.State.PREVIEW, ImportJob.State.DONE),
            "can_confirm": job.state == ImportJob.State.PREVIEW
            and bool(job.valid_rows)
            and policy.can(request.user, "applications.confirm_import", job),
        },
    )


@action_required("applications.open_intake")
@require_POST
def import_confirm(request, code):
    job = _job(request, code)
    try:
        imports.import_confirm(job=job, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(messages_of(exc)))
    return redirect("applications:import_job", code=code)


@action_required("applications.open_intake")
def import_errors(request, code):
    job = _job(request, code)
    return xlsx_response(imports.error_report(job), "bastau-import-errors.xlsx")
