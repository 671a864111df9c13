"""Pluggable SMS sending. Production names a gateway class in SMS_BACKEND."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from core.pii import mask

log = logging.getLogger("bastau.sms")


class ConsoleSmsBackend:
    """Writes messages to the log instead of sending them (development and tests), masked: a
    message carries the applicant's number, name and the link to their application."""

    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", mask(phone), mask(text))


class MemorySmsBackend:
    """Keeps messages in a list for tests to read."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


def send_sms(phone: str, text: str) -> None:
    import_string(settings.SMS_BACKEND)().send(phone, text)
