from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import policy, throttle
from accounts.access import action_required
from applications.models import Status
from certificates import selectors, services
from certificates.forms import ReasonForm, UploadForm
from certificates.models import Certificate
from certificates.policy import holds_it
from core.confirm import confirmation, confirmed
from core.errors import messages_of
from core.models import is_number
from training.models import TrainingGroup


@action_required("certificates.view")
def groups(request):
    return render(request, "certificates/groups.html", {"groups": selectors.groups_for(request.user)})


def _group(request, code) -> TrainingGroup:
    group = TrainingGroup.objects.visible_to(request.user).select_related("stream__year", "district").filter(code=code)
    found = group.first()
    if found is None:
        raise Http404
    return found


@action_required("certificates.view")
def group(request, code):
    """The group's participants and their certificates; the part below the title polls itself while
    PDFs are being rendered (htmx), so states and the progress bar update without a reload."""
    found = _group(request, code)
    rows = selectors.group_rows(found)
    can_issue = policy.can(request.user, "certificates.issue", found)
    context = {
        "group": found,
        "rows": rows,
        "progress": selectors.progress(rows),
        "can_issue": can_issue,
        "job": selectors.last_job(found) if can_issue else None,
        "issuable": (Status.DEFENDED, Status.NOT_DEFENDED),
    }
    template = "certificates/_group_certificates.html" if request.htmx else "certificates/group.html"
    return render(request, template, context)


@action_required("certificates.view")
@require_POST
def issue_group(request, code):
    found = _group(request, code)
    if not confirmed(request):
        return _confirm_issue(request, found)
    job = services.certificates_issue_for_group(actor=request.user, group_id=found.pk)  # Refused: 403
    messages.success(
        request,
        _issued_message(job.issued, job.already, len(job.refused)),
    )
    return redirect("certificates:group", code=found.code)


