"""Import of the school directory from a CSV file.

One code path for the management command and the admin page: ``schools_import_csv`` reads
the bytes, checks every row, then creates or updates schools in one transaction. A row that
changes nothing is not saved, so importing the same file twice writes nothing (not even a
history row).
"""

import csv
from dataclasses import dataclass, field
import io
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from classcontact.errors import DomainError
from classcontact.spreadsheets import spreadsheet_value

from .models import Network, Region, School

# Whole-file errors: nothing is imported.
ERROR_FILE_EMPTY = _("The file is empty.")
ERROR_FILE_NOT_TEXT = _(
    "The file is not a CSV text file. Save it from your spreadsheet as CSV (UTF-8 or Windows-1252)."
)
ERROR_FILE_NOT_CSV = _("The file could not be read as CSV near line %(line)s.")
ERROR_FILE_NO_ROWS = _("The file has a header line but no schools.")
ERROR_MISSING_COLUMNS = _("Missing columns: %(columns)s.")
ERROR_DUPLICATE_COLUMN = _("The column “%(column)s” appears more than once.")
ERROR_CONFLICT = _(
    "The directory was changed by someone else during the import. Nothing was saved: try again."
)

# Row errors: only that row is rejected.
ERROR_VALUE_REQUIRED = _("This value is required.")
ERROR_VALUE_TOO_LONG = _("At most %(limit)s characters (this one has %(length)s).")
ERROR_UNKNOWN_NETWORK = _("Unknown network “%(value)s”. Accepted: %(accepted)s.")
ERROR_UNKNOWN_REGION = _("Unknown region “%(value)s”. Accepted: %(accepted)s.")
ERROR_NOT_YES_NO = _("“%(value)s” is not yes or no (accepted: yes, no, oui, non, 1, 0, true, false).")
ERROR_INVALID_EMAIL = _("“%(value)s” is not a valid e-mail address.")
ERROR_DUPLICATE_NUMBER = _("The official number %(value)s already appears on line %(line)s of this file.")
ERROR_EXTRA_CELLS = _("This line has more cells than the header has columns.")

CHANGE_REASON = _("Directory import (CSV)")


class ImportFileError(DomainError):
    """The file as a whole cannot be imported; ``message`` says why."""


class RowStatus(models.TextChoices):
    # A result, not a date: "created" and "updated" alone read as dates in French.
    CREATED = "created", pgettext_lazy("import result", "created")
    UPDATED = "updated", pgettext_lazy("import result", "updated")
    UNCHANGED = "unchanged", _("unchanged")
    REJECTED = "rejected", _("rejected")


@dataclass
class RowError:
    column: str  # the column's header as written in the file ("" for the line as a whole)
    message: str


@dataclass
class RowResult:
    line: int
    official_number: str
    name: str
    status: RowStatus = RowStatus.UNCHANGED
    changed_fields: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    school_id: int | None = None

    @property
    def changed_labels(self) -> list[str]:
        return [str(School._meta.get_field(name).verbose_name) for name in self.changed_fields]


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    dry_run: bool = False
    encoding: str = ""
    delimiter: str = ""
    ignored_columns: list[str] = field(default_factory=list)

    def _with(self, status: RowStatus) -> list[RowResult]:
        return [row for row in self.rows if row.status == status]

    @property
    def created(self) -> list[RowResult]:
        return self._with(RowStatus.CREATED)

    @property
    def updated(self) -> list[RowResult]:
        return self._with(RowStatus.UPDATED)

    @property
    def unchanged(self) -> list[RowResult]:
        return self._with(RowStatus.UNCHANGED)

    @property
    def rejected(self) -> list[RowResult]:
        return self._with(RowStatus.REJECTED)

    @property
    def counts(self) -> dict[str, int]:
        counts = {status.value: 0 for status in RowStatus}
        for row in self.rows:
            counts[row.status.value] += 1
        return counts


