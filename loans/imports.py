"""CSV export and import of inventory items, with a report line for every row.

Items are matched on their serial number (any case): unknown numbers are created, known
ones updated. A row that changes nothing is not saved. Moving an item into a kit goes
through the same service as the admin and the kit page, so the kit's history records it.
A row with an error is left out and reported; the other rows are imported.
"""

import csv
from dataclasses import dataclass, field
import datetime
import io

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from classcontact.spreadsheets import FormulaSafeWriter, spreadsheet_value
from schools.imports import ImportFileError, RowError, RowStatus, decode_text, normalise_key
from schools.models import User

from .models import Item, ItemCategory, Kit
from .services import KitError, item_register, kit_item_add, kit_item_remove

EXPORT_COLUMNS = (
    "serial_number",
    "category",
    "model_name",
    "kit",
    "kit_type",
    "state",
    "purchased_on",
    "notes",
)
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "serial_number": ("serial_number", "serial", "numero_de_serie", "n_de_serie", "sn"),
    "category": ("category", "categorie", "type"),
    "model_name": ("model_name", "model", "modele", "marque_et_modele", "make_and_model"),
    "kit": ("kit", "kit_code", "code_kit"),
    "purchased_on": ("purchased_on", "purchase_date", "date_d_achat", "achete_le"),
    "notes": ("notes", "note", "remarques"),
}
REQUIRED_COLUMNS = ("serial_number", "category")
#: "-" in the kit column takes the item out of its kit; an empty cell leaves it where it is.
OUT_OF_KIT = "-"

ERROR_MISSING_COLUMNS = _("Missing columns: %(columns)s.")
ERROR_NO_ROWS = _("The file has a header line but no items.")
ERROR_VALUE_REQUIRED = _("This value is required.")
ERROR_UNKNOWN_CATEGORY = _("Unknown category “%(value)s”. Accepted: %(accepted)s.")
ERROR_UNKNOWN_KIT = _("No kit has the code “%(value)s”.")
ERROR_BAD_DATE = _("“%(value)s” is not a date (write 2026-09-01 or 01/09/2026).")
ERROR_DUPLICATE_SERIAL = _("The serial number %(value)s already appears on line %(line)s of this file.")
ERROR_TOO_LONG = _("At most %(limit)s characters.")


@dataclass
class ItemRow:
    line: int
    serial_number: str
    status: RowStatus = RowStatus.UNCHANGED
    changes: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    item_id: int | None = None


@dataclass
class ItemImportReport:
    rows: list[ItemRow] = field(default_factory=list)
    dry_run: bool = False
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {status.value: 0 for status in RowStatus}
        for row in self.rows:
            counts[row.status.value] += 1
        return counts


def items_export_csv(items) -> str:
    """Items as CSV (comma separated, UTF-8), in the columns the import reads back."""
    out = io.StringIO()
    writer = FormulaSafeWriter(out)
    writer.writerow(EXPORT_COLUMNS)
    for item in items.select_related("kit__kit_type").order_by("serial_number"):
        writer.writerow(
            [
                item.serial_number,
                item.category,
                item.model_name,
                item.kit.code if item.kit_id else "",
                item.kit.kit_type.code if item.kit_id else "",
                item.state,
                item.purchased_on.isoformat() if item.purchased_on else "",
                item.notes,
            ]
        )
    return out.getvalue()


def _categories() -> dict[str, str]:
    lookup = {}
    for code, label in ItemCategory.choices:
        lookup[normalise_key(code)] = code
        for language in ("en", "fr"):
            with translation.override(language):
                lookup[normalise_key(str(label))] = code
    return lookup


def _parse_date(raw: str) -> datetime.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise ValueError(raw)


def _table(text: str) -> list[tuple[int, list[str]]]:
    lines = text.splitlines()
    header = next((line for line in lines if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=header.count) if header else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((reader.line_num, cells))
    except csv.Error as error:
        raise ImportFileError(
            _("The file could not be read as CSV near line %(line)s.") % {"line": reader.line_num}
        ) from error
    return rows


def _read_table(data: bytes) -> tuple[list, list[str], dict[str, int], list[str]]:
    """(rows, header, column positions, ignored titles); ``ImportFileError`` for an unusable file."""
    text, _encoding = decode_text(data)
    table = _table(text)
    if not table:
        raise ImportFileError(ERROR_NO_ROWS)
    header = [cell.strip() for cell in table[0][1]]
    aliases = {alias: column for column, names in COLUMN_ALIASES.items() for alias in names}
    positions: dict[str, int] = {}
    ignored = []
    for index, title in enumerate(header):
        column = aliases.get(normalise_key(title))
        if column is None or column in positions:
            if title and column is None and normalise_key(title) not in ("kit_type", "state"):
                ignored.append(title)
            continue
        positions[column] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in positions]
    if missing:
        raise ImportFileError(ERROR_MISSING_COLUMNS % {"columns": ", ".join(missing)})
    if len(table) == 1:
        raise ImportFileError(ERROR_NO_ROWS)
    return table[1:], header, positions, ignored


def items_import_check(*, data: bytes) -> None:
    """Refuse at once a file that cannot be imported at all (``ImportFileError``)."""
    _read_table(data)


