"""The API asks the same rules as the pages: a view names the policy action of the page it mirrors
(`policy_action`, as `@action_required` does), and every call first needs "api.use"."""

from rest_framework.permissions import BasePermission

from accounts import policy
from accounts.scoping import scope_for


class PolicyAction(BasePermission):
    """Raise the rule's own Refused (403 with its message) instead of DRF's generic one."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False  # DRF answers 401 (NotAuthenticated) with the Bearer challenge
        scope_for(request.user)  # a staff account without an organisation: 403 with why
        policy.require(request.user, "api.use")
        action = getattr(view, "policy_action", None)
        if isinstance(action, dict):
            action = action.get(getattr(view, "action", None) or request.method.lower())
        if action:
            policy.require(request.user, action)
        return True
