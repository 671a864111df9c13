"""Applications and the lists sent to the Chamber: what an intake system or a registry needs.

Every call goes through applications.services / selectors: the same submission (channel from the
token's organisation, as for a walk-in), the same eligibility decision, the same scoping."""

import django_filters
from django import forms
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, routers, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.backends import normalise_phone
from api.base import NOT_FOUND, ApiViewSet
from applications import selectors, services
from applications.models import (
    ApplicantList,
    Application,
    Education,
    EmploymentStatus,
    IneligibilityReason,
    Sector,
    Sex,
    Status,
)
from core.errors import NotFound
from geography.models import District

MAX_ID = 2**31 - 1  # an id beyond PostgreSQL's integer is refused on the field, never sent to the database


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**31 - 1})
class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


# --- Serializers ----------------------------------------------------------------------------------


class StatusChangeOut(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    move = serializers.CharField()
    at = serializers.DateTimeField()
    reason = serializers.CharField()


class ApplicationRow(serializers.Serializer):
    code = serializers.UUIDField()
    number = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    channel = serializers.CharField()
    stream_id = serializers.IntegerField(allow_null=True)
    stream = serializers.StringRelatedField(allow_null=True)
    district_id = serializers.IntegerField()
    district = serializers.CharField(source="district.name")
    region_id = serializers.IntegerField()
    last_name = serializers.CharField()
    first_name = serializers.CharField()
    patronymic = serializers.CharField()
    masked_iin = serializers.CharField()
    iin_mismatch = serializers.BooleanField()
    submitted_at = serializers.DateTimeField()
    status_changed_at = serializers.DateTimeField()


class ApplicationDetail(ApplicationRow):
    iin = serializers.CharField()
    birth_date = serializers.DateField()
    sex = serializers.ChoiceField(choices=Sex.choices)
    phone = serializers.CharField()
    email = serializers.CharField()
    employment_status = serializers.ChoiceField(choices=EmploymentStatus.choices)
    education = serializers.ChoiceField(choices=Education.choices)
    sector = serializers.ChoiceField(choices=Sector.choices)
    business_idea = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)
    ineligibility_reason = serializers.CharField()
    ineligibility_note = serializers.CharField()
    applicant_list = serializers.UUIDField(source="applicant_list.code", allow_null=True, default=None)
    history = StatusChangeOut(source="changes", many=True)


class ApplicationIn(serializers.Serializer):
    """What the online form and the walk-in form ask; the programme's rules are the service's."""

    iin = serializers.CharField(max_length=12)
    last_name = serializers.CharField(max_length=100)
    first_name = serializers.CharField(max_length=100)
    patronymic = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    birth_date = serializers.DateField()
    sex = serializers.ChoiceField(choices=Sex.choices)
    phone = serializers.CharField(max_length=30, help_text="A Kazakh mobile number, e.g. +77012345678.")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    district = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Where the applicant lives.")
    employment_status = serializers.ChoiceField(choices=EmploymentStatus.choices)
    education = serializers.ChoiceField(choices=Education.choices)
    business_idea = serializers.CharField(max_length=2000)
    sector = serializers.ChoiceField(choices=Sector.choices)
    is_citizen_confirmed = serializers.BooleanField(help_text="The applicant confirmed they are a citizen.")
    consent = serializers.BooleanField(help_text="The applicant consented to the processing of their data.")
    language = serializers.ChoiceField(
        choices=[("kk", "kk"), ("ru", "ru"), ("en", "en")],
        required=False,
        help_text="The language of the messages the applicant receives; the request's language by default.",
    )

    def validate_district(self, value):
        district = District.objects.filter(pk=value).first()
        if district is None:
            raise serializers.ValidationError(NOT_FOUND)
        return district

    def applicant(self) -> services.Applicant:
        data = self.validated_data
        return services.Applicant(
            iin=data["iin"].strip(),
            last_name=data["last_name"].strip(),
            first_name=data["first_name"].strip(),
            patronymic=data["patronymic"].strip(),
            birth_date=data["birth_date"],
            sex=data["sex"],
            phone=normalise_phone(data["phone"]) or data["phone"],
            email=data["email"],
            district=data["district"],
            employment_status=data["employment_status"],
            education=data["education"],
            business_idea=data["business_idea"].strip(),
            sector=data["sector"],
            is_citizen_confirmed=data["is_citizen_confirmed"],
            consent_given=data["consent"],
        )


