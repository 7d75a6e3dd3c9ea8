"""Statistics on who holds a ticket, its state and its category together (PostgreSQL only).

Most active tickets wait for someone to take them, while most closed tickets had an agent:
the planner, taking the columns as independent, expected 15 times fewer unassigned active
tickets than there are, sorted its small guess and joined the schools by a hash of the whole
table. Knowing the combinations, it walks the queue's index in order and stops at the page.
"""

from django.db import migrations

NAME = "helpdesk_ticket_queue_stats"


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE STATISTICS IF NOT EXISTS "{NAME}" (mcv, dependencies) '
        'ON "assignee_id", "status", "category" FROM "helpdesk_ticket"'
    )
    schema_editor.execute('ANALYZE "helpdesk_ticket"')


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP STATISTICS IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0007_dashboard_figures")]

    operations = [migrations.RunPython(create_statistics, drop_statistics, elidable=False)]
