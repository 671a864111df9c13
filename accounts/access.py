"""Who may open a page. Views deny by default: login is required everywhere
(LoginRequiredMiddleware) and staff pages name the roles they serve."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.scoping import Scope, scope_for


def check_role(user, roles) -> Scope:
    """Raise PermissionDenied unless the user has one of the roles; return their scope."""
    if user.is_superuser:
        return scope_for(user)
    if user.role not in roles:
        raise PermissionDenied(_("This page is not available for your role."))
    scope = scope_for(user)  # raises NoOrganisation for staff without one
    if user.role != Role.CITIZEN and scope.is_empty:
        raise PermissionDenied(_("Your account has no area to work in."))
    return scope


def role_required(*roles):
    """Decorate a view so only users with one of the roles reach it; sets request.scope."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            request.scope = check_role(request.user, roles)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
