from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "helpdesk"
    label = "helpdesk"
    verbose_name = _("Helpdesk")

    def ready(self):
        from .services import targets_ensure_defaults_after_migrate

        post_migrate.connect(targets_ensure_defaults_after_migrate, sender=self)
