"""Trigram indexes for the queue's name and number search on PostgreSQL.

Django's `icontains` becomes `UPPER(col::text) LIKE UPPER('%…%')`, which a B-tree cannot serve; a
GIN trigram index on the same expression takes a surname search in a 20,000-application district
from ~100 ms to ~10 ms (docs/benchmarks.md). SQLite (the embedded default) has no pg_trgm and
skips this; so does a PostgreSQL role that may not create the extension (the search still works).
"""

import logging

from django.db import DatabaseError, migrations, transaction

log = logging.getLogger("bastau.migrations")
COLUMNS = ["last_name", "first_name", "patronymic", "number"]


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        log.warning("pg_trgm is not available: the application search works without its indexes.")
        return
    with connection.cursor() as cursor:
        for column in COLUMNS:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS application_trgm_{column} ON applications_application "
                f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for column in COLUMNS:
            cursor.execute(f"DROP INDEX IF EXISTS application_trgm_{column}")


class Migration(migrations.Migration):
    dependencies = [("applications", "0004_notification_channels_and_import_start")]

    operations = [migrations.RunPython(create, drop)]
