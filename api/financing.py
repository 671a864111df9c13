"""Loan referrals for a financial institution's system: the referrals forwarded to the token's
institution (and only those), one referral, and the lender's decision.

Reads go through financing.selectors with `Referral.objects.visible_to(user)` (an officer sees their
institution's referrals once the Chamber branch forwarded them: another institution's is a 404); the
decision goes through financing.services.referral_approve / referral_decline with their bounds (400
with the fields), the rule financing.decide (403) and the state check (409 once decided)."""

from decimal import Decimal

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, routers, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from api.base import NOT_FOUND, ApiViewSet
from core.errors import NotFound
from financing import selectors, services
from financing.models import Referral

LENDER_STATES = [choice for choice in Referral.State.choices if choice[0] != Referral.State.REQUESTED]
MAX_TENGE = 10**12  # beyond any loan: refused on the field, never sent to the database


class ReferralRow(serializers.Serializer):
    code = serializers.UUIDField()
    application = serializers.UUIDField(source="application.code", help_text="The application's code.")
    number = serializers.CharField(source="application.number", allow_null=True)
    last_name = serializers.CharField(source="application.last_name")
    first_name = serializers.CharField(source="application.first_name")
    patronymic = serializers.CharField(source="application.patronymic")
    district_id = serializers.IntegerField()
    district = serializers.CharField(source="district.name")
    programme = serializers.CharField(source="programme.code")
    programme_name = serializers.CharField(source="programme.name")
    amount = serializers.IntegerField(help_text="Asked for, tenge.")
    term_months = serializers.IntegerField()
    requested_on = serializers.DateField()
    state = serializers.ChoiceField(choices=Referral.State.choices)
    state_label = serializers.CharField(source="get_state_display")
    forwarded_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    approved_amount = serializers.IntegerField(allow_null=True)
    approved_rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    approved_term_months = serializers.IntegerField(allow_null=True)
    approved_on = serializers.DateField(allow_null=True)
    decline_reason = serializers.CharField()


class ReferralDetail(ReferralRow):
    purpose = serializers.CharField()
    masked_iin = serializers.CharField(source="application.masked_iin")
    phone = serializers.CharField(source="application.phone")
    email = serializers.CharField(source="application.email")
    cap_tenge = serializers.IntegerField(help_text="The programme's cap on the day of the request, tenge.")
    mci_tenge = serializers.IntegerField(help_text="The MCI on the day of the request, tenge.")
    programme_rate = serializers.DecimalField(source="programme.rate", max_digits=5, decimal_places=2)
    programme_max_term_months = serializers.IntegerField(source="programme.max_term_months")
    programme_grace_months = serializers.IntegerField(source="programme.grace_months")


class ApproveIn(serializers.Serializer):
    amount = serializers.IntegerField(min_value=1, max_value=MAX_TENGE, help_text="Up to the amount asked for, tenge.")
    rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal(0), help_text="% a year, up to the programme's."
    )
    term_months = serializers.IntegerField(
        min_value=1, max_value=1200, help_text="Beyond the programme's grace, up to its longest term."
    )
    approved_on = serializers.DateField(help_text="From the day of forwarding to today.")


class DeclineIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500, allow_blank=True, help_text="The graduate reads it.")


class ReferralFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=LENDER_STATES)

    class Meta:
        model = Referral
        fields = ["state"]


@extend_schema_view(
    list=extend_schema(
        summary="Loan referrals forwarded to the token's institution, newest first", responses=ReferralRow
    ),
    retrieve=extend_schema(summary="One loan referral", responses=ReferralDetail),
)
class ReferralViewSet(mixins.ListModelMixin, ApiViewSet):
    policy_action = "financing.view_inbox"
    filterset_class = ReferralFilter
    serializer_class = ReferralRow

    def get_queryset(self):
        return selectors.referrals_for(self.request.user).order_by("-requested_at", "-pk")

    def retrieve(self, request, code=None):
        return Response(ReferralDetail(self._detail(self.code())).data)

    @extend_schema(
        summary="Approve the loan",
        description="The same service as the officer's page: an amount up to the one asked for and the cap, a rate "
        "up to the programme's, a term within it, a day from the forwarding to today; 409 once decided.",
        request=ApproveIn,
        responses=ReferralDetail,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, code=None):
        incoming = ApproveIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.referral_approve(actor=request.user, referral_id=self._id(), **incoming.validated_data)
        return Response(ReferralDetail(self._detail(self.code())).data)

    @extend_schema(
        summary="Decline the loan, with the reason the graduate reads",
        description="409 once decided.",
        request=DeclineIn,
        responses=ReferralDetail,
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, code=None):
        incoming = DeclineIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.referral_decline(actor=request.user, referral_id=self._id(), **incoming.validated_data)
        return Response(ReferralDetail(self._detail(self.code())).data)

    def _id(self) -> int:
        found = Referral.objects.visible_to(self.request.user).filter(code=self.code()).values_list("pk", flat=True)
        if not found:
            raise NotFound(NOT_FOUND)
        return found[0]

    def _detail(self, code) -> Referral:
        try:
            return selectors.referral_detail(self.request.user, code)
        except Referral.DoesNotExist:
            raise NotFound(NOT_FOUND) from None


router = routers.SimpleRouter()
router.register("referrals", ReferralViewSet, basename="referral")
