"""Who may open a page. Views deny by default: login is required everywhere
(LoginRequiredMiddleware) and each staff page names the policy action it serves, so a page, its
navigation link and the service behind it answer from the same rule (accounts/policy.py)."""

from functools import wraps

from accounts import policy
from accounts.scoping import scope_for


def action_required(action: str):
    """Decorate a view so only users the policy allows `action` (without an object) reach it;
    others get the 403 page with the rule's message. Sets request.scope."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            request.scope = scope_for(request.user)  # a staff account without an organisation: 403 here
            policy.require(request.user, action)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
