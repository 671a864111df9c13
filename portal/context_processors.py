from django.conf import settings

from portal.navigation import items_for, split_for_bar


def navigation(request):
    user = getattr(request, "user", None)
    items = items_for(user, request.path) if user is not None else []
    bar, more = split_for_bar(items)
    return {
        "nav_items": items,
        "nav_bar": bar,
        "nav_more": more,
        "nav_more_active": any(item["active"] for item in more),
        "show_admin_link": bool(user and user.is_authenticated and user.is_staff),
        "languages": settings.LANGUAGES,
    }
