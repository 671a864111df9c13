"""Rebuild the dashboard's summary rows now (beat does it every REPORTS_REFRESH_SECONDS)."""

from django.core.management.base import BaseCommand

from reports import funnel


class Command(BaseCommand):
    help = "Rebuild the programme funnel's summary rows from the applications' history."

    def handle(self, *args, **options):
        log = funnel.refresh()
        self.stdout.write(f"{log.rows} summary rows in {log.duration_ms} ms")
