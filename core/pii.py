"""Personal data kept out of logs (Law No. 94-V): phones, e-mail addresses, IINs and query strings.

`PersonalDataFilter` is installed on every handler in settings.LOGGING, so whatever a logger is
given (a message, its arguments, a traceback such as PostgreSQL's "Key (phone)=(…) already
exists") is masked before it is written. `mask()` is also used by the console SMS and e-mail
backends.
"""

import logging
import re

# An e-mail address: keep the first letter and the domain ("a***@example.kz").
_EMAIL = re.compile(r"(?<![\w.+-])([\w+-])[\w.+-]*@([\w-]+(?:\.[\w-]+)+)")
# An IIN (or any other 12-digit run): keep the last two digits.
_IIN = re.compile(r"(?<!\d)\d{10}(\d{2})(?!\d)")
# A Kazakh phone number however it is spelt (+7 701 555 12 34, 8(701)555-12-34, 77015551234).
_PHONE = re.compile(r"(?<![\d+])(?:\+7|8|7)(?:[\s\-()]*\d){8}[\s\-()]*(\d)[\s\-()]*(\d)(?!\d)")
# The query string of a URL in a request line: searches carry names and IINs (?q=…).
_QUERY = re.compile(r"((?:^|[\s\"'])/[^\s?\"']*)\?[^\s\"']*")


def mask(text: str) -> str:
    text = _QUERY.sub(r"\1?…", text)
    text = _EMAIL.sub(r"\1***@\2", text)
    text = _IIN.sub(r"**********\1", text)
    return _PHONE.sub(r"+7*******\1\2", text)


class PersonalDataFilter(logging.Filter):
    """Mask the record's message, arguments and traceback; never drops a record."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler to report
            return True
        record.msg, record.args = mask(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


def mask_iin(iin: str) -> str:
    """An IIN with only its last four digits shown, for screens that do not need the whole number."""
    return "•" * 8 + iin[-4:] if len(iin) == 12 else iin
