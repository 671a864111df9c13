"""Pages of a long list that stay fast deep into it, in one stable order.

- Stable: rows that tie on the page's sort (same submission time, same surname) are ordered by their
  key as well, so a row never shows on two pages or on none.
- Deep pages: `OFFSET n` makes the database read and throw away n whole rows (with their joins). From
  DEEP rows on, the page is read as `WHERE pk IN (SELECT pk … ORDER BY … LIMIT … OFFSET n)`: the
  offset walks an index that holds the sort and the key (index-only), and only the page's rows are
  read in full. Still one query. Figures: docs/performance.md ("Deep pages").
"""

from django.core import paginator
from django.db.models import QuerySet

DEEP = 500  # rows skipped before the page is read through its keys


def stable(rows: QuerySet) -> QuerySet:
    """The queryset in its own order (or the model's), ties broken by the primary key."""
    ordering = list(rows.query.order_by) or list(rows.query.get_meta().ordering or ())
    if not ordering or not any(str(field).lstrip("-") in ("pk", "id") for field in ordering):
        rows = rows.order_by(*ordering, "pk")
    return rows


def _plain(rows) -> bool:
    """A queryset whose rows are its model's, one each (no DISTINCT or UNION): it can be ordered by and
    read through its keys."""
    return isinstance(rows, QuerySet) and not rows.query.distinct and not rows.query.combinator


class Paginator(paginator.Paginator):
    """Django's paginator over a stable order, reading deep pages through their keys."""

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, deep=DEEP, **kwargs):
        self.deep = deep
        if _plain(object_list):
            object_list = stable(object_list)
        super().__init__(object_list, per_page, orphans, allow_empty_first_page, **kwargs)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if bottom >= self.deep and _plain(rows):
            return self._get_page(rows.filter(pk__in=rows.values_list("pk", flat=True)[bottom:top]), number, self)  # type: ignore[attr-defined]
        return self._get_page(rows[bottom:top], number, self)  # type: ignore[attr-defined]
