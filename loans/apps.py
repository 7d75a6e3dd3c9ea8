from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = _("Kits and loans")

    def ready(self):
        from classcontact.homes import home_lines_register

        from .homes import staff_lines

        # Kits waiting to be checked in, on the coordinators' home page.
        home_lines_register(staff_lines, order=40)
        from . import reminders  # noqa: F401 - registers this app's reminder rules
