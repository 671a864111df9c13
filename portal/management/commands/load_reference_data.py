from django.core.management.base import BaseCommand

from aptitude.loader import load_starter_bank
from financing.loader import load_loan_programmes
from geography.loader import load_geography
from programme.loader import load_holidays, load_mci
from training.loader import load_modules


class Command(BaseCommand):
    help = (
        "Load regions and districts (KATO), the MCI table, public holidays, the course modules, the "
        "starter question bank and the loan programmes. Safe to run again."
    )

    def handle(self, *args, **options):
        geo = load_geography()
        mci = load_mci()
        holidays = load_holidays()
        modules = load_modules()
        questions = load_starter_bank()
        loans = load_loan_programmes()
        self.stdout.write(
            f"Geography: {geo.created} created, {geo.updated} updated, {geo.unchanged} unchanged. "
            f"MCI: {mci} new. Holidays: {holidays} new. Modules: {modules} new. Questions: {questions} new. "
            f"Loan programmes: {loans} new."
        )
