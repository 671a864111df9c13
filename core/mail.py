"""The development e-mail backend: prints each message readably, with personal data masked."""

from django.core.mail.backends.console import EmailBackend

from core.pii import mask


class MaskedConsoleEmailBackend(EmailBackend):
    """Django's console backend writes the raw MIME message (addresses and body in clear, often
    base64); this one writes the headers that matter and the text body, masked."""

    def write_message(self, message):
        recipients = ", ".join(mask(address) for address in message.recipients())
        self.stream.write(f"E-mail to {recipients}\nSubject: {mask(str(message.subject))}\n\n")
        self.stream.write(mask(str(message.body)) + "\n")
        self.stream.write("-" * 79 + "\n")
