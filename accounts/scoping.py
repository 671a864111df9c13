"""What part of the country a user may see, and one queryset method that applies it.

Every list and detail view narrows its queryset with `.visible_to(request.user)`; a model
opts in by using a `ScopedQuerySet` and naming where its district and region are.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from geography.models import District


class NoOrganisation(PermissionDenied):
    """A staff account that is not attached to an organisation may not see any staff page."""

    def __init__(self):
        super().__init__(
            _(
                "Your account is not attached to an organisation yet, so staff pages are closed to it. "
                "Ask the programme administrator to set your organisation."
            )
        )


@dataclass(frozen=True)
class Scope:
    national: bool = False
    region_id: int | None = None
    district_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.national or self.region_id or self.district_id)


NOTHING = Scope()
EVERYTHING = Scope(national=True)


def office_district(user) -> "District | None":
    """The district a staff user's organisation serves; None for a regional or national one, or none."""
    organisation = user.organisation
    if organisation is None or organisation.district_id is None:
        return None
    return organisation.district


def scope_for(user) -> Scope:
    """The area a staff user works in: their organisation's district, region, or the country."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    if not user.is_programme_staff:
        return NOTHING
    org = user.organisation
    if org is None:
        raise NoOrganisation()
    if not org.is_active:
        raise PermissionDenied(_("Your organisation is no longer active in the portal."))
    if org.district_id:
        return Scope(district_id=org.district_id, region_id=org.region_id)
    if org.region_id:
        return Scope(region_id=org.region_id)
    return EVERYTHING


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows where its rows are, so it can be narrowed to a user's area."""

    district_field: str = "district"
    region_field: str = "region"

    def in_scope(self, scope: Scope):
        if scope.national:
            return self
        if scope.district_id:
            return self.filter(**{f"{self.district_field}_id": scope.district_id})
        if scope.region_id:
            return self.filter(**{f"{self.region_field}_id": scope.region_id})
        return self.none()

    def visible_to(self, user):
        """Rows the user may see. Staff: their area. Others: what `for_citizen` allows (nothing by default)."""
        if user.is_authenticated and user.is_active and not user.is_programme_staff:
            return self.for_citizen(user)
        return self.in_scope(scope_for(user))

    def for_citizen(self, user):
        return self.none()
