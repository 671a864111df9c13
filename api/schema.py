"""The OpenAPI schema: every operation declares the error shape (api/errors.py) for each refusal it can meet."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

from api.errors import Error

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
DESCRIPTIONS = {
    "400": "The input breaks a programme rule or is malformed; `fields` names the fields.",
    "401": "No token, or a token that is not valid, has expired or was revoked.",
    "403": "The token's user may not do this (the policy rule's name is the code).",
    "404": "Not there, or outside the token's area.",
    "409": "The object is not in a state for this: it moved meanwhile (a stale version, say).",
    "429": "Too many requests for this token; wait for the seconds in Retry-After.",
}


class ApiSchema(AutoSchema):
    def _error_codes(self) -> list[str]:
        public = any(cls is AllowAny for cls in getattr(self.view, "permission_classes", ()))
        codes = ["400", "404", "429"] if public else ["400", "401", "403", "404", "429"]
        if self.method in WRITE_METHODS:
            codes.append("409")
        return codes

    def _resolve_path_parameters(self, variables):
        """A resource's `code` is a UUID (a malformed one answers 404 in the error shape, see api/base.py)."""
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["name"] == "code":
                parameter["schema"] = {"type": "string", "format": "uuid"}
                parameter.setdefault("description", "The object's code (a UUID).")
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(Error, description=DESCRIPTIONS[code]), code, direction=direction
                )
        return responses
