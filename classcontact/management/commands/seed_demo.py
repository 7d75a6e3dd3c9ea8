from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

# Each app that has demo data exposes ``demo.seed(stdout)``; order follows the imports.
DEMO_APPS = ["schools", "loans", "conventions", "helpdesk"]


class Command(BaseCommand):
    help = "Load demo data (idempotent: a second run creates and changes nothing)."

    def handle(self, *args, **options):
        from importlib import import_module
        from importlib.util import find_spec

        with transaction.atomic():
            for app in DEMO_APPS:
                if find_spec(f"{app}.demo") is not None:
                    import_module(f"{app}.demo").seed(self.stdout)
        if settings.DEMO_MODE:
            self.stdout.write(self.style.SUCCESS("Demo data ready. Every demo account's password is: demo"))
        else:
            self.stdout.write(
                self.style.WARNING("Demo data ready. DEMO_MODE is off: demo accounts cannot log in.")
            )
