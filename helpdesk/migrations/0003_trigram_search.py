"""Trigram indexes for the staff queue's search (PostgreSQL only).

The search matches parts of words ("micro" in "Le micro grésille") with ``icontains``,
which Django writes as ``UPPER(column) LIKE UPPER('%micro%')``: a GIN trigram index on
``UPPER(column)`` answers it without reading every ticket. SQLite (``make run``) has no
such index and simply scans.
"""

from django.db import migrations

INDEXES = {
    "helpdesk_ticket_subject_trgm": "subject",
    "helpdesk_ticket_reference_trgm": "reference",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "helpdesk_ticket" USING gin (UPPER("{column}") gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0002_links")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
