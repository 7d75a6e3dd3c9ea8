from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = _("Kits and loans")

    def ready(self):
        from . import reminders  # noqa: F401 - registers this app's reminder rules
