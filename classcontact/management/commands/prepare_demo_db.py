"""Before ``make run`` migrates: a demo SQLite file made by an older layout is rebuilt.

A file whose migration history names migrations that no longer exist (the portal's apps
were laid out anew) cannot be migrated forward; it only holds demo data, so it is
removed, and the message says so. Anything else is left for ``migrate``.
"""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection
from django.db.migrations.loader import MigrationLoader


def stale_migrations() -> list[str]:
    """Applied migrations that are not on disk any more."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(
        f"{app}.{name}"
        for app, name in loader.applied_migrations
        if (app, name) not in loader.disk_migrations
    )


class Command(BaseCommand):
    help = "Remove a demo SQLite database whose migration history no longer matches the code."

    def handle(self, *args, **options):
        if connection.vendor != "sqlite":
            return
        path = Path(connection.settings_dict["NAME"])
        if not path.exists():
            return
        stale = stale_migrations()
        if not stale:
            return
        connection.close()
        path.unlink()
        self.stdout.write(
            f"{path.name} was made by an older layout of the portal ({', '.join(stale[:3])}…): "
            "removed; it is rebuilt with fresh demo data."
        )