def _confirm_issue(request, group):
    """Issuing a group's certificates cannot be undone (a certificate is revoked, never unissued): the page
    says who gets which certificate, and asks. Who gets one stays the service's rule, asked on "Yes"."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    policy.require(request.user, "certificates.issue", group)
    rows = [row for row in selectors.group_rows(group) if not _holds(row)]
    kinds = {
        Status.DEFENDED: Certificate.Kind.COMPLETION.label,
        Status.NOT_DEFENDED: Certificate.Kind.PARTICIPATION.label,
    }
    names = [
        f"{row['application'].full_name}: {kinds[row['application'].status]}"
        for row in rows
        if row["application"].status in kinds
    ]
    url = reverse("certificates:group", args=[group.code])
    return confirmation(
        request,
        title=_("Issue %(n)s certificates to group %(group)s?") % {"n": len(names), "group": group.name},
        action=reverse("certificates:issue_group", args=[group.code]),
        consequences=[
            _("each certificate gets its number now and is signed; it can be revoked later, never unissued;"),
            _("each participant is told by SMS and e-mail, with the PDF when it is ready;"),
            _("participants who were expelled or withdrew get none."),
        ],
        names=names,
        names_label=_("Who gets which certificate"),
        confirm_label=_("Yes, issue the certificates"),
        cancel_url=url,
        cancel_label=_("No, back to the group"),
        danger=False,
    )


def _holds(row) -> bool:
    return row["certificate"] is not None and row["certificate"].revoked_at is None


def _issued_message(issued, already, refused) -> str:
    from django.utils.translation import gettext as _

    return _("Certificates issued: %(issued)s. Already held one: %(already)s. Get none: %(refused)s.") % {
        "issued": issued,
        "already": already,
        "refused": refused,
    }


@action_required("certificates.view")
@require_POST
def issue_one(request, code):
    from django.utils.translation import gettext as _

    found = _group(request, code)
    application_id = request.POST.get("application", "")
    if not is_number(application_id):
        raise Http404
    try:
        certificate, created = services.certificate_issue(actor=request.user, application_id=int(application_id))
    except ValidationError as exc:
        messages.error(request, " ".join(messages_of(exc)))
    else:
        if created:
            messages.success(request, _("Certificate No. %(number)s issued.") % {"number": certificate.number})
        else:
            messages.info(request, _("Already issued: No. %(number)s.") % {"number": certificate.number})
    return redirect("certificates:group", code=found.code)


def _certificate(request, code) -> Certificate:
    try:
        return selectors.certificate_detail(request.user, code)
    except Certificate.DoesNotExist:
        raise Http404 from None


@action_required("certificates.view")
def detail(request, code):
    certificate = _certificate(request, code)
    return render(
        request,
        "certificates/detail.html",
        {
            "certificate": certificate,
            "replaced_by": Certificate.objects.filter(replaces=certificate).first(),
            "can_revoke": certificate.revoked_at is None
            and policy.can(request.user, "certificates.revoke", certificate),
            "can_reissue": policy.can(request.user, "certificates.reissue", certificate),
            "revoke_form": ReasonForm(prefix="revoke"),
            "reissue_form": ReasonForm(prefix="reissue"),
        },
    )


def _act(request, code, service, done_message, prefix):
    certificate = _certificate(request, code)
    form = ReasonForm(request.POST, prefix=prefix)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("certificates:detail", code=certificate.code)
    try:
        result = service(actor=request.user, certificate_id=certificate.pk, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(messages_of(exc)))
        return redirect("certificates:detail", code=certificate.code)
    messages.success(request, done_message(result))
    return redirect("certificates:detail", code=result.code)


@action_required("certificates.view")
@require_POST
def revoke(request, code):
    from django.utils.translation import gettext as _

    return _act(
        request,
        code,
        services.certificate_revoke,
        lambda c: _("Certificate No. %(number)s revoked.") % {"number": c.number},
        "revoke",
    )


@action_required("certificates.view")
@require_POST
def reissue(request, code):
    from django.utils.translation import gettext as _

    return _act(
        request,
        code,
        services.certificate_reissue,
        lambda c: (
            _("Certificate No. %(number)s issued in place of No. %(old)s.")
            % {"number": c.number, "old": c.replaces.number}
        ),
        "reissue",
    )


@action_required("certificates.view")
@require_POST
def render_again(request, code):
    from django.utils.translation import gettext as _

    certificate = _certificate(request, code)
    try:
        services.certificate_render_again(actor=request.user, certificate_id=certificate.pk)
        messages.success(request, _("The PDF is queued again."))
    except ValidationError as exc:
        messages.error(request, " ".join(messages_of(exc)))
    return redirect("certificates:detail", code=certificate.code)


def download(request, code):
    """The signed PDF, to its holder or the Chamber of their district; never from a public URL."""
    certificate = (
        Certificate.objects.select_related("application")
        .filter(code=code, render_state=Certificate.Render.READY)
        .first()
    )
    if certificate is None or not policy.can(request.user, "certificates.download", certificate):
        raise Http404
    return FileResponse(
        certificate.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{certificate.number}.pdf",
    )


def state(request, code):
    """The holder's certificate card (htmx polls it while the PDF is being made)."""
    certificate = Certificate.objects.select_related("application").filter(code=code).first()
    if not holds_it(request.user, certificate):
        raise Http404
    return render(request, "certificates/_holder_card.html", {"certificate": certificate})


# --- Public verification ------------------------------------------------------------------------


def _verification_page(request, certificate=None, *, looked_up=False, form=None, check=None, status=200):
    return render(
        request,
        "certificates/verify.html",
        {
            "certificate": certificate,
            "looked_up": looked_up,
            "form": form or UploadForm(),
            "check": check,
            "query": request.GET.get("number", "")[:40],
        },
        status=status,
    )


@login_not_required
def verify_code(request, code):
    """Where the QR code leads: valid or revoked, with the least personal data."""
    if throttle.blocked(request, "verify"):
        return throttle.too_many(request)
    return _verification_page(request, selectors.for_verification(code=code), looked_up=True)


@login_not_required
def verify(request):
    """Look a certificate up by its number, or upload a PDF to check that it is genuine and unaltered."""
    if request.method == "POST":
        if throttle.blocked(request, "verify-upload"):
            return throttle.too_many(request)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return _verification_page(request, form=form, status=400)
        outcome, certificate = selectors.check_upload(form.cleaned_data["file"].read())
        return _verification_page(request, certificate, check={"outcome": outcome})
    if throttle.blocked(request, "verify"):
        return throttle.too_many(request)
    number = request.GET.get("number", "").strip().upper()[:40]
    if not number:
        return _verification_page(request)
    return _verification_page(request, selectors.for_verification(number=number), looked_up=True)
