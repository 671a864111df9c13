"""Pages of a long list (core/pagination.py): every row on exactly one page, in the list's order, even
where rows tie on the sort; deep pages read through their keys give the same rows, in one query."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from core.pagination import Paginator

pytestmark = pytest.mark.django_db

JOINED = datetime.datetime(2026, 11, 2, 4, 0, tzinfo=datetime.UTC)


@pytest.fixture
def users():
    # 47 users in three ties of the sort (joined at one of three instants), created out of key order.
    User.objects.bulk_create(
        User(username=f"u{n:03d}", date_joined=JOINED + datetime.timedelta(minutes=n % 3)) for n in reversed(range(47))
    )
    return User.objects.filter(username__startswith="u").order_by("date_joined")


def _pages(paginator):
    return [[user.username for user in paginator.page(number)] for number in paginator.page_range]


def test_every_row_is_on_exactly_one_page_in_the_lists_order_though_rows_tie(users):
    pages = _pages(Paginator(users, 5, deep=10**6))
    names = [name for page in pages for name in page]
    assert sorted(names) == sorted(users.values_list("username", flat=True)) and len(set(names)) == 47
    joined = {user.username: user.date_joined for user in users}
    assert [joined[name] for name in names] == sorted(joined[name] for name in names)


def test_deep_pages_read_through_their_keys_hold_the_same_rows_in_the_same_order(users):
    assert _pages(Paginator(users, 5, deep=10)) == _pages(Paginator(users, 5, deep=10**6))
    assert _pages(Paginator(users.order_by("-date_joined"), 4, deep=0)) == _pages(
        Paginator(users.order_by("-date_joined"), 4, deep=10**6)
    )


def test_a_deep_page_is_one_query_that_selects_by_key(users):
    paginator = Paginator(users, 5, deep=10)
    paginator.count  # noqa: B018 - the count is its own query, read once per list
    with CaptureQueriesContext(connection) as queries:
        rows = list(paginator.page(5))
    assert len(rows) == 5 and len(queries) == 1
    assert "IN (SELECT" in queries[0]["sql"].upper().replace('"', "")
