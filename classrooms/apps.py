from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassroomsConfig(AppConfig):
    name = "classrooms"
    verbose_name = _("Mobile classroom programme")

    def ready(self):
        from classcontact.homes import home_lines_register

        from . import reminders, reminders_followup  # noqa: F401 - registers the programme's reminder rules
        from .homes import programme_lines

        home_lines_register(programme_lines, order=80)
