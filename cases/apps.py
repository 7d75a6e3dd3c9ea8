from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Connection cases")

    def ready(self):
        # The logistics ask a case about its kit and tell it of a return or an installation.
        from loans.holders import holder_register

        from .models import ConnectionCase
        from .services.logistics import CaseHolder

        holder_register(ConnectionCase, CaseHolder())
