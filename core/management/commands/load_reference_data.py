from django.core.management.base import BaseCommand

from geography.loader import load_geography
from programme.loader import load_holidays, load_mci


class Command(BaseCommand):
    help = "Load regions and districts (KATO), the MCI table and public holidays. Safe to run again."

    def handle(self, *args, **options):
        geo = load_geography()
        mci = load_mci()
        holidays = load_holidays()
        self.stdout.write(
            f"Geography: {geo.created} created, {geo.updated} updated, {geo.unchanged} unchanged. "
            f"MCI: {mci} new. Holidays: {holidays} new."
        )
