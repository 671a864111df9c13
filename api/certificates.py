"""Certificates: the staff's register (read, by number, scoped like the Chamber's certificates pages:
rule certificates.view and `Certificate.objects.visible_to`), and public verification by number: no
login, limited per client address.

It answers whether the number is a valid Bastau certificate, its kind and date, and the holder as
surname and initials: enough for an employer or a bank holding the paper to check it, not a
directory of graduates' full names."""

import django_filters
from django.contrib.auth.decorators import login_not_required
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, routers, serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from api.base import NOT_FOUND, ApiViewSet
from api.throttling import PerAddress
from certificates.models import Certificate
from core.errors import NotFound


def holder_initials(name: str) -> str:
    """ "Серікбаев Нұрлан Асқарұлы" → "Серікбаев Н. А."."""
    surname, *others = name.split() or [""]
    return " ".join([surname, *(f"{part[0]}." for part in others if part)])


class VerificationOut(serializers.Serializer):
    number = serializers.CharField()
    valid = serializers.BooleanField(help_text="Issued and not revoked.")
    kind = serializers.ChoiceField(choices=Certificate.Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    holder = serializers.CharField(help_text="The holder's surname and initials.")
    issued_on = serializers.DateField()
    revoked_on = serializers.DateField(allow_null=True, help_text="The day of revocation in Almaty time.")


class CertificateVerificationViewSet(viewsets.ViewSet):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PerAddress]
    lookup_field = "number"
    lookup_value_regex = "[^/]+"

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        return login_not_required(super().as_view(actions, **initkwargs))

    @extend_schema(summary="Verify a certificate by its number (public)", responses=VerificationOut, auth=[])
    def retrieve(self, request, number=None):
        certificate = Certificate.objects.filter(number=_number(number)).first()
        if certificate is None:
            raise NotFound(NOT_FOUND)
        certificate.valid = certificate.revoked_at is None
        certificate.holder = holder_initials(certificate.holder_name)
        # The day in Almaty, as the verification page prints it (a revocation at 20:30 UTC is the next day there).
        certificate.revoked_on = timezone.localdate(certificate.revoked_at) if certificate.revoked_at else None
        return Response(VerificationOut(certificate).data)


def _number(value) -> str:
    number = str(value).strip()[:32]
    if "\x00" in number:
        raise NotFound(NOT_FOUND)
    return number


# --- The staff's register -------------------------------------------------------------------------


class HolderField(serializers.CharField):
    def get_attribute(self, instance):
        return holder_initials(instance.holder_name)


class RevokedField(serializers.BooleanField):
    def get_attribute(self, instance):
        return instance.revoked_at is not None


class CertificateOut(serializers.Serializer):
    number = serializers.CharField()
    kind = serializers.ChoiceField(choices=Certificate.Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    holder = HolderField(help_text="The holder's surname and initials.")
    masked_iin = serializers.CharField()
    issued_on = serializers.DateField()
    district_id = serializers.IntegerField(allow_null=True)
    application = serializers.UUIDField(source="application.code", allow_null=True, default=None)
    group = serializers.UUIDField(source="group.code", allow_null=True, default=None)
    pdf_state = serializers.ChoiceField(
        source="render_state", choices=Certificate.Render.choices, help_text="The signed PDF's rendering."
    )
    revoked = RevokedField(help_text="Revoked: no longer valid.")
    revoked_at = serializers.DateTimeField(allow_null=True)
    revoke_reason = serializers.CharField()
    replaces = serializers.CharField(source="replaces.number", allow_null=True, default=None)


class CertificateFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Certificate.Kind.choices)
    revoked = django_filters.BooleanFilter(method="filter_revoked", help_text="Only revoked (true) or valid (false).")
    group = django_filters.UUIDFilter(field_name="group__code", help_text="A group's code.")

    class Meta:
        model = Certificate
        fields = ["kind", "revoked", "group"]

    def filter_revoked(self, queryset, name, value):
        return queryset.filter(revoked_at__isnull=not value)


@extend_schema_view(
    list=extend_schema(summary="Certificates issued in the token's area, by number", responses=CertificateOut),
    retrieve=extend_schema(summary="One certificate by its number", responses=CertificateOut),
)
class CertificateViewSet(mixins.ListModelMixin, ApiViewSet):
    policy_action = "certificates.view"
    filterset_class = CertificateFilter
    serializer_class = CertificateOut
    lookup_field = "number"

    def get_queryset(self):
        return (
            Certificate.objects.visible_to(self.request.user)
            .select_related("application", "group", "replaces")
            .order_by("year", "sequence", "number")
        )

    def retrieve(self, request, number=None):
        certificate = self.get_queryset().filter(number=_number(number)).first()
        if certificate is None:
            raise NotFound(NOT_FOUND)
        return Response(CertificateOut(certificate).data)


router = routers.SimpleRouter()
router.register("certificates", CertificateVerificationViewSet, basename="certificate")
router.register("staff/certificates", CertificateViewSet, basename="staff-certificate")
