"""Training groups, their participants and attendance: what a Chamber's or a training centre's system needs.

Reads go through training.selectors with `TrainingGroup.objects.visible_to(user)`; a mark goes through
training.services.attendance_mark with its version check (409 on a stale one) and its client_id
(the same key again returns the cell and records nothing)."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, routers, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from api.applications import MAX_ID, IdFilter
from api.base import NOT_FOUND, ApiViewSet
from applications.models import Application, Status
from core.errors import NotFound
from training import absence, selectors, services
from training.models import ExcuseReason, GroupMember, MarkKind, TrainingGroup

# --- Serializers ----------------------------------------------------------------------------------


class TrainerOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")


class GroupRow(serializers.Serializer):
    code = serializers.UUIDField()
    name = serializers.CharField()
    stream_id = serializers.IntegerField()
    stream = serializers.StringRelatedField()
    district_id = serializers.IntegerField()
    district = serializers.CharField(source="district.name")
    place = serializers.CharField()
    capacity = serializers.IntegerField()
    course_start = serializers.DateField()
    size = serializers.IntegerField(help_text="Participants placed in the group now.")
    trainers = TrainerOut(many=True)


class DayOut(serializers.Serializer):
    id = serializers.IntegerField()
    ordinal = serializers.IntegerField()
    date = serializers.DateField()
    module = serializers.IntegerField(source="module.number")
    module_title = serializers.CharField(source="module.title")
    delivered = serializers.BooleanField(source="is_delivered")


class MemberOut(serializers.Serializer):
    membership = serializers.IntegerField(source="pk", help_text="The place's id: the `participant` of a mark.")
    participant = serializers.UUIDField(source="application.code", help_text="The application's code.")
    number = serializers.CharField(source="application.number", allow_null=True)
    last_name = serializers.CharField(source="application.last_name")
    first_name = serializers.CharField(source="application.first_name")
    patronymic = serializers.CharField(source="application.patronymic")
    status = serializers.ChoiceField(source="application.status", choices=Status.choices)
    placed_at = serializers.DateTimeField()


class GroupDetail(GroupRow):
    size = serializers.IntegerField(source="members_count")
    members = MemberOut(many=True)
    days = DayOut(many=True, source="schedule")


class ParticipantRow(MemberOut):
    group = serializers.UUIDField(source="group.code")
    group_name = serializers.CharField(source="group.name")


class ParticipantDetail(ParticipantRow):
    missed = serializers.IntegerField(help_text="Days missed (excused or not) over every place held.")
    absence_limit = serializers.IntegerField()
    modules_taken = serializers.IntegerField(help_text="Modules delivered on days the participant attended.")


class CellOut(serializers.Serializer):
    participant = serializers.IntegerField(source="membership_id", help_text="The place's id (`membership`).")
    day = serializers.IntegerField(source="day_id")
    kind = serializers.ChoiceField(choices=MarkKind.choices)
    reason_code = serializers.CharField()
    reason_text = serializers.CharField()
    version = serializers.IntegerField(help_text="Send it back as `expected_version` to change the cell.")


class GridMember(MemberOut):
    missed = serializers.IntegerField()


class GridOut(serializers.Serializer):
    group = serializers.UUIDField(source="group.code")
    absence_limit = serializers.IntegerField()
    days = DayOut(many=True)
    members = GridMember(many=True)
    cells = CellOut(many=True)


class MarkIn(serializers.Serializer):
    participant = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The place's id (`membership`).")
    day = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    kind = serializers.ChoiceField(choices=MarkKind.choices)
    reason_code = serializers.ChoiceField(
        choices=ExcuseReason.choices, required=False, allow_blank=True, default="", help_text="For an excused absence."
    )
    reason_text = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    change_reason = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="", help_text="Needed to change a past day's mark."
    )
    expected_version = serializers.IntegerField(
        min_value=0,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        default=None,
        help_text="The cell's version you saw (0: empty); a cell changed meanwhile answers 409.",
    )
    client_id = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text="Your key for this mark: sent again, it is done once."
    )


# --- Filters --------------------------------------------------------------------------------------


class GroupFilter(django_filters.FilterSet):
    stream = IdFilter(field_name="stream_id", help_text="A stream's id.")
    district = IdFilter(field_name="district_id", help_text="A district's id.")

    class Meta:
        model = TrainingGroup
        fields = ["stream", "district"]


class ParticipantFilter(django_filters.FilterSet):
    group = django_filters.UUIDFilter(field_name="group__code", help_text="A group's code.")
    stream = IdFilter(field_name="group__stream_id", help_text="A stream's id.")
    status = django_filters.ChoiceFilter(field_name="application__status", choices=Status.choices)

    class Meta:
        model = GroupMember
        fields = ["group", "stream", "status"]


# --- Views ----------------------------------------------------------------------------------------


def _prepare_group(group: TrainingGroup) -> TrainingGroup:
    group.members_count = len(group.members)
    group.schedule = list(group.days.all())
    for day in group.schedule:
        day.is_delivered = day.delivered_at is not None
    return group


@extend_schema_view(
    list=extend_schema(summary="Training groups in the token's area", responses=GroupRow),
    retrieve=extend_schema(summary="One group with its participants and schedule", responses=GroupDetail),
)
class GroupViewSet(mixins.ListModelMixin, ApiViewSet):
    policy_action = "training.view_groups"
    filterset_class = GroupFilter
    serializer_class = GroupRow

    def get_queryset(self):
        return selectors.groups_for(self.request.user).order_by("course_start", "name", "pk")

    def retrieve(self, request, code=None):
        try:
            group = selectors.group_detail(request.user, self.code())
        except TrainingGroup.DoesNotExist:
            raise NotFound(NOT_FOUND) from None
        return Response(GroupDetail(_prepare_group(group)).data)

    @extend_schema(summary="The group's attendance grid: days, participants and every mark", responses=GridOut)
    @action(detail=True, methods=["get"], url_path="attendance")
    def attendance(self, request, code=None):
        try:
            group, members, days, marks = selectors.attendance_grid(request.user, self.code())
        except TrainingGroup.DoesNotExist:
            raise NotFound(NOT_FOUND) from None
        for day in days:
            day.is_delivered = day.delivered_at is not None
        grid = {
            "group": group,
            "absence_limit": group.stream.absence_limit,
            "days": days,
            "members": members,
            "cells": sorted(marks.values(), key=lambda m: (m.membership_id, m.day_id)),
        }
        return Response(GridOut(grid).data)

    @extend_schema(
        summary="Mark one participant on one teaching day",
        description="Through the same service as the trainer's grid: a future day is refused, a past day's "
        "change needs `change_reason`, a stale `expected_version` answers 409, a `client_id` sent again returns "
        "the cell as it is and records nothing.",
        request=MarkIn,
        responses=CellOut,
    )
    @attendance.mapping.post
    def mark(self, request, code=None):
        incoming = MarkIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        group_id = TrainingGroup.objects.visible_to(request.user).filter(code=self.code()).values_list("pk", flat=True)
        if not group_id:
            raise NotFound(NOT_FOUND)
        data = incoming.validated_data
        mark = services.attendance_mark(
            actor=request.user,
            group_id=group_id[0],
            membership_id=data["participant"],
            day_id=data["day"],
            kind=data["kind"],
            reason_code=data["reason_code"],
            reason_text=data["reason_text"],
            change_reason=data["change_reason"],
            expected_version=data["expected_version"],
            client_id=data["client_id"],
        )
        return Response(CellOut(mark).data)


@extend_schema_view(
    list=extend_schema(summary="Participants placed in the token's groups", responses=ParticipantRow),
    retrieve=extend_schema(
        summary="One participant (by their application's code): place, missed days, modules taken",
        responses=ParticipantDetail,
    ),
)
class ParticipantViewSet(mixins.ListModelMixin, ApiViewSet):
    policy_action = "training.view_groups"
    filterset_class = ParticipantFilter
    serializer_class = ParticipantRow

    def get_queryset(self):
        return (
            GroupMember.objects.current()
            .filter(group__in=TrainingGroup.objects.visible_to(self.request.user))
            .select_related("application", "group")
            .order_by("group__name", "application__last_name", "application__first_name", "pk")
        )

    def retrieve(self, request, code=None):
        member = self.get_queryset().select_related("group__stream").filter(application__code=self.code()).first()
        if member is None:
            raise NotFound(NOT_FOUND)
        application: Application = member.application
        marks = selectors.marks_of(application)
        member.missed = absence.count_missed(marks.values())
        member.absence_limit = member.group.stream.absence_limit
        member.modules_taken = selectors.progress_of(member)
        return Response(ParticipantDetail(member).data)


router = routers.SimpleRouter()
router.register("groups", GroupViewSet, basename="group")
router.register("participants", ParticipantViewSet, basename="participant")
