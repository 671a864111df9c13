from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from core.models import is_number
from geography.models import District


@login_not_required
@cache_control(max_age=3600)
def district_options(request):
    """<option>s of the districts of a region, for the region → district select (htmx)."""
    region = request.GET.get("region", "")
    districts = District.objects.filter(region_id=region) if is_number(region) else District.objects.none()
    return render(request, "geography/_district_options.html", {"districts": districts})
