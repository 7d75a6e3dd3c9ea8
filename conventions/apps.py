from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConventionsConfig(AppConfig):
    name = "conventions"
    verbose_name = _("Conventions and signatures")

    def ready(self):
        # A case's pages show the signatures their reader has to give, with a button each.
        from cases.panels import case_panels_register
        from classcontact.homes import home_lines_register

        from .homes import school_lines, staff_lines
        from .panels import case_signature_panels

        case_panels_register(case_signature_panels)
        # Signatures waiting for directors and coordinators, on their home pages.
        home_lines_register(school_lines, order=5)
        home_lines_register(staff_lines, order=20)
        # What an expired case's documents lose (conventions/privacy.py).
        from classcontact.retention import purge_register

        from . import reminders  # noqa: F401 - registers this app's reminder rules
        from .privacy import conventions_documents_purge, conventions_identity_purge

        purge_register(
            "conventions", identity=conventions_identity_purge, documents=conventions_documents_purge
        )
        # A pupil's export: the case's documents and their evidence.
        from cases.pupil_export import export_section_register

        from .privacy import documents_export_section

        export_section_register(documents_export_section)