def normalise_key(text: str) -> str:
    """'  Code Postal ' -> 'code_postal', 'Liège' -> 'liege': for tolerant matching of names."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


# Column -> accepted headers (compared after normalise_key).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "official_number": (
        "official_number",
        "number",
        "numero",
        "numero_fase",
        "fase",
        "uai",
        "numero_officiel",
    ),
    "name": ("name", "nom", "ecole", "nom_ecole"),
    "network": ("network", "reseau"),
    "street": ("street", "rue", "adresse", "address"),
    "postcode": ("postcode", "postal_code", "zip", "code_postal", "cp"),
    "city": ("city", "commune", "localite", "ville"),
    "district": ("district", "arrondissement"),
    "region": ("region", "province"),
    "in_fwb": ("in_fwb", "fwb"),
    "eligible_mobile_classroom": (
        "eligible_mobile_classroom",
        "mobile_classroom",
        "classe_mobile",
        "classes_mobiles",
        "eligible_classe_mobile",
    ),
    "email": ("email", "e_mail", "mail", "courriel"),
    "phone": ("phone", "telephone", "tel"),
}
REQUIRED_COLUMNS = (
    "official_number",
    "name",
    "network",
    "street",
    "postcode",
    "city",
    "district",
    "region",
    "in_fwb",
    "email",
)
TEXT_FIELDS = ("official_number", "name", "street", "postcode", "city", "district", "phone")
REQUIRED_VALUES = ("official_number", "name", "network", "region", "in_fwb")

TRUE_WORDS = frozenset({"yes", "y", "oui", "o", "1", "true", "vrai"})
FALSE_WORDS = frozenset({"no", "n", "non", "0", "false", "faux"})

# French names beside the codes and the labels of the choices (normalise_key applied on use).
NETWORK_ALIASES: dict[str, tuple[str, ...]] = {
    Network.WBE: ("Wallonie-Bruxelles Enseignement", "WBE", "Réseau WBE", "Communauté française"),
    Network.OFFICIAL: (
        "Officiel",
        "Officiel subventionné",
        "Officiel subventionné (communes, provinces)",
        "Official subsidised",
        "Official",
    ),
    Network.FREE_CONFESSIONAL: (
        "Libre confessionnel",
        "Libre subventionné confessionnel",
        "Libre subventionné, confessionnel",
        "Free confessional",
    ),
    Network.FREE_NON_CONFESSIONAL: (
        "Libre non confessionnel",
        "Libre subventionné non confessionnel",
        "Libre subventionné, non confessionnel",
        "Free non-confessional",
    ),
    Network.OTHER: ("Autre",),
}
REGION_ALIASES: dict[str, tuple[str, ...]] = {
    Region.BRUSSELS: (
        "Bruxelles",
        "Bruxelles-Capitale",
        "Région de Bruxelles-Capitale",
        "Brussels",
        "Brussel",
    ),
    Region.WALLOON_BRABANT: ("Brabant wallon",),
    Region.HAINAUT: ("Hainaut",),
    Region.LIEGE: ("Liège", "Liege"),
    Region.LUXEMBOURG: ("Luxembourg",),
    Region.NAMUR: ("Namur",),
    Region.PAS_DE_CALAIS: ("Pas-de-Calais",),
    Region.OTHER: ("Autre",),
}


def _choice_lookup(choices: type[models.TextChoices], aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Normalised code, English label, French label or alias -> code."""
    lookup: dict[str, str] = {}
    for code, label in choices.choices:
        lookup[normalise_key(code)] = code
        for language in ("en", "fr"):
            with translation.override(language):
                lookup[normalise_key(str(label))] = code
        for alias in aliases.get(code, ()):
            lookup[normalise_key(alias)] = code
    return lookup


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the encoding used: UTF-8 (BOM or not), else Windows-1252."""
    if not data.strip():
        raise ImportFileError(ERROR_FILE_EMPTY)
    # NUL bytes: a binary file, or UTF-16 from a spreadsheet's "Unicode text" export.
    if b"\x00" in data:
        raise ImportFileError(ERROR_FILE_NOT_TEXT)
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise ImportFileError(ERROR_FILE_NOT_TEXT) from None


def _sniff_delimiter(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_table(text: str) -> tuple[str, list[tuple[int, list[str]]]]:
    """The delimiter and the non-blank lines as (line number, cells); the header comes first."""
    lines = text.splitlines()
    first = lines[0].strip() if lines else ""
    skip = 0
    # Excel writes "sep=;" on a first line of its own when asked to.
    if re.fullmatch(r"sep=.", first, flags=re.IGNORECASE):
        delimiter, skip = first[-1], 1
    else:
        delimiter = _sniff_delimiter(next((line for line in lines if line.strip()), ""))
    stream = io.StringIO(text, newline="")
    for _skipped in range(skip):
        stream.readline()
    reader = csv.reader(stream, delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    last_line = skip
    try:
        for cells in reader:
            start_line, last_line = last_line + 1, reader.line_num + skip
            if any(cell.strip() for cell in cells):
                rows.append((start_line, cells))
    except csv.Error:
        raise ImportFileError(ERROR_FILE_NOT_CSV % {"line": last_line + 1}) from None
    return delimiter, rows


def _map_header(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Column -> index in the file, and the headers that are not ours (ignored)."""
    alias_to_column = {alias: column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, title in enumerate(header):
        column = alias_to_column.get(normalise_key(title))
        if column is None:
            if title.strip():
                ignored.append(title.strip())
            continue
        if column in positions:
            raise ImportFileError(ERROR_DUPLICATE_COLUMN % {"column": title.strip()})
        positions[column] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in positions]
    if missing:
        raise ImportFileError(ERROR_MISSING_COLUMNS % {"columns": ", ".join(missing)})
    return positions, ignored


