"""Statistics on the month a ticket was opened (PostgreSQL only).

The staff dashboard groups a period's tickets by month of opening (local time). Without
statistics on that expression the planner expects one group per ticket and sorts them all;
with them it knows there are a few dozen months and counts them in a hash table.
"""

from django.conf import settings
from django.db import migrations

NAME = "helpdesk_ticket_opened_month_stats"


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The expression Django writes for TruncMonth("created_at") in the portal's time zone.
    zone = settings.TIME_ZONE.replace("'", "")
    schema_editor.execute(
        f'CREATE STATISTICS IF NOT EXISTS "{NAME}" '
        f"ON (DATE_TRUNC('month', \"created_at\" AT TIME ZONE '{zone}')) FROM \"helpdesk_ticket\""
    )
    schema_editor.execute('ANALYZE "helpdesk_ticket"')


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP STATISTICS IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0005_drop_sentnotification")]

    operations = [migrations.RunPython(create_statistics, drop_statistics, elidable=False)]
