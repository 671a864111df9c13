from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.access import action_required
from accounts.models import User


@action_required("accounts.view_colleagues")
def colleagues(request):
    """Staff of the organisations in the user's area, with their role and office."""
    users = (
        User.objects.visible_to(request.user)
        .filter(is_active=True)
        .select_related("organisation__district", "organisation__region")
        .order_by("organisation__name_ru", "last_name", "first_name")
    )
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/colleagues.html", {"page": page})
