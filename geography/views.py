from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from geography.models import District


@login_not_required
@cache_control(max_age=3600)
def district_options(request):
    """<option>s of the districts of a region, for the region → district select (htmx)."""
    region = request.GET.get("region", "")
    districts = District.objects.filter(region_id=region) if region.isdigit() else District.objects.none()
    return render(request, "geography/_district_options.html", {"districts": districts})
