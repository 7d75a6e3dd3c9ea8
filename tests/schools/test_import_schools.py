"""The school directory import: schools_import_csv and the import_schools command."""

from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
import pytest

from schools.imports import (
    CHANGE_REASON,
    ERROR_DUPLICATE_COLUMN,
    ERROR_DUPLICATE_NUMBER,
    ERROR_EXTRA_CELLS,
    ERROR_FILE_EMPTY,
    ERROR_FILE_NO_ROWS,
    ERROR_FILE_NOT_CSV,
    ERROR_FILE_NOT_TEXT,
    ERROR_INVALID_EMAIL,
    ERROR_MISSING_COLUMNS,
    ERROR_NOT_YES_NO,
    ERROR_UNKNOWN_NETWORK,
    ERROR_UNKNOWN_REGION,
    ERROR_VALUE_REQUIRED,
    ERROR_VALUE_TOO_LONG,
    ImportFileError,
    RowStatus,
    schools_import_csv,
)
from schools.models import Network, Region, School
from tests.builders.schools import make_school, make_user

pytestmark = pytest.mark.django_db

HEADER = [
    "official_number",
    "name",
    "network",
    "street",
    "postcode",
    "city",
    "district",
    "region",
    "in_fwb",
    "eligible_mobile_classroom",
    "email",
    "phone",
]
TILLEULS = [
    "1001",
    "École des Tilleuls",
    "official",
    "Rue des Tilleuls 12",
    "4000",
    "Liège",
    "Liège",
    "liege",
    "yes",
    "no",
    "tilleuls@example.org",
    "04 123 45 67",
]
PARC = [
    "1002",
    "École du Parc",
    "wbe",
    "Rue du Parc 40",
    "1050",
    "Ixelles",
    "Bruxelles-Capitale",
    "brussels",
    "no",
    "yes",
    "",
    "",
]
SAMPLE = Path(__file__).resolve().parents[2] / "schools" / "fixtures" / "schools-sample.csv"


def csv_bytes(*rows, header=HEADER, delimiter=",", encoding="utf-8") -> bytes:
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def history_count() -> int:
    return School.history.model.objects.count()


def with_cells(row: list[str], **cells) -> list[str]:
    changed = list(row)
    for column, value in cells.items():
        changed[HEADER.index(column)] = value
    return changed


def test_good_file_creates_every_school_with_its_values_and_a_history_row():
    user = make_user()

    report = schools_import_csv(data=csv_bytes(TILLEULS, PARC), user=user)

    assert [row.status for row in report.rows] == [RowStatus.CREATED, RowStatus.CREATED]
    assert report.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert [row.line for row in report.rows] == [2, 3]
    tilleuls = School.objects.get(official_number="1001")
    assert (tilleuls.name, tilleuls.network, tilleuls.region) == (
        "École des Tilleuls",
        Network.OFFICIAL,
        "liege",
    )
    assert (tilleuls.street, tilleuls.postcode, tilleuls.city, tilleuls.district) == (
        "Rue des Tilleuls 12",
        "4000",
        "Liège",
        "Liège",
    )
    assert tilleuls.in_fwb is True
    assert tilleuls.eligible_mobile_classroom is False
    assert (tilleuls.email, tilleuls.phone) == ("tilleuls@example.org", "04 123 45 67")
    parc = School.objects.get(official_number="1002")
    assert (parc.in_fwb, parc.eligible_mobile_classroom, parc.email) == (False, True, "")
    record = tilleuls.history.get()
    assert record.history_type == "+"
    assert record.history_user == user
    assert record.history_change_reason == str(CHANGE_REASON)
    assert report.rows[0].school_id == tilleuls.pk


def test_same_file_twice_creates_and_changes_nothing_and_writes_no_history():
    data = csv_bytes(TILLEULS, PARC)
    schools_import_csv(data=data)
    schools_before, history_before = School.objects.count(), history_count()

    report = schools_import_csv(data=data)

    assert report.counts == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    assert School.objects.count() == schools_before == 2
    assert history_count() == history_before