class DecisionIn(serializers.Serializer):
    eligible = serializers.BooleanField()
    reason = serializers.ChoiceField(
        choices=IneligibilityReason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="When not eligible.",
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ListRow(serializers.Serializer):
    code = serializers.UUIDField()
    number = serializers.IntegerField()
    state = serializers.ChoiceField(choices=ApplicantList.State.choices)
    stream_id = serializers.IntegerField()
    stream = serializers.StringRelatedField()
    district_id = serializers.IntegerField()
    district = serializers.CharField(source="district.name")
    size = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)


class ListMember(serializers.Serializer):
    code = serializers.UUIDField()
    number = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices)
    last_name = serializers.CharField()
    first_name = serializers.CharField()
    patronymic = serializers.CharField()
    masked_iin = serializers.CharField()


class ListDetail(ListRow):
    size = serializers.IntegerField(source="members_count")
    applications = ListMember(many=True, source="members")


# --- Filters --------------------------------------------------------------------------------------


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices)
    district = IdFilter(field_name="district_id", help_text="A district's id.")
    stream = IdFilter(field_name="stream_id", help_text="A stream's id.")
    submitted_from = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__gte")
    submitted_to = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__lte")

    class Meta:
        model = Application
        fields = ["status", "district", "stream", "submitted_from", "submitted_to"]


class ListFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=ApplicantList.State.choices)
    stream = IdFilter(field_name="stream_id", help_text="A stream's id.")

    class Meta:
        model = ApplicantList
        fields = ["state", "stream"]


# --- Views ----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Applications in the token's area, oldest first", responses=ApplicationRow),
    retrieve=extend_schema(summary="One application with its history", responses=ApplicationDetail),
    create=extend_schema(
        summary="Register an application from an intake system",
        description="The same submission as the walk-in form: the programme's rules, the stream open for the "
        "district (or the next), the channel of the token's organisation.",
        request=ApplicationIn,
        responses={201: ApplicationDetail},
    ),
)
class ApplicationViewSet(mixins.ListModelMixin, ApiViewSet):
    policy_action = {
        "list": "applications.view_queue",
        # The full IIN and contacts: only for those who work the queue, as on the status page
        # (a trainer's or commission's token reads participants through their own resources, masked).
        "retrieve": "applications.view_queue",
        "create": "applications.open_intake",
        "decision": "applications.decide_any",
    }
    filterset_class = ApplicationFilter
    serializer_class = ApplicationRow

    def get_queryset(self):
        return selectors.queue(self.request.user).order_by("submitted_at", "pk")

    def retrieve(self, request, code=None):
        return Response(ApplicationDetail(self._detail(self.code())).data)

    def create(self, request):
        incoming = ApplicationIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        application = services.application_submit(
            applicant=incoming.applicant(),
            actor=request.user,
            language=incoming.validated_data.get("language") or (get_language() or "kk")[:2],
        )
        return Response(ApplicationDetail(self._detail(application.code)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The employment centre's eligibility decision",
        request=DecisionIn,
        responses=ApplicationDetail,
    )
    @action(detail=True, methods=["post"])
    def decision(self, request, code=None):
        incoming = DecisionIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        code = self.code()
        application_id = Application.objects.visible_to(request.user).filter(code=code).values_list("pk", flat=True)
        if not application_id:
            raise NotFound(NOT_FOUND)
        services.application_decide(application_id=application_id[0], actor=request.user, **incoming.validated_data)
        return Response(ApplicationDetail(self._detail(code)).data)

    def _detail(self, code) -> Application:
        try:
            return selectors.application_for_status_page(self.request.user, code)
        except Application.DoesNotExist:
            raise NotFound(NOT_FOUND) from None


@extend_schema_view(
    list=extend_schema(summary="Lists of eligible applicants for the Chamber", responses=ListRow),
    retrieve=extend_schema(summary="One list with its applicants", responses=ListDetail),
)
class ApplicantListViewSet(mixins.ListModelMixin, ApiViewSet):
    policy_action = "applications.view_lists"
    filterset_class = ListFilter
    serializer_class = ListRow

    def get_queryset(self):
        return selectors.lists_for(self.request.user).order_by("-created_at", "pk")

    def retrieve(self, request, code=None):
        try:
            applicant_list = selectors.list_detail(request.user, self.code())
        except ApplicantList.DoesNotExist:
            raise NotFound(NOT_FOUND) from None
        applicant_list.members = list(selectors.list_rows(applicant_list))
        applicant_list.members_count = len(applicant_list.members)
        return Response(ListDetail(applicant_list).data)


router = routers.SimpleRouter()
router.register("applications", ApplicationViewSet, basename="application")
router.register("applicant-lists", ApplicantListViewSet, basename="applicant-list")
