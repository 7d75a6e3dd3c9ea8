from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassroomsConfig(AppConfig):
    name = "classrooms"
    verbose_name = _("Mobile classroom programme")

    def ready(self):
        from classcontact.homes import home_lines_register
        from loans.holders import holder_register

        from . import (
            reminders,  # noqa: F401 - registers the programme's reminder rules
            reminders_deployment,  # noqa: F401 - the deployment's reminder rules
            reminders_followup,  # noqa: F401 - the follow-up's reminder rules
        )
        from .homes import programme_lines, school_lines
        from .models import Application
        from .services.deployment import ClassroomHolder

        # The logistics ask a class's application about its kit and tell it of a delivery or a return.
        holder_register(Application, ClassroomHolder())
        # The yearly report's figures are kept until something they count changes.
        from .report_kept import REPORT_GENERATION

        REPORT_GENERATION.connect()
        home_lines_register(programme_lines, order=80)
        home_lines_register(school_lines, order=30)
