"""The one shape in which a service says no (docs/architecture.md "Refusals").

Every write service raises one of these; views, the admin and the API map them the same way:

| exception   | HTTP | when                                                              |
|-------------|------|-------------------------------------------------------------------|
| Refused     | 403  | the actor may not do this action to this object (a policy rule)   |
| NotFound    | 404  | the object does not exist or is outside what the actor may see    |
| Conflict    | 409  | the object is not in a state that allows it (it moved meanwhile)  |
| ValidationError (Django's) | 400 | the input breaks a programme rule; `error_dict` names the fields |

`Refused` is a `PermissionDenied` and `NotFound` an `Http404`, so a view that lets them through
gets Django's own 403/404 pages; `Conflict` is a `ValidationError`, so a form shows its message.
Each carries a `code` (the action or rule's name) and a message in the active language.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404


class Refused(PermissionDenied):
    """The actor may not do this (role, area, or ownership)."""

    def __init__(self, message, *, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


class NotFound(Http404):
    """The object is not there for this actor: missing, or outside their area."""

    def __init__(self, message, *, code: str = "not_found"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


class Conflict(ValidationError):
    """The object is not in a state that allows the action (say, someone else moved it first)."""

    def __init__(self, message, *, code: str = "conflict"):
        super().__init__(message, code=code)


def messages_of(exc: Exception) -> list[str]:
    """The user-facing messages of any refusal, for a flash message or an API body."""
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    return [str(getattr(exc, "message", None) or exc)]
