from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Connection cases")

    def ready(self):
        # The logistics ask a case about its kit and tell it of a return or an installation.
        from classcontact.homes import home_lines_register
        from loans.holders import holder_register

        from .homes import school_lines, staff_lines
        from .models import ConnectionCase
        from .services.logistics import CaseHolder

        holder_register(ConnectionCase, CaseHolder())
        # The school's region, kept with each case for the board's filter.
        from .school_region import school_region_connect

        school_region_connect()
        # What waits for coordinators and directors, on their home pages.
        home_lines_register(staff_lines, order=10)
        home_lines_register(school_lines, order=10)
        # The pupil's data the daily purge erases (cases/retention.py), e-mails included.
        from classcontact.retention import purge_register
        from classcontact.retention_mail import mails_purge, mails_sweep

        from .retention import case_identity_purge

        purge_register("cases", identity=case_identity_purge)
        purge_register("mails", identity=mails_purge, sweep=mails_sweep)
        # A pupil's export (cases/pupil_export.py): the cases' own sections, and old files.
        from .pupil_export import export_section_register, pupil_exports_purge
        from .pupil_export_sections import SECTIONS

        for section in SECTIONS:
            export_section_register(section)
        purge_register("pupil exports", sweep=pupil_exports_purge)