def test_changed_value_updates_only_that_field_with_one_history_row():
    user = make_user()
    schools_import_csv(data=csv_bytes(TILLEULS, PARC))
    history_before = history_count()

    report = schools_import_csv(
        data=csv_bytes(with_cells(TILLEULS, city="Liège 1", phone="04 999 99 99"), PARC), user=user
    )

    tilleuls_row, parc_row = report.rows
    assert tilleuls_row.status == RowStatus.UPDATED
    assert tilleuls_row.changed_fields == ["city", "phone"]
    assert parc_row.status == RowStatus.UNCHANGED
    assert history_count() == history_before + 1
    tilleuls = School.objects.get(official_number="1001")
    assert (tilleuls.city, tilleuls.phone) == ("Liège 1", "04 999 99 99")
    latest = tilleuls.history.latest("history_date")
    assert (latest.history_type, latest.history_user) == ("~", user)


def test_update_keeps_fields_the_file_does_not_hold():
    school = make_school(official_number="1001", is_active=False, eligible_mobile_classroom=True)
    header = [column for column in HEADER if column not in ("eligible_mobile_classroom", "phone")]
    row = [cell for column, cell in zip(HEADER, TILLEULS, strict=True) if column in header]

    report = schools_import_csv(data=csv_bytes(row, header=header))

    assert report.rows[0].status == RowStatus.UPDATED
    school.refresh_from_db()
    assert school.name == "École des Tilleuls"
    assert (school.eligible_mobile_classroom, school.is_active) == (True, False)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_utf8_with_or_without_bom_and_windows_1252_give_the_same_accents(encoding):
    data = csv_bytes(TILLEULS, delimiter=";", encoding=encoding)
    if encoding == "utf-8-sig":
        assert data.startswith(b"\xef\xbb\xbf")

    report = schools_import_csv(data=data)

    assert report.encoding == ("cp1252" if encoding == "cp1252" else "utf-8")
    school = School.objects.get(official_number="1001")
    assert (school.name, school.city) == ("École des Tilleuls", "Liège")


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_delimiter_is_sniffed(delimiter):
    report = schools_import_csv(data=csv_bytes(TILLEULS, PARC, delimiter=delimiter))

    assert report.delimiter == delimiter
    assert report.counts["created"] == 2


def test_excel_separator_line_is_understood():
    data = b"sep=;\r\n" + csv_bytes(TILLEULS, delimiter=";")

    report = schools_import_csv(data=data)

    assert report.rows[0].line == 3
    assert School.objects.filter(official_number="1001").exists()


def test_quoted_cells_may_hold_the_delimiter():
    row = with_cells(TILLEULS, name='"Tilleuls, école fondamentale"')

    schools_import_csv(data=csv_bytes(row))

    assert School.objects.get(official_number="1001").name == "Tilleuls, école fondamentale"


def test_french_headers_in_any_case_and_french_labels_are_accepted():
    header = [
        "Numéro",
        "NOM",
        "Réseau",
        "Rue",
        "Code postal",
        "Commune",
        "Arrondissement",
        "Région",
        "FWB",
        "Courriel",
    ]
    row = [
        "1003",
        "Institut Saint-Joseph",
        "Libre subventionné confessionnel",
        "Place de l'Église 1",
        "5000",
        "Namur",
        "Namur",
        "NAMUR",
        "Oui",
        "",
    ]

    report = schools_import_csv(data=csv_bytes(row, header=header, delimiter=";"))

    assert report.counts["created"] == 1
    school = School.objects.get(official_number="1003")
    assert (school.network, school.region, school.in_fwb) == (Network.FREE_CONFESSIONAL, Region.NAMUR, True)


@pytest.mark.parametrize(
    ("network", "expected"),
    [
        ("free_non_confessional", Network.FREE_NON_CONFESSIONAL),
        ("WBE", Network.WBE),
        ("Wallonie-Bruxelles Enseignement", Network.WBE),
        ("official subsidised (municipalities, provinces)", Network.OFFICIAL),
        ("Officiel subventionné", Network.OFFICIAL),
        ("libre non confessionnel", Network.FREE_NON_CONFESSIONAL),
        ("Autre", Network.OTHER),
    ],
)
def test_network_accepts_its_code_and_its_labels(network, expected):
    schools_import_csv(data=csv_bytes(with_cells(TILLEULS, network=f'"{network}"')))

    assert School.objects.get(official_number="1001").network == expected


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("liege", Region.LIEGE),
        ("LIÈGE", Region.LIEGE),
        ("Brussels-Capital", Region.BRUSSELS),
        ("Région de Bruxelles-Capitale", Region.BRUSSELS),
        ("Brabant wallon", Region.WALLOON_BRABANT),
        ("walloon_brabant", Region.WALLOON_BRABANT),
        ("Pas-de-Calais", Region.PAS_DE_CALAIS),
    ],
)
def test_region_accepts_its_code_and_its_labels(region, expected):
    schools_import_csv(data=csv_bytes(with_cells(TILLEULS, region=region)))

    assert School.objects.get(official_number="1001").region == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("yes", True), ("OUI", True), ("1", True), ("true", True), ("no", False), ("Non", False), ("0", False)],
)
def test_yes_no_words(word, expected):
    schools_import_csv(data=csv_bytes(with_cells(TILLEULS, in_fwb=word)))

    assert School.objects.get(official_number="1001").in_fwb is expected


