"""One delivery per channel: a message that goes out by SMS and e-mail records each channel on its
own, so a failing e-mail server makes a retry send only the e-mail again, never a second SMS."""

from collections.abc import Callable

from django.db import models, transaction
from django.utils import timezone


def send_once(model: type[models.Model], pk: int, sent_field: str, send: Callable[[], object]) -> bool:
    """Send through one channel unless it already went, and record it in the same transaction (the row
    locked, so a copy of the task running at once skips it). Returns whether it was sent now."""
    with transaction.atomic():
        row = (
            model._default_manager.select_for_update(skip_locked=True)
            .filter(pk=pk, **{f"{sent_field}__isnull": True})
            .first()
        )
        if row is None:
            return False
        send()
        setattr(row, sent_field, timezone.now())
        row.save(update_fields=[sent_field])
    return True
