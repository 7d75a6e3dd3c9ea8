from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

# Modules that expose ``seed(stdout)``, in dependency order.
DEMO_MODULES = [
    "schools.demo",
    "cases.demo",
    "loans.demo",
    "cases.demo_logistics",
    "classrooms.demo",
    "classrooms.demo_deployment",
    "classrooms.demo_followup",
    "conventions.demo",
    "helpdesk.demo",
    "schools.otp_demo",
    # Last: the seeders above write loans in bulk, past the services.
    "loans.demo_settle",
]


class Command(BaseCommand):
    help = "Load demo data (idempotent: a second run creates and changes nothing)."

    def handle(self, *args, **options):
        from importlib import import_module
        from importlib.util import find_spec

        with transaction.atomic():
            for name in DEMO_MODULES:
                if find_spec(name) is not None:
                    import_module(name).seed(self.stdout)
        if settings.DEMO_MODE:
            self.stdout.write(self.style.SUCCESS("Demo data ready. Every demo account's password is: demo"))
        else:
            self.stdout.write(
                self.style.WARNING("Demo data ready. DEMO_MODE is off: demo accounts cannot log in.")
            )
