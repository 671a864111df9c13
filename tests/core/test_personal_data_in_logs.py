"""No personal data in logs: phones, e-mails, IINs and query strings are masked (issue 9)."""

import io
import logging

import pytest
from django.conf import settings
from django.core.mail import EmailMessage

from core.pii import PersonalDataFilter, mask

IIN = "061211600012"


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        (f"Import row {IIN} refused", IIN),
        ("SMS to +77015551234: hello", "5551234"),
        ("call 8 701 555 12 34 now", "555 12 34"),
        ("phone +7 (701) 555-12-34", "555-12-34"),
        ("mail to aidar.serik@example.kz", "aidar.serik"),
        ('"GET /staff/applications/?q=061211600012&page=2 HTTP/1.1" 200', "q="),
        ('"GET /staff/applications/?q=%D0%A1%D0%B5 HTTP/1.1" 200', "%D0%A1"),
    ],
)
def test_mask_hides_personal_data(text, hidden):
    assert hidden not in mask(text)


def test_mask_keeps_ordinary_text_dates_and_ids():
    text = "Import 42 done at 2026-11-15 12:00:00 for job e195dc82-ada2-420a-80f3-7540e176df39 in 1234 ms"
    assert mask(text) == text


def test_the_filter_masks_message_arguments_and_tracebacks():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PersonalDataFilter())
    logger = logging.getLogger("tests.pii")
    logger.setLevel(logging.INFO)  # whatever other tests left the root logger at
    logger.addHandler(handler)
    try:
        logger.warning("Applicant %s, phone %s", IIN, "+77015551234")
        try:
            raise ValueError("duplicate key value violates unique constraint: Key (phone)=(+77015551234) exists")
        except ValueError:
            logger.exception("Failed for %s", "aidar@example.kz")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert IIN not in output and "5551234" not in output and "aidar@" not in output
    assert "Applicant" in output and "ValueError" in output


def test_every_handler_in_logging_has_the_filter():
    filters = settings.LOGGING["filters"]
    names = {name for name, spec in filters.items() if spec.get("()") == "core.pii.PersonalDataFilter"}
    assert names
    for handler in settings.LOGGING["handlers"].values():
        assert names & set(handler.get("filters", [])), handler


def test_installed_handlers_mask_what_the_sms_console_backend_logs(caplog):
    from core.sms import ConsoleSmsBackend

    with caplog.at_level(logging.INFO, logger="bastau.sms"):
        ConsoleSmsBackend().send("+77015551234", f"Your IIN {IIN} is registered")
    assert "5551234" not in caplog.text and IIN not in caplog.text


def test_the_console_mail_backend_masks_addresses_and_the_body():
    from core.mail import MaskedConsoleEmailBackend

    stream = io.StringIO()
    message = EmailMessage("Bastau", f"ИИН {IIN}, телефон +77015551234", to=["aidar@example.kz"])
    MaskedConsoleEmailBackend(stream=stream).send_messages([message])
    output = stream.getvalue()
    assert "ИИН" in output  # readable, not MIME-encoded
    assert IIN not in output and "5551234" not in output and "aidar@" not in output


def test_the_default_mailer_is_the_masking_console():
    assert settings.MAILERS["default"]["BACKEND"] in (
        "core.mail.MaskedConsoleEmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",  # replaced by the test runner
    )


def test_the_gunicorn_access_log_leaves_out_the_query_string():
    from pathlib import Path

    namespace = {}
    exec(Path(settings.BASE_DIR / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102  our own file
    fmt = namespace["access_log_format"]
    assert "%(U)s" in fmt and "%(r)s" not in fmt and "%(q)s" not in fmt and "%(f)s" not in fmt
