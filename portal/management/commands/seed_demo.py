import secrets

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from portal.demo import DEMO_PASSWORD, seed_demo
from reports import funnel


class Command(BaseCommand):
    help = (
        "Create demo organisations, one user per role, and this year's streams. Safe to run again. "
        "Refuses to run with DEBUG=0 unless --force-demo is given; then the superuser gets a random "
        "password, printed once, never the published demo password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force-demo",
            action="store_true",
            help="Seed demo data even though DEBUG is off (a demonstration server, never production).",
        )

    def handle(self, *args, force_demo=False, **options):
        production = not settings.DEBUG
        if production and not force_demo:
            raise CommandError(
                "DEBUG is off: demo accounts with a published password do not belong on this server. "
                "Use --force-demo for a demonstration server."
            )
        call_command("load_reference_data", verbosity=0)
        superuser_passwords = {}
        with transaction.atomic():
            users = seed_demo()
            if production:
                # The published demo password never stays on a superuser when DEBUG is off.
                for username, user in users.items():
                    if user.is_superuser and user.check_password(DEMO_PASSWORD):
                        password = secrets.token_urlsafe(18)
                        user.set_password(password)
                        user.save(update_fields=["password"])
                        superuser_passwords[username] = password
        funnel.refresh()  # the programme dashboard's figures, at once rather than at the next beat
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        with translation.override("en"):
            for username, user in users.items():
                note = " (superuser: password below)" if username in superuser_passwords else ""
                self.stdout.write(f"  {username:<16} {user.get_role_display()}{note}")
        for username, password in superuser_passwords.items():
            self.stdout.write(f"Password of {username}, shown only now: {password}")