def test_missing_columns_reject_the_whole_file_naming_them():
    header = [column for column in HEADER if column not in ("network", "region")]
    row = [cell for column, cell in zip(HEADER, TILLEULS, strict=True) if column in header]

    with pytest.raises(ImportFileError) as raised:
        schools_import_csv(data=csv_bytes(row, header=header))

    assert raised.value.message == ERROR_MISSING_COLUMNS % {"columns": "network, region"}
    assert "network, region" in str(raised.value.message)
    assert not School.objects.exists()


def test_a_column_given_twice_rejects_the_file():
    header = [*HEADER, "nom"]

    with pytest.raises(ImportFileError) as raised:
        schools_import_csv(data=csv_bytes([*TILLEULS, "Autre nom"], header=header))

    assert raised.value.message == ERROR_DUPLICATE_COLUMN % {"column": "nom"}


def test_unknown_columns_are_ignored_and_reported():
    report = schools_import_csv(data=csv_bytes([*TILLEULS, "x"], header=[*HEADER, "Remarks"]))

    assert report.ignored_columns == ["Remarks"]
    assert report.counts["created"] == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", ERROR_FILE_EMPTY),
        (b"  \r\n\r\n", ERROR_FILE_EMPTY),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", ERROR_FILE_NOT_TEXT),
        ("official_number,name".encode("utf-16"), ERROR_FILE_NOT_TEXT),
        (b"\x81\x8d\x8f\x90\x9d not a spreadsheet", ERROR_FILE_NOT_TEXT),
    ],
)
def test_empty_or_binary_file_is_rejected(data, message):
    with pytest.raises(ImportFileError) as raised:
        schools_import_csv(data=data)

    assert raised.value.message == message


def test_a_cell_too_large_for_csv_rejects_the_file_with_its_line():
    data = csv_bytes(TILLEULS, with_cells(PARC, street='"' + "x" * 140_000 + '"'))

    with pytest.raises(ImportFileError) as raised:
        schools_import_csv(data=data)

    assert raised.value.message == ERROR_FILE_NOT_CSV % {"line": 3}
    assert not School.objects.exists()


def test_header_without_rows_is_rejected():
    with pytest.raises(ImportFileError) as raised:
        schools_import_csv(data=csv_bytes())

    assert raised.value.message == ERROR_FILE_NO_ROWS


def test_duplicate_official_number_in_the_file_rejects_the_second_occurrence():
    second = with_cells(TILLEULS, name="Autre école")

    report = schools_import_csv(data=csv_bytes(TILLEULS, PARC, second))

    assert [row.status for row in report.rows] == [RowStatus.CREATED, RowStatus.CREATED, RowStatus.REJECTED]
    rejected = report.rows[2]
    assert rejected.line == 4
    assert [(error.column, error.message) for error in rejected.errors] == [
        ("official_number", ERROR_DUPLICATE_NUMBER % {"value": "1001", "line": 2})
    ]
    assert School.objects.get(official_number="1001").name == "École des Tilleuls"