class _RowCleaner:
    """Turns the cells of one line into School field values, collecting every error."""

    def __init__(self, header: list[str], positions: dict[str, int]):
        self.header = header
        self.positions = positions
        self.networks = _choice_lookup(Network, NETWORK_ALIASES)
        self.regions = _choice_lookup(Region, REGION_ALIASES)

    def clean(self, cells: list[str]) -> tuple[dict, list[RowError]]:
        values: dict = {}
        errors: list[RowError] = []
        if len(cells) > len(self.header) and any(cell.strip() for cell in cells[len(self.header) :]):
            errors.append(RowError("", str(ERROR_EXTRA_CELLS)))
        for column, index in self.positions.items():
            raw = spreadsheet_value(cells[index]).strip() if index < len(cells) else ""
            title = self.header[index].strip()
            try:
                value = self._value(column, raw)
            except ValidationError as error:
                errors.append(RowError(title, str(error.messages[0])))
                continue
            if value is not None:
                values[column] = value
        return values, errors

    def _value(self, column: str, raw: str):
        if not raw:
            return self._empty(column)
        if column in TEXT_FIELDS:
            return self._text(column, raw)
        if column == "network":
            return self._choice(raw, self.networks, Network, ERROR_UNKNOWN_NETWORK)
        if column == "region":
            return self._choice(raw, self.regions, Region, ERROR_UNKNOWN_REGION)
        if column in ("in_fwb", "eligible_mobile_classroom"):
            return self._yes_no(raw)
        if column == "email":
            return self._email(raw)
        raise AssertionError(f"unhandled column {column}")

    @staticmethod
    def _empty(column: str):
        if column in REQUIRED_VALUES:
            raise ValidationError(ERROR_VALUE_REQUIRED)
        if column == "eligible_mobile_classroom":
            return None  # an empty cell leaves the school as it is
        return ""

    @staticmethod
    def _text(column: str, raw: str) -> str:
        limit = School._meta.get_field(column).max_length
        if len(raw) > limit:
            raise ValidationError(ERROR_VALUE_TOO_LONG % {"limit": limit, "length": len(raw)})
        return raw

    @staticmethod
    def _yes_no(raw: str) -> bool:
        word = raw.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValidationError(ERROR_NOT_YES_NO % {"value": raw})

    @staticmethod
    def _email(raw: str) -> str:
        try:
            validate_email(raw)
        except ValidationError:
            raise ValidationError(ERROR_INVALID_EMAIL % {"value": raw}) from None
        if len(raw) > School._meta.get_field("email").max_length:
            raise ValidationError(ERROR_INVALID_EMAIL % {"value": raw})
        return raw

    @staticmethod
    def _choice(raw: str, lookup: dict[str, str], choices, message) -> str:
        code = lookup.get(normalise_key(raw))
        if code is None:
            raise ValidationError(message % {"value": raw, "accepted": ", ".join(choices.values)})
        return code


