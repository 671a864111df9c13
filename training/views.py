from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.access import action_required
from core.errors import NotFound, Refused, messages_of
from core.models import is_number
from core.pdf import render_pdf
from programme.models import Stream, current_of
from training import selectors, services
from training.forms import GroupForm, MoveDayForm, MoveMemberForm
from training.models import TrainingGroup


@action_required("training.view_groups")
def groups(request):
    is_chamber = policy.can(request.user, "training.create_group")
    district = request.user.organisation.district if request.user.organisation else None
    form = GroupForm(request.POST or None, district=district) if is_chamber else None
    if request.method == "POST" and is_chamber and form.is_valid():
        try:
            group = services.group_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Group %(name)s created with its schedule.") % {"name": group.name})
            return redirect("training:group", code=group.code)
        except ValidationError as exc:
            form.add_error(None, exc)
    unplaced = selectors.unplaced_count(request.user) if is_chamber else 0
    streams = list(Stream.objects.select_related("year").order_by("-course_start")[:12]) if is_chamber else []
    return render(
        request,
        "training/groups.html",
        {
            "groups": selectors.groups_for(request.user),
            "form": form,
            "unplaced": unplaced,
            "streams": streams,
            # The placing select starts on the stream under way, not the latest (a future one).
            "current_stream": current_of(streams, timezone.localdate()),
        },
    )


@action_required("training.create_group")
@require_POST
def place(request):
    stream_id = request.POST.get("stream", "")
    if not is_number(stream_id):
        raise Http404
    stream = get_object_or_404(Stream, pk=stream_id)
    placed, left = services.participants_place(actor=request.user, stream=stream)
    messages.success(request, _("Placed in groups: %(n)s.") % {"n": placed})
    if left:
        messages.warning(
            request, _("Without a place (the groups are full): %(n)s. Create another group.") % {"n": left}
        )
    return redirect("training:groups")


def _group(request, code) -> TrainingGroup:
    try:
        return selectors.group_detail(request.user, code)
    except TrainingGroup.DoesNotExist:
        raise Http404 from None


@action_required("training.view_groups")
def group_detail(request, code):
    group = _group(request, code)
    days = list(group.days.all())
    is_chamber = policy.can(request.user, "training.edit_group", group)
    return render(
        request,
        "training/group.html",
        {
            "group": group,
            "days": days,
            "members": group.members,
            "can_edit": is_chamber,
            "overrun": services.schedule_overruns(group, days),
            "attendance": selectors.group_attendance(group),
            "other_groups": list(selectors.groups_for(request.user).filter(stream=group.stream).exclude(pk=group.pk))
            if is_chamber
            else [],
        },
    )


@action_required("training.view_groups")
@require_POST
def move_day(request, code):
    group = _group(request, code)
    form = MoveDayForm(request.POST)
    if form.is_valid():
        try:
            services.teaching_day_move(
                actor=request.user, group=group, day_id=form.cleaned_data["day"], new_date=form.cleaned_data["date"]
            )
            messages.success(request, _("The teaching day has been moved."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose a date."))
    return redirect("training:group", code=group.code)


@action_required("training.view_groups")
@require_POST
def move_member(request, code):
    group = _group(request, code)
    form = MoveMemberForm(request.POST)
    if form.is_valid():
        try:
            services.member_move(
                actor=request.user, application_id=form.cleaned_data["application"], group_id=form.cleaned_data["group"]
            )
            messages.success(request, _("The participant has been moved."))
        except (ValidationError, Refused, NotFound) as exc:
            messages.error(request, " ".join(messages_of(exc)))
    return redirect("training:group", code=group.code)


@action_required("training.view_groups")
def group_pdf(request, code):
    group = _group(request, code)
    pdf = render_pdf(
        "training/pdf/group.html", {"group": group, "days": list(group.days.all()), "members": group.members}
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bastau-group-{group.pk}.pdf"'
    return response