def test_bad_values_reject_their_row_with_line_column_and_message_and_the_rest_is_imported():
    rows = [
        TILLEULS,  # line 2
        with_cells(PARC, network="public"),  # line 3
        with_cells(PARC, official_number=" ", name="Sans numéro"),  # line 4
        with_cells(PARC, official_number="1004", email="not-an-address"),  # line 5
        with_cells(PARC, official_number="1005", in_fwb="perhaps", region="Flandre"),  # line 6
        with_cells(PARC, official_number="1006", name="x" * 201),  # line 7
        with_cells(PARC, official_number="1007", name=""),  # line 8
        [*with_cells(PARC, official_number="1008"), "surplus"],  # line 9
    ]

    report = schools_import_csv(data=csv_bytes(*rows))

    by_line = {row.line: [(error.column, error.message) for error in row.errors] for row in report.rejected}
    assert by_line == {
        3: [("network", ERROR_UNKNOWN_NETWORK % {"value": "public", "accepted": ", ".join(Network.values)})],
        4: [("official_number", str(ERROR_VALUE_REQUIRED))],
        5: [("email", ERROR_INVALID_EMAIL % {"value": "not-an-address"})],
        6: [
            ("region", ERROR_UNKNOWN_REGION % {"value": "Flandre", "accepted": ", ".join(Region.values)}),
            ("in_fwb", ERROR_NOT_YES_NO % {"value": "perhaps"}),
        ],
        7: [("name", ERROR_VALUE_TOO_LONG % {"limit": 200, "length": 201})],
        8: [("name", str(ERROR_VALUE_REQUIRED))],
        9: [("", str(ERROR_EXTRA_CELLS))],
    }
    assert report.counts == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 7}
    assert list(School.objects.values_list("official_number", flat=True)) == ["1001"]


def test_a_rejected_row_does_not_change_the_existing_school():
    schools_import_csv(data=csv_bytes(TILLEULS))
    history_before = history_count()

    report = schools_import_csv(data=csv_bytes(with_cells(TILLEULS, city="Ans", network="nope")))

    assert report.rows[0].status == RowStatus.REJECTED
    assert School.objects.get(official_number="1001").city == "Liège"
    assert history_count() == history_before


def test_line_numbers_count_blank_lines_and_multi_line_cells():
    lines = [
        ",".join(HEADER),  # line 1
        ",".join(TILLEULS),  # line 2
        "",  # line 3
        ",".join(with_cells(PARC, street='"Rue du Parc\nBoîte 2"')),  # lines 4 and 5
        ",".join(with_cells(PARC, official_number="1003", network="?")),  # line 6
    ]

    report = schools_import_csv(data="\r\n".join(lines).encode())

    assert [(row.line, row.status) for row in report.rows] == [
        (2, RowStatus.CREATED),
        (4, RowStatus.CREATED),
        (6, RowStatus.REJECTED),
    ]
    assert School.objects.get(official_number="1002").street == "Rue du Parc\nBoîte 2"


def test_dry_run_reports_everything_and_saves_nothing():
    schools_import_csv(data=csv_bytes(TILLEULS))
    schools_before, history_before = School.objects.count(), history_count()

    report = schools_import_csv(data=csv_bytes(with_cells(TILLEULS, city="Ans"), PARC), dry_run=True)

    assert report.dry_run is True
    assert [row.status for row in report.rows] == [RowStatus.UPDATED, RowStatus.CREATED]
    assert report.rows[1].school_id is None
    assert School.objects.count() == schools_before == 1
    assert School.objects.get(official_number="1001").city == "Liège"
    assert history_count() == history_before


def test_the_sample_file_imports_cleanly():
    report = schools_import_csv(data=SAMPLE.read_bytes())

    assert report.counts["rejected"] == 0
    assert report.counts["created"] == len(report.rows) >= 3
    assert School.objects.get(official_number="1001").city == "Liège"


def test_command_prints_each_row_and_a_summary(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_bytes(csv_bytes(TILLEULS, with_cells(PARC, network="public")))
    out = StringIO()

    call_command("import_schools", str(path), stdout=out)

    output = out.getvalue()
    assert "line     2  1001" in output
    assert "line     3  1002" in output
    assert str(ERROR_UNKNOWN_NETWORK % {"value": "public", "accepted": ", ".join(Network.values)}) in output
    assert "2 rows: 1 created, 0 updated, 0 unchanged, 1 rejected." in output
    assert School.objects.filter(official_number="1001").exists()


def test_command_dry_run_saves_nothing(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_bytes(csv_bytes(TILLEULS))
    out = StringIO()

    call_command("import_schools", str(path), "--dry-run", stdout=out)

    assert "Dry run: nothing was saved." in out.getvalue()
    assert not School.objects.exists()


def test_command_stops_on_a_bad_file(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_bytes(b"name;city\r\nA;B\r\n")

    with pytest.raises(CommandError, match="Missing columns: official_number, network"):
        call_command("import_schools", str(path), stdout=StringIO())


def test_command_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_schools", str(tmp_path / "nowhere.csv"), stdout=StringIO())
