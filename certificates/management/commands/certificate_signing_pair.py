"""Write a local self-signed signing pair for certificate PDFs, unless one is configured or exists."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from certificates.signing import make_self_signed_pair


class Command(BaseCommand):
    help = "Create the development signing key and certificate (var/signing/) when none exists."

    def handle(self, *args, **options):
        key, cert = Path(settings.CERTIFICATE_SIGNING_KEY), Path(settings.CERTIFICATE_SIGNING_CERT)
        if key.is_file() and cert.is_file():
            self.stdout.write(f"Signing pair present: {cert}")
            return
        if key.parent != cert.parent or key.name != "key.pem" or cert.name != "cert.pem":
            self.stderr.write("CERTIFICATE_SIGNING_KEY/CERT name files that do not exist: not creating them.")
            return
        make_self_signed_pair(key.parent, passphrase=settings.CERTIFICATE_SIGNING_PASSPHRASE)
        self.stdout.write(f"Wrote a self-signed signing pair for development: {cert} (never use it in production)")
