"""Public verification of a certificate by its number: no login, limited per client address.

It answers whether the number is a valid Bastau certificate, its kind and date, and the holder as
surname and initials: enough for an employer or a bank holding the paper to check it, not a
directory of graduates' full names."""

from django.contrib.auth.decorators import login_not_required
from drf_spectacular.utils import extend_schema
from rest_framework import routers, serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from api.base import NOT_FOUND
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
    revoked_on = serializers.DateField(allow_null=True)


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
        certificate = Certificate.objects.filter(number=str(number).strip()[:32]).first()
        if certificate is None:
            raise NotFound(NOT_FOUND)
        certificate.valid = certificate.revoked_at is None
        certificate.holder = holder_initials(certificate.holder_name)
        certificate.revoked_on = certificate.revoked_at.date() if certificate.revoked_at else None
        return Response(VerificationOut(certificate).data)


router = routers.SimpleRouter()
router.register("certificates", CertificateVerificationViewSet, basename="certificate")
