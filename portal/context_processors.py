from django.conf import settings

from portal.navigation import items_for


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "nav_items": items_for(user, request.path) if user is not None else [],
        "show_admin_link": bool(user and user.is_authenticated and user.is_staff),
        "languages": settings.LANGUAGES,
    }