def schools_import_check(*, data: bytes) -> None:
    """Raise ``ImportFileError`` at once when the file as a whole is unusable (before queueing it)."""
    _parsed(data)


def _parsed(data: bytes):
    text, encoding = decode_text(data)
    delimiter, table = _read_table(text)
    if not table:
        raise ImportFileError(ERROR_FILE_EMPTY)
    _header_line, header = table[0]
    positions, ignored = _map_header(header)
    if len(table) == 1:
        raise ImportFileError(ERROR_FILE_NO_ROWS)
    return encoding, delimiter, table, header, positions, ignored


def schools_import_csv(*, data: bytes, user=None, dry_run: bool = False, progress=None) -> ImportReport:
    """Create or update schools from a CSV file of the directory, matched on the official number.

    Effects: in one transaction, creates the new schools and saves the changed fields of
    existing ones (each with a history row naming ``user``); unchanged rows and rejected rows
    are not saved. With ``dry_run`` the transaction is rolled back: the report says what would
    happen. Raises ``ImportFileError`` when the file as a whole is unusable. ``progress(done,
    total)``, when given, hears every thousand rows read and then written.
    """
    encoding, delimiter, table, header, positions, ignored = _parsed(data)
    progress = progress or (lambda done, total: None)

    report = ImportReport(dry_run=dry_run, encoding=encoding, delimiter=delimiter, ignored_columns=ignored)
    cleaner = _RowCleaner(header, positions)
    first_line_of: dict[str, int] = {}
    cleaned: list[tuple[RowResult, dict]] = []
    total = 2 * (len(table) - 1)  # each row is read, then written
    for done, (line, cells) in enumerate(table[1:]):
        if done % 1000 == 0:
            progress(done, total)
        values, errors = cleaner.clean(cells)
        number = values.get("official_number", "")
        row = RowResult(line=line, official_number=number, name=values.get("name", ""), errors=errors)
        if number:
            if number in first_line_of:
                row.errors.append(
                    RowError(
                        header[positions["official_number"]].strip(),
                        str(ERROR_DUPLICATE_NUMBER % {"value": number, "line": first_line_of[number]}),
                    )
                )
            else:
                first_line_of[number] = line
        if row.errors:
            row.status = RowStatus.REJECTED
        report.rows.append(row)
        cleaned.append((row, values))

    try:
        with transaction.atomic():
            _apply(cleaned, user=user, progress=lambda done: progress(len(cleaned) + done, total))
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError:
        # Somebody created one of these official numbers since we looked.
        raise ImportFileError(ERROR_CONFLICT) from None
    if dry_run:
        for row in report.created:
            row.school_id = None  # rolled back
    return report


def _apply(cleaned: list[tuple[RowResult, dict]], *, user, progress) -> None:
    numbers = [row.official_number for row, _values in cleaned if row.status != RowStatus.REJECTED]
    existing = {
        school.official_number: school
        for school in School.objects.select_for_update().filter(official_number__in=numbers)
    }
    reason = str(CHANGE_REASON)
    for done, (row, values) in enumerate(cleaned):
        if done % 1000 == 0:
            progress(done)
        if row.status == RowStatus.REJECTED:
            continue
        school = existing.get(row.official_number)
        if school is None:
            school = School(**values)
            school._history_user = user
            school._change_reason = reason
            school.save()
            row.status = RowStatus.CREATED
        else:
            changed = [name for name, value in values.items() if getattr(school, name) != value]
            if changed:
                for name in changed:
                    setattr(school, name, values[name])
                school._history_user = user
                school._change_reason = reason
                school.save(update_fields=changed)
                row.status = RowStatus.UPDATED
                row.changed_fields = changed
        row.school_id = school.pk
