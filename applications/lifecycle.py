"""What each stage keeps open for an application, and how an ending closes it (docs/architecture.md "The path").

A stage declares, in its own `stage.py`, the rows it holds open for an application while the path
goes on (an untaken test, a group place, an expulsion case, a defence entry in a session not yet
confirmed): in which states of the path they can be open, the query that finds them, and how to
close them. When a move ends the path (`ENDED_STATUSES`: withdrawn, not eligible, test failed,
expelled), `pathway.fire()` calls every closer whose states hold the state the application left, in
the move's own transaction, before the `status_changed` signal. tests/test_lifecycle.py walks every
ending move from every state where a stage keeps rows open and asserts they are all closed after it.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.db.models import QuerySet

from applications.models import ENDED_STATUSES, Application, StatusChange


@dataclass(frozen=True)
class OpenRows:
    stage: str
    name: str
    states: frozenset[str]  # the path's states in which these rows can be open
    rows: Callable[[Application], QuerySet]  # the open rows of one application
    close: Callable[[Application, StatusChange], None]  # closes them, keeping what history needs


_DECLARED: dict[tuple[str, str], OpenRows] = {}


def declare_open_rows(
    stage: str,
    name: str,
    *,
    states: Collection[str],
    rows: Callable[[Application], QuerySet],
    close: Callable[[Application, StatusChange], None],
) -> None:
    _DECLARED[(stage, name)] = OpenRows(stage, name, frozenset(states), rows, close)


def declared() -> list[OpenRows]:
    return list(_DECLARED.values())


def close_open_rows(application: Application, change: StatusChange) -> None:
    """Close what the stages keep open for an application whose path has just ended (inside fire())."""
    if change.to_status not in ENDED_STATUSES:
        return
    for open_rows in _DECLARED.values():
        if change.from_status in open_rows.states:
            open_rows.close(application, change)
