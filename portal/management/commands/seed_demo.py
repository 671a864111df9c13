from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import translation

from portal.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create demo organisations, one user per role, and this year's streams. Safe to run again."

    def handle(self, *args, **options):
        call_command("load_reference_data", verbosity=0)
        users = seed_demo()
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        with translation.override("en"):
            for username, user in users.items():
                self.stdout.write(f"  {username:<16} {user.get_role_display()}")