def items_import_csv(*, data: bytes, user: User, dry_run: bool = False, progress=None) -> ItemImportReport:
    """Create or update items from CSV bytes; a dry run reports without saving anything.

    ``progress(done, total)`` is called every hundred rows and at the end.
    """
    table, header, positions, ignored = _read_table(data)
    report = ItemImportReport(dry_run=dry_run, ignored_columns=ignored)
    progress = progress or (lambda done, total: None)
    categories = _categories()
    seen: dict[str, int] = {}
    kits = {kit.code.upper(): kit for kit in Kit.objects.all().only("pk", "code", "state")}
    with transaction.atomic():
        for done, (line, cells) in enumerate(table, start=1):
            row, values = _clean_row(line, cells, positions, header, categories, kits, seen)
            report.rows.append(row)
            if row.errors:
                row.status = RowStatus.REJECTED
            else:
                _apply_row(
                    row, values, user=user, kit_title=header[positions["kit"]] if "kit" in positions else ""
                )
            if done % 100 == 0:
                progress(done, len(table))
        progress(len(table), len(table))
        if dry_run:
            transaction.set_rollback(True)
    return report


def _apply_row(row: ItemRow, values: dict, *, user: User, kit_title: str) -> None:
    """Save one clean row in its own savepoint; a refusal of the kit services rejects the row."""
    try:
        with transaction.atomic():
            _apply(row, values, user=user)
    except KitError as error:
        row.errors.append(RowError(kit_title, str(error.message)))
        row.status = RowStatus.REJECTED
        row.changes = []


def _clean_row(line, cells, positions, header, categories, kits, seen) -> tuple[ItemRow, dict]:
    def cell(column: str) -> str:
        index = positions.get(column)
        return spreadsheet_value(cells[index]).strip() if index is not None and index < len(cells) else ""

    serial = cell("serial_number")
    row = ItemRow(line=line, serial_number=serial)
    cleaned = [
        ("serial_number", _clean_serial(serial, line, seen)),
        ("category", _clean_category(cell("category"), categories)),
    ]
    if "model_name" in positions:
        cleaned.append(("model_name", _clean_model_name(cell("model_name"))))
    if "notes" in positions:
        cleaned.append(("notes", (cell("notes"), None)))
    if "purchased_on" in positions and cell("purchased_on"):
        cleaned.append(("purchased_on", _clean_purchased_on(cell("purchased_on"))))
    if "kit" in positions and cell("kit"):
        cleaned.append(("kit", _clean_kit(cell("kit"), kits)))
    values: dict = {}
    for column, (value, error) in cleaned:
        if error is not None:
            row.errors.append(RowError(header[positions[column]], str(error)))
        if value is not _NO_VALUE:
            values[column] = value
    return row, values


# What a column's cleaner returns when the row gets no value for it (None is a value: no kit).
_NO_VALUE = object()


def _clean_serial(serial: str, line: int, seen: dict[str, int]):
    """(value, error) of a serial number; a valid one is remembered to refuse its duplicates."""
    if not serial:
        return _NO_VALUE, ERROR_VALUE_REQUIRED
    if serial.upper() in seen:
        return _NO_VALUE, ERROR_DUPLICATE_SERIAL % {"value": serial, "line": seen[serial.upper()]}
    if len(serial) > 80:
        return _NO_VALUE, ERROR_TOO_LONG % {"limit": 80}
    seen[serial.upper()] = line
    return serial, None


def _clean_category(raw: str, categories: dict):
    if not raw:
        return _NO_VALUE, ERROR_VALUE_REQUIRED
    category = categories.get(normalise_key(raw))
    if category is None:
        return _NO_VALUE, ERROR_UNKNOWN_CATEGORY % {"value": raw, "accepted": ", ".join(ItemCategory.values)}
    return category, None


def _clean_model_name(model_name: str):
    return model_name, ERROR_TOO_LONG % {"limit": 120} if len(model_name) > 120 else None


def _clean_purchased_on(raw: str):
    try:
        return _parse_date(raw), None
    except ValueError:
        return _NO_VALUE, ERROR_BAD_DATE % {"value": raw}


def _clean_kit(code: str, kits: dict):
    if code == OUT_OF_KIT:
        return None, None
    if code.upper() in kits:
        return kits[code.upper()], None
    return _NO_VALUE, ERROR_UNKNOWN_KIT % {"value": code}


def _apply(row: ItemRow, values: dict, *, user: User) -> None:
    item = Item.objects.select_for_update().filter(serial_number__iexact=values["serial_number"]).first()
    kit_given = "kit" in values
    kit = values.pop("kit", None)
    if item is None:
        item = Item(**values, kit=kit)
        item_register(item=item, by=user)
        row.status, row.item_id = RowStatus.CREATED, item.pk
        row.changes = [str(Item._meta.get_field(name).verbose_name) for name in values]
        return
    row.item_id = item.pk
    changed = [
        name for name, value in values.items() if name != "serial_number" and getattr(item, name) != value
    ]
    if changed:
        for name in changed:
            setattr(item, name, values[name])
        item._history_user = user
        item.save(update_fields=changed)
    if kit_given and item.kit_id != (kit.pk if kit else None):
        if item.kit_id is not None:
            kit_item_remove(item=item, by=user, notes=_("CSV import"))
            item.refresh_from_db()
        if kit is not None:
            kit_item_add(kit=kit, item=item, by=user, notes=_("CSV import"))
        changed.append("kit")
    row.changes = [str(Item._meta.get_field(name).verbose_name) for name in changed]
    row.status = RowStatus.UPDATED if changed else RowStatus.UNCHANGED
