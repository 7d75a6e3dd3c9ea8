"""The cases' own sections of a pupil's export: the case, guardians, timeline, reads of the
health data, reminders, loans and visits (the logistics of this case only)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from loans.models import Loan, Visit, holder_filter
from schools.reminder_models import ReminderSent

from .models import ConnectionCase
from .pupil_export import ExportSection

CASE_FIELDS = [
    f.name
    for f in ConnectionCase._meta.concrete_fields
    if f.name not in ("id", "certificate", "legal_hold_by")
] + ["school__name", "school_class__name", "coordinator__email", "legal_hold_by__email"]


def case_section(case: ConnectionCase) -> ExportSection:
    """The case itself, its guardians and its timeline."""
    data = {
        "case": ConnectionCase.objects.filter(pk=case.pk).values(*CASE_FIELDS).get(),
        "guardians": list(
            case.guardians.values("position", "first_name", "last_name", "email", "phone", "language")
        ),
        "timeline": list(
            case.events.order_by("at", "pk").values(
                "at", "kind", "from_status", "to_status", "message", "is_public", "actor__email"
            )
        ),
    }
    files = [("certificate", case.certificate)] if case.certificate else []
    return ExportSection(name="case", title=str(_("The case")), data=data, files=files)


def access_section(case: ConnectionCase) -> ExportSection:
    """Who read the pupil's health data, and every export, with when."""
    reads = case.health_reads.order_by("at", "pk").values("at", "user__email", "field", "context")
    return ExportSection(
        name="access-log", title=str(_("Reads of the health data")), data={"reads": list(reads)}
    )


def reminders_section(case: ConnectionCase) -> ExportSection:
    """The reminders sent about this case, or to its guardians about it."""
    subject = f"{ContentType.objects.get_for_model(case).app_label}.connectioncase:{case.pk}"
    emails = [e.lower() for e in case.guardians.exclude(email="").values_list("email", flat=True)]
    rows = ReminderSent.objects.filter(Q(subject=subject) | Q(recipient__in=emails))
    data = {
        "reminders": list(
            rows.order_by("sent_at").values("rule", "recipient", "step", "escalation", "sent_at")
        )
    }
    return ExportSection(name="reminders", title=str(_("Reminders sent")), data=data)


def logistics_section(case: ConnectionCase) -> ExportSection:
    """The kit lent and the visits of this case."""
    held = holder_filter(case)
    loans = (
        Loan.objects.filter(**held).order_by("pk").values("reference", "kit__code", "status", "start", "end")
    )
    visits = (
        Visit.objects.filter(**held)
        .order_by("starts_at")
        .values("kind", "status", "starts_at", "address", "outcome", "notes", "technician__email", "done_at")
    )
    data = {"loans": list(loans), "visits": list(visits)}
    return ExportSection(name="loans-and-visits", title=str(_("Kit and visits")), data=data)


SECTIONS = [case_section, access_section, reminders_section, logistics_section]
