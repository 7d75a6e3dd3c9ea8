"""`manage.py rebuild_case_figures`: the dashboard's figures computed again from every case.

Run it once after the figures' tables are created, after loading cases in bulk, or to repair
figures that changes made outside the services (an import, a manual fix) left behind.
"""

import time

from django.core.management.base import BaseCommand

from cases.figures import case_figures_rebuild


class Command(BaseCommand):
    help = "Compute the dashboard's figures again from the cases and their timelines."

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = case_figures_rebuild()
        self.stdout.write(f"{count} cases counted in {time.perf_counter() - started:.1f} s")
