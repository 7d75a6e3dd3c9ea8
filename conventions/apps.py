from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConventionsConfig(AppConfig):
    name = "conventions"
    verbose_name = _("Conventions and signatures")

    def ready(self):
        from . import reminders  # noqa: F401 - registers this app's reminder rules
