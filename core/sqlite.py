"""SQLite's LIKE made to fold every letter's case, not only ASCII's.

Django's `icontains`/`istartswith` on SQLite become `LIKE … ESCAPE '\\'`, and SQLite's own LIKE
folds case for A-Z alone: on the embedded demo "иванов" would not find "Иванов", nor "әлия"
find "Әлия". Each new SQLite connection gets a `like()` function (SQLite lets an application
replace it) that folds case as Python does, for Cyrillic and Kazakh letters too. PostgreSQL
keeps its own `UPPER(…) LIKE UPPER(…)` and the trigram indexes (applications migration 0005).
"""

import functools
import re

from django.db.backends.signals import connection_created


@functools.lru_cache(maxsize=256)
def _pattern(pattern: str, escape: str | None) -> re.Pattern[str]:
    parts = []
    chars = iter(pattern)
    for char in chars:
        if escape and char == escape:
            parts.append(re.escape(next(chars, "")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def like(pattern: str | None, value: object, escape: str | None = None) -> bool | None:
    """SQL `value LIKE pattern [ESCAPE escape]`, case folded for every alphabet; NULL stays NULL."""
    if pattern is None or value is None:
        return None
    return _pattern(pattern, escape).fullmatch(str(value)) is not None


def install(sender, connection, **kwargs) -> None:
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function("like", 2, like, deterministic=True)
    connection.connection.create_function("like", 3, like, deterministic=True)


def connect() -> None:
    connection_created.connect(install, dispatch_uid="core.sqlite.install")
