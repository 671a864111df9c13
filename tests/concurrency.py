"""What the PostgreSQL concurrency tests share: calls raced in threads, each on its own connection."""

import threading

from django.db import connections

from core.errors import Conflict


def race(calls, *, seconds: float = 60) -> list:
    """Run the calls in threads released together by a barrier, each on its own database connection;
    return what each returned, or the Conflict it raised (the loser of a version check or a lock)."""
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            outcomes.append(call())
        except Conflict as exc:
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds)
    return outcomes
