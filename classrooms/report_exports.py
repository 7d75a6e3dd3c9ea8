"""The yearly report as tables: the same rows for the page, the PDF, the XLSX and the CSV."""

import csv
import io

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from classcontact.charts import Series, column_chart
from classcontact.pdf import render_pdf
from classcontact.spreadsheets import FormulaSafeWriter, spreadsheet_cell

from .report import TRIMESTERS, YearlyReport

REACH_ROWS = (
    ("classes", "Classes reached"),
    ("schools", "Schools reached"),
    ("districts", "Districts reached"),
    ("pupils", "Pupils reached"),
    ("evaluated", "Classes evaluated"),
    ("kits", "Kits used"),
    ("days_lent", "Days lent (kit-days)"),
    ("trainings", "Training sessions held"),
    ("trained", "Teachers who attended a training"),
)


def _labels() -> dict[str, str]:
    # Written out so that makemessages finds each label.
    return {
        "classes": _("Classes reached"),
        "schools": _("Schools reached"),
        "districts": _("Districts reached"),
        "pupils": _("Pupils reached"),
        "evaluated": _("Classes evaluated"),
        "kits": _("Kits used"),
        "days_lent": _("Days lent (kit-days)"),
        "trainings": _("Training sessions held"),
        "trained": _("Teachers who attended a training"),
    }


def reach_header() -> list[str]:
    return [_("Figure"), _("Trimester 1"), _("Trimester 2"), _("Trimester 3"), _("School year")]


def reach_rows(report: YearlyReport) -> list[list]:
    """One row per figure: its label, the three trimesters and the whole year."""
    labels = _labels()
    return [
        [labels[name], *(getattr(reach, name) for _n, reach in report.trimesters), getattr(report.year, name)]
        for name, _label in REACH_ROWS
    ]


def _rate(value: float | None) -> str:
    return "" if value is None else f"{formats.number_format(value, 1)} %"


def outcome_rows(report: YearlyReport) -> list[list]:
    """The evaluation's figures: B2i and the municipalities."""
    return [
        [_("Pupils assessed in B2i"), report.pupils_assessed],
        [_("Pupils validated in B2i"), report.pupils_validated],
        [_("B2i validation rate of the pupils who benefited"), _rate(report.b2i_rate)],
        [_("B2i validation rate of the schools before (where known)"), _rate(report.schools_b2i_rate_before)],
        [_("Schools whose rate before is known"), report.schools_with_rate_before],
        [_("Municipalities whose outcome is known"), report.municipalities_contacted],
        [_("Municipalities that started an equipment plan"), report.municipalities_with_plan],
        [_("Amount of the equipment plans known (€)"), report.plans_amount],
    ]


def plan_header() -> list[str]:
    return [_("Municipality"), _("School"), _("Started on"), _("Equipment plan"), _("Amount (€)")]


def plan_rows(report: YearlyReport) -> list[list]:
    return [
        [
            plan.city,
            plan.school,
            plan.started_on,
            plan.description,
            plan.amount if plan.amount is not None else "",
        ]
        for plan in report.plans
    ]


def report_csv(report: YearlyReport) -> str:
    """The three tables one after the other, ``;`` between cells, with a BOM for Excel."""
    out = io.StringIO()
    writer = FormulaSafeWriter(out, delimiter=";", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([_("Yearly report of the mobile classrooms"), report.school_year])
    writer.writerow([])
    writer.writerows([reach_header(), *reach_rows(report)])
    writer.writerow([])
    writer.writerows(outcome_rows(report))
    writer.writerow([])
    writer.writerows([plan_header(), *plan_rows(report)])
    return "\ufeff" + out.getvalue()


def _sheet(book: Workbook, title: str, header: list[str] | None, rows: list[list]) -> None:
    sheet = book.create_sheet(title=title[:31])
    if header:
        sheet.append([spreadsheet_cell(text) for text in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    for row in rows:
        sheet.append([spreadsheet_cell(value) if isinstance(value, str) else value for value in row])
    sheet.column_dimensions["A"].width = 55


def report_xlsx(report: YearlyReport) -> bytes:
    """A workbook of three sheets: the reach, the evaluation, the equipment plans."""
    book = Workbook()
    book.remove(book.active)
    _sheet(book, _("Reach"), reach_header(), reach_rows(report))
    _sheet(book, _("Evaluation"), None, outcome_rows(report))
    _sheet(book, _("Equipment plans"), plan_header(), plan_rows(report))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_filename(report: YearlyReport, fmt: str) -> str:
    return f"bilan-classes-mobiles-{report.school_year}.{fmt}"


def report_chart(report: YearlyReport):
    """Classes and schools reached by trimester, drawn as SVG (its numbers are in the table)."""
    return column_chart(
        _("Classes and schools reached by trimester"),
        [str(_("Trimester %(number)s") % {"number": number}) for number in TRIMESTERS],
        [
            Series(str(_("Classes")), [reach.classes for _n, reach in report.trimesters]),
            Series(str(_("Schools")), [reach.schools for _n, reach in report.trimesters]),
        ],
        stacked=False,
    )


def report_context(report: YearlyReport) -> dict:
    return {
        "report": report,
        "today": timezone.localdate(),
        "chart": report_chart(report),
        "reach_header": reach_header(),
        "reach_rows": reach_rows(report),
        "outcome_rows": outcome_rows(report),
        "plan_header": plan_header(),
        "plan_rows": plan_rows(report),
    }


def report_pdf(report: YearlyReport) -> bytes:
    """The report's PDF, addressed to the director of the departmental services, the academic
    digital delegate and the logistics partner's territorial director (in French)."""
    with translation.override(settings.LANGUAGE_CODE):
        context = report_context(report)
    return render_pdf("pdf/classroom_yearly_report.html", context, language=settings.LANGUAGE_CODE)
