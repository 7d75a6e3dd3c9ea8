"""`manage.py rebuild_kit_use`: the dashboard's kit use counted again from every loan.

Run it once after the kit use's tables are created, after loading loans in bulk, or to repair
rows that changes made outside the services (an import, a manual fix) left behind.
"""

import time

from django.core.management.base import BaseCommand

from loans.services import kit_use_rebuild


class Command(BaseCommand):
    help = "Count the days lent by kit type again from the loans."

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = kit_use_rebuild()
        self.stdout.write(f"{count} loans counted in {time.perf_counter() - started:.1f} s")
