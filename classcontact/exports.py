"""Spreadsheet exports of the staff lists, as CSV or XLSX, with the list's own filters.

Each list describes its export once, in its own app (``cases/exports.py``…): an ``Export``
names the right it needs (view on a model, per ``schools/roles.py``), its columns, and
``rows(user, params)``, which binds the list page's own filter form to the page's query
string and calls the page's own selector, so that the file holds what the page shows.

Cells are never read as formulas (``classcontact/spreadsheets.py``): in CSV a leading
apostrophe neutralises them; in XLSX too, and every text is written as a string cell.
Up to ``EXPORT_STREAM_MAX_ROWS`` rows the request sends the file itself
(``export_views.export_download``); beyond, a worker makes it (``export_jobs.py``).
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
import datetime

from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from .spreadsheets import FormulaSafeWriter, spreadsheet_cell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE}
BATCH = 1000
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class Column:
    header: str | Promise
    value: Callable[[object], object]


@dataclass(frozen=True)
class Export:
    kind: str  # its key in export_jobs.EXPORTS
    model_label: str  # viewing this model is the right the export needs
    filename: str
    columns: tuple[Column, ...]
    rows: Callable[[object, QueryDict], QuerySet]
    # Called on each batch of rows before they are written (values computed without a query).
    decorate: Callable[[list], list] | None = None

    def allowed(self, user) -> bool:
        from schools.roles import user_has_right
        from schools.selectors import user_is_staff_member

        return user_is_staff_member(user) and user_has_right(user, "view", self.model_label)

    def headers(self) -> list[str]:
        return [str(column.header) for column in self.columns]


def plain(value):
    """A Python value as a spreadsheet holds it: text, number, date or local date and time."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    if isinstance(value, datetime.date | int | float):
        return value
    if isinstance(value, Model | Promise):
        return str(value)
    return value if isinstance(value, str) else str(value)


def batches(export: Export, rows: Iterable) -> Iterator[list[list]]:
    """The rows' values, a batch at a time (the queryset is read in chunks)."""
    iterator = rows.iterator(chunk_size=BATCH) if isinstance(rows, QuerySet) else iter(rows)
    while True:
        batch = [row for _n, row in zip(range(BATCH), iterator, strict=False)]
        if not batch:
            return
        if export.decorate is not None:
            batch = export.decorate(batch)
        yield [[plain(column.value(row)) for column in export.columns] for row in batch]


class _Line:
    """A file-like object that hands back what the CSV writer writes (for streaming)."""

    def write(self, text: str) -> str:
        return text


def _csv_value(value):
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def csv_lines(export: Export, rows: Iterable, progress: Callable[[int], None] | None = None) -> Iterator[str]:
    """The CSV file, a line at a time: a BOM (Excel then reads UTF-8), ``;`` between cells."""
    writer = FormulaSafeWriter(_Line(), delimiter=";")
    yield "\ufeff" + writer.writerow(export.headers())
    done = 0
    for batch in batches(export, rows):
        for values in batch:
            yield writer.writerow([_csv_value(value) for value in values])
        done += len(batch)
        if progress:
            progress(done)


def _xlsx_cell(sheet, value) -> WriteOnlyCell:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=spreadsheet_cell(ILLEGAL_CHARACTERS_RE.sub("", value)))
        cell.data_type = "s"  # text stays text, whatever it begins with
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    return cell


def write_xlsx(export: Export, rows: Iterable, handle, progress: Callable[[int], None] | None = None) -> int:
    """Write the XLSX file into ``handle`` (memory stays flat: openpyxl's write-only mode)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=export.filename[:31])
    header = []
    for text in export.headers():
        cell = _xlsx_cell(sheet, text)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    done = 0
    for batch in batches(export, rows):
        for values in batch:
            sheet.append([_xlsx_cell(sheet, value) for value in values])
        done += len(batch)
        if progress:
            progress(done)
    book.save(handle)
    return done


def export_filename(export: Export, fmt: str) -> str:
    return f"{export.filename}-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"
