from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "helpdesk"
    label = "helpdesk"
    verbose_name = _("Helpdesk")

    def ready(self):
        from cases.panels import case_panels_register
        from classcontact.homes import home_lines_register

        from . import reminders  # noqa: F401 - registers the missed-target reminders
        from .homes import case_ticket_panels, school_lines, staff_lines
        from .selectors import ASSIGNABLE, CANNED_REPLIES
        from .services import targets_ensure_defaults_after_migrate

        ASSIGNABLE.connect()
        CANNED_REPLIES.connect()
        post_migrate.connect(targets_ensure_defaults_after_migrate, sender=self)
        home_lines_register(staff_lines, order=60)
        home_lines_register(school_lines, order=20)
        case_panels_register(case_ticket_panels)
        # What an expired case's tickets lose, and old tickets' free text (helpdesk/privacy.py).
        from classcontact.retention import purge_register

        from .privacy import helpdesk_identity_purge, helpdesk_sweep

        purge_register("helpdesk", identity=helpdesk_identity_purge, sweep=helpdesk_sweep)
        from cases.pupil_export import export_section_register

        from .privacy import tickets_export_section

        export_section_register(tickets_export_section)
