"""Every refusal of the API in one shape, mapped to HTTP in one place (docs/architecture.md "Refusals"):

    {"error": {"code": "applications.decide", "message": "Only the employment centre …", "fields": {}}}

| raised by a service or DRF                     | HTTP |
|------------------------------------------------|------|
| Django ValidationError (fields in `fields`)    | 400  |
| DRF ValidationError / ParseError               | 400  |
| NotAuthenticated / AuthenticationFailed        | 401  |
| core.errors.Refused, PermissionDenied          | 403  |
| core.errors.NotFound, Http404                  | 404  |
| core.errors.Conflict                           | 409  |
| Throttled                                      | 429  |

Messages are in the request's language (Accept-Language): the services already translate theirs.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from core.errors import Conflict


class ErrorDetail(serializers.Serializer):
    code = serializers.CharField(help_text="What went wrong, for programs: a rule's name or an error code.")
    message = serializers.CharField(help_text="What went wrong, for people, in the request's language.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="The input's problems by field name; empty when the refusal is not about a field.",
    )


class Error(serializers.Serializer):
    error = ErrorDetail()


def body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field": [...], "field.sub": [...]}."""
    if isinstance(detail, dict):
        found: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            found.update(_flatten(value, name))
        return found
    if isinstance(detail, list) and all(not isinstance(item, dict | list) for item in detail):
        return {prefix or NON_FIELD_ERRORS: [str(item) for item in detail]}
    if isinstance(detail, list):
        found = {}
        for index, item in enumerate(detail):
            found.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return found
    return {prefix or NON_FIELD_ERRORS: [str(detail)]}


def _split(fields: dict[str, list[str]]) -> tuple[str, dict[str, list[str]]]:
    """The message people read (every problem, in order) and the field problems without the general ones."""
    message = " ".join(m for messages in fields.values() for m in messages)
    named = {name: messages for name, messages in fields.items() if name != NON_FIELD_ERRORS}
    return message, named


def exception_handler(exc, context):
    if isinstance(exc, Conflict):
        response = Response(body(exc.code or "conflict", " ".join(exc.messages)), status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            message, fields = _split({name: [str(m) for m in exc.message_dict[name]] for name in exc.message_dict})
        else:
            message, fields = " ".join(exc.messages), {}
        code = getattr(exc, "code", None) or "invalid"
        response = Response(body(code, message or _("The request is not valid."), fields), status=400)
    elif isinstance(exc, PermissionDenied):  # core.errors.Refused, and a staff account without an organisation
        code = getattr(exc, "code", None) or "refused"
        message = str(getattr(exc, "message", None) or exc) or _("You may not do this.")
        response = Response(body(code, message), status=status.HTTP_403_FORBIDDEN)
    elif isinstance(exc, Http404):  # core.errors.NotFound and Django's own
        code = getattr(exc, "code", None) or "not_found"
        message = str(getattr(exc, "message", None) or "") or _("Not found, or outside your area.")
        response = Response(body(code, message), status=status.HTTP_404_NOT_FOUND)
    elif isinstance(exc, exceptions.APIException):
        response = drf_exception_handler(exc, context)  # keeps WWW-Authenticate and Retry-After
        if response is None:
            return None
        if isinstance(exc, exceptions.ValidationError):
            message, fields = _split(_flatten(exc.detail))
            response.data = body("invalid", message or _("The request is not valid."), fields)
        else:
            codes = exc.get_codes()
            code = codes if isinstance(codes, str) else exc.default_code
            response.data = body(code, str(exc.detail))
    else:
        return None  # a real server error: Django's 500 handling and logging
    set_rollback()
    return response
