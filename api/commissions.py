"""Defence outcomes: what the Chamber's CRM or an analyst's system reads once a commission's chair has
confirmed a session (read only).

Reads go through commissions.selectors.outcomes_for (the commission's own sessions for its members,
the area's for the Chamber branch and analysts), with the rule commissions.view_outcomes. A defence is
looked up by its application's code (one defence per application)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, routers, serializers
from rest_framework.response import Response

from api.base import NOT_FOUND, ApiViewSet
from commissions import selectors
from commissions.models import Defence, Outcome
from core.errors import NotFound

ABSENT = "absent"
OUTCOMES = [(Outcome.DEFENDED.value, Outcome.DEFENDED.label), (Outcome.NOT_DEFENDED.value, Outcome.NOT_DEFENDED.label)]
OUTCOMES.append((ABSENT, _("absent")))


class OutcomeField(serializers.ChoiceField):
    def get_attribute(self, instance):
        return ABSENT if instance.absent else instance.outcome


class DefenceOut(serializers.Serializer):
    application = serializers.UUIDField(source="application.code", help_text="The application's code.")
    number = serializers.CharField(source="application.number", allow_null=True)
    last_name = serializers.CharField(source="application.last_name")
    first_name = serializers.CharField(source="application.first_name")
    group = serializers.UUIDField(source="session.group.code")
    group_name = serializers.CharField(source="session.group.name")
    session = serializers.UUIDField(source="session.code")
    district_id = serializers.IntegerField(source="session.district_id")
    held_on = serializers.DateField(source="session.held_on", help_text="The session's date.")
    outcome = OutcomeField(choices=OUTCOMES, help_text="Absent counts as not defended on the path.")
    score_percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text="The members' mean total as a percentage of the maximum; null when absent.",
    )
    confirmed_at = serializers.DateTimeField(source="session.confirmed_at")


class DefenceFilter(django_filters.FilterSet):
    group = django_filters.UUIDFilter(field_name="session__group__code", help_text="A group's code.")
    session = django_filters.UUIDFilter(field_name="session__code", help_text="A session's code.")
    outcome = django_filters.ChoiceFilter(choices=OUTCOMES, method="filter_outcome")

    class Meta:
        model = Defence
        fields = ["group", "session", "outcome"]

    def filter_outcome(self, queryset, name, value):
        if value == ABSENT:
            return queryset.filter(absent=True)
        return queryset.filter(outcome=value, absent=False)


@extend_schema_view(
    list=extend_schema(
        summary="Confirmed defence outcomes the token may read, latest session first", responses=DefenceOut
    ),
    retrieve=extend_schema(
        summary="One participant's defence outcome (by their application's code)", responses=DefenceOut
    ),
)
class DefenceViewSet(mixins.ListModelMixin, ApiViewSet):
    policy_action = "commissions.view_outcomes"
    filterset_class = DefenceFilter
    serializer_class = DefenceOut

    def get_queryset(self):
        return selectors.outcomes_for(self.request.user).order_by(
            "-session__held_on", "application__last_name", "application__first_name", "pk"
        )

    def retrieve(self, request, code=None):
        defence = self.get_queryset().filter(application__code=self.code()).first()
        if defence is None:
            raise NotFound(NOT_FOUND)
        return Response(DefenceOut(defence).data)


router = routers.SimpleRouter()
router.register("defences", DefenceViewSet, basename="defence")
