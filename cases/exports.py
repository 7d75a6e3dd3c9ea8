"""The staff case board as a spreadsheet: the board's filters, search and order.

Health-related data (the reason category, the certificate) is never exported.
"""

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from classcontact.exports import Column, Export

from .forms import BoardFilterForm
from .selectors import case_board, staff_next_step


def board_rows(user, params: QueryDict):
    """The board's rows for ``params`` (its query string), through its own form and selector."""
    form = BoardFilterForm(params or None)
    return case_board(user=user, filters=form.filters())


CASE_BOARD = Export(
    kind="cases",
    model_label="cases.connectioncase",
    filename="cases",
    columns=(
        Column(_("Number"), lambda case: case.number),
        Column(_("Pupil's last name"), lambda case: case.pupil_last_name),
        Column(_("Pupil's first name"), lambda case: case.pupil_first_name),
        Column(_("School"), lambda case: case.school.name),
        Column(_("Official number"), lambda case: case.school.official_number),
        Column(_("City"), lambda case: case.school.city),
        Column(_("Region"), lambda case: case.school.get_region_display()),
        Column(_("State"), lambda case: case.get_status_display()),
        Column(_("Next step"), staff_next_step),
        Column(_("Submitted"), lambda case: case.submitted_at),
        Column(_("Last change"), lambda case: case.status_changed_at),
        Column(_("Planned visit"), lambda case: case.planned_date),
        Column(_("Coordinator"), lambda case: case.coordinator),
    ),
    rows=board_rows,
)
