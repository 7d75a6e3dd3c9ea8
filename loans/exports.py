"""Kits (the availability search), loans and visits as spreadsheets, with each page's filters."""

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from classcontact.exports import Column, Export

from .forms import AvailabilityForm, LoanFilterForm, VisitFilterForm
from .models import Kit
from .selectors import LoanFilters, VisitFilters, kits_free_between, loan_list, visit_list


def kit_rows(user, params: QueryDict):
    """The kits the availability page finds for its search; none until the search is valid."""
    form = AvailabilityForm(params or None)
    if not form.is_bound or not form.is_valid():
        return Kit.objects.none()
    data = form.cleaned_data
    return kits_free_between(
        kit_type=data["kit_type"], start=data["start"], end=data["end"], region=data["region"]
    )


def loan_rows(user, params: QueryDict):
    return loan_list(user=user, filters=LoanFilters(**LoanFilterForm(params or None).filters()))


def visit_rows(user, params: QueryDict):
    """As the visits page: a technician's own visits only, the others every visit."""
    return visit_list(user=user, filters=VisitFilters(**VisitFilterForm(params or None).filters()))


KITS = Export(
    kind="kits",
    model_label="loans.kit",
    filename="kits",
    columns=(
        Column(_("Kit code"), lambda kit: kit.code),
        Column(_("Kit type"), lambda kit: kit.kit_type.name),
        Column(_("State"), lambda kit: kit.get_state_display()),
        Column(_("Home region"), lambda kit: kit.get_region_display()),
        Column(_("School"), lambda kit: kit.school),
        Column(_("Room"), lambda kit: kit.room),
        Column(_("Items"), lambda kit: kit.item_count or 0),
        Column(_("Next booking"), lambda kit: kit.next_booking),
    ),
    rows=kit_rows,
)

LOANS = Export(
    kind="loans",
    model_label="loans.loan",
    filename="loans",
    columns=(
        Column(_("Kit code"), lambda loan: loan.kit.code),
        Column(_("Kit type"), lambda loan: loan.kit.kit_type.name),
        Column(_("Reference"), lambda loan: loan.reference),
        Column(_("Purpose"), lambda loan: loan.get_purpose_display()),
        Column(_("State"), lambda loan: loan.get_status_display()),
        Column(_("First day"), lambda loan: loan.start),
        Column(_("Last day"), lambda loan: loan.end),
        Column(_("School"), lambda loan: loan.school.name),
        Column(_("Class"), lambda loan: loan.school_class.name if loan.school_class_id else ""),
        Column(_("Trimester"), lambda loan: loan.trimester),
    ),
    rows=loan_rows,
)

VISITS = Export(
    kind="visits",
    model_label="loans.visit",
    filename="visits",
    columns=(
        Column(_("Date and time"), lambda visit: visit.starts_at),
        Column(_("Duration (minutes)"), lambda visit: visit.duration_minutes),
        Column(_("Kind"), lambda visit: visit.get_kind_display()),
        Column(_("State"), lambda visit: visit.get_status_display()),
        Column(_("Reference"), lambda visit: visit.reference),
        Column(_("School"), lambda visit: visit.school.name),
        Column(_("Technician"), lambda visit: visit.technician),
        Column(_("Address"), lambda visit: visit.address),
        Column(_("Outcome"), lambda visit: visit.get_outcome_display()),
    ),
    rows=visit_rows,
)
