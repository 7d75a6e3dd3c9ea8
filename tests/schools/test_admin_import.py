"""The admin's import pages (schools from CSV, calendars from .ics) and the schools admin."""

import csv
import io

from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
import pytest
from pytest_django.asserts import assertContains, assertNotContains

from classcontact.import_models import ImportJob, ImportStatus
from classcontact.storage import ERROR_FILE_EMPTY, ERROR_FILE_TOO_LARGE
from schools.calendar_import import ERROR_ICS_INVALID, EventStatus, calendars_import_ics
from schools.imports import (
    ERROR_FILE_NOT_TEXT,
    ERROR_MISSING_COLUMNS,
    ERROR_UNKNOWN_NETWORK,
    RowStatus,
    schools_import_csv,
)
from schools.models import (
    Calendar,
    CalendarKind,
    Holiday,
    Invitation,
    Membership,
    Network,
    School,
    SchoolClass,
    SchoolYear,
    User,
)
from tests.builders.schools import make_class
from tests.schools.test_import_calendar import AUTUMN, FULL_FILE, ics
from tests.schools.test_import_schools import PARC, TILLEULS, csv_bytes, with_cells

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/schools/school/import/"


@pytest.fixture(autouse=True)
def _english():
    """Django's own form messages are compared in English; ours have English sources."""
    with translation.override("en"):
        yield


@pytest.fixture
def en_client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def fwb():
    return Calendar.objects.create(name="FWB", code="fwb", kind=CalendarKind.FWB, is_default=True)


def upload(name: str, data: bytes, *, dry_run: bool = False) -> dict:
    fields = {"file": SimpleUploadedFile(name, data, content_type="text/csv")}
    if dry_run:
        fields["dry_run"] = "on"
    return fields


def assert_form_error(response, message) -> None:
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert str(message) in errors
    assertContains(response, escape(str(message)))


def test_import_url_is_the_admin_one():
    assert reverse("admin:schools_school_import") == IMPORT_URL


# --- school import: who may use it ------------------------------------------------------


def test_coordinator_sees_the_import_button_on_the_school_list(en_client, coordinator):
    en_client.force_login(coordinator)

    response = en_client.get(reverse("admin:schools_school_changelist"))

    assertContains(response, f'href="{IMPORT_URL}"')
    assertContains(response, "Import from CSV")


def test_read_only_staff_sees_no_import_button_and_is_refused(en_client, read_only_staff):
    en_client.force_login(read_only_staff)

    listing = en_client.get(reverse("admin:schools_school_changelist"))
    page = en_client.get(IMPORT_URL)
    post = en_client.post(IMPORT_URL, upload("schools.csv", csv_bytes(TILLEULS)))

    assert listing.status_code == 200
    assertNotContains(listing, IMPORT_URL)
    assert (page.status_code, post.status_code) == (403, 403)
    assert not School.objects.exists()


def test_coordinator_gets_the_import_form(en_client, coordinator):
    en_client.force_login(coordinator)

    response = en_client.get(IMPORT_URL)

    assert response.status_code == 200
    assertContains(response, 'enctype="multipart/form-data"')
    assertContains(response, 'name="file"')
    assertContains(response, 'name="dry_run"')
    assertContains(response, "official_number, name, network")
    assertNotContains(response, 'id="import-report"')


def request(client, method: str):
    if method == "post":
        return client.post(IMPORT_URL, upload("schools.csv", csv_bytes(TILLEULS)))
    return client.get(IMPORT_URL)


@pytest.mark.parametrize("method", ["get", "post"])
def test_director_is_sent_to_the_admin_login(en_client, director_a, method):
    en_client.force_login(director_a)

    response = request(en_client, method)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not School.objects.filter(official_number="1001").exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_the_admin_login(en_client, method):
    response = request(en_client, method)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not School.objects.exists()


# --- school import: what it does --------------------------------------------------------


@pytest.fixture
def import_file(en_client, django_capture_on_commit_callbacks):
    """Posts a file to the admin's import; the worker's task runs (inline) once the request has
    committed; returns the import's page."""

    def run(data: bytes, *, dry_run: bool = False):
        with django_capture_on_commit_callbacks(execute=True):
            posted = en_client.post(IMPORT_URL, upload("schools.csv", data, dry_run=dry_run))
        job = ImportJob.objects.latest("created_at")
        assert posted.status_code == 302
        assert posted["Location"] == reverse("import_job", args=[job.public_id])
        return en_client.get(posted["Location"])

    return run


def report_rows(en_client, page) -> list[list[str]]:
    response = en_client.get(reverse("import_job_report", args=[page.context["job"].public_id]))
    assert response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_coordinator_imports_a_file_and_sees_the_report(en_client, coordinator, import_file):
    en_client.force_login(coordinator)
    data = csv_bytes(TILLEULS, PARC, with_cells(PARC, official_number="1003", network="public"))

    page = import_file(data)

    assert page.status_code == 200
    assert set(School.objects.values_list("official_number", flat=True)) == {"1001", "1002"}
    job = page.context["job"]
    assert (job.status, job.created_by) == ("done", coordinator)
    assert job.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    assertContains(page, "2 created, 0 updated, 0 unchanged, 1 rejected.")
    rows = report_rows(en_client, page)
    assert rows[0] == ["line", "reference", "name", "result", "details"]
    assert [row[1] for row in rows[1:]] == ["1001", "1002", "1003"]
    assert (
        str(ERROR_UNKNOWN_NETWORK % {"value": "public", "accepted": ", ".join(Network.values)}) in rows[3][4]
    )
    tilleuls = School.objects.get(official_number="1001")
    assert tilleuls.history.get().history_user == coordinator


def test_importing_the_same_file_again_through_the_admin_changes_nothing(en_client, coordinator, import_file):
    en_client.force_login(coordinator)
    data = csv_bytes(TILLEULS, PARC)
    import_file(data)
    history_before = School.history.model.objects.count()

    page = import_file(data)

    assert page.context["job"].counts["unchanged"] == 2
    assert School.objects.count() == 2
    assert School.history.model.objects.count() == history_before


def test_admin_dry_run_saves_nothing(en_client, coordinator, import_file):
    en_client.force_login(coordinator)

    page = import_file(csv_bytes(TILLEULS), dry_run=True)

    assert page.status_code == 200
    assert page.context["job"].counts["created"] == 1
    assertContains(page, "Dry run: nothing is saved")
    assert not School.objects.exists()


def test_the_import_page_is_its_starters_only(en_client, coordinator, import_file):
    from tests.builders.schools import make_staff

    en_client.force_login(coordinator)
    page = import_file(csv_bytes(TILLEULS))
    job = page.context["job"]
    en_client.force_login(make_staff("coordinator", email="other.coordinator@example.org"))
    for name in ("import_job", "import_job_status", "import_job_report"):
        assert en_client.get(reverse(name, args=[job.public_id])).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", ERROR_FILE_EMPTY),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", ERROR_FILE_NOT_TEXT),
        (b"\x00\xff\xfe\x81\x8d" * 200, ERROR_FILE_NOT_TEXT),
        (b"name;city\r\nA;B\r\n", ERROR_MISSING_COLUMNS),
    ],
)
def test_bad_upload_gives_a_form_error_not_a_server_error(en_client, coordinator, data, message):
    if message is ERROR_MISSING_COLUMNS:  # formatted here, in the language of the test
        message = message % {
            "columns": "official_number, network, street, postcode, district, region, in_fwb, email"
        }
    en_client.force_login(coordinator)

    response = en_client.post(IMPORT_URL, upload("schools.csv", data))

    assert_form_error(response, message)
    assert not ImportJob.objects.exists()
    assert not School.objects.exists()


def test_missing_file_gives_a_form_error(en_client, coordinator):
    en_client.force_login(coordinator)

    response = en_client.post(IMPORT_URL, {"dry_run": "on"})

    assert_form_error(response, "This field is required.")


def test_too_large_upload_gives_a_form_error(en_client, coordinator, settings):
    settings.IMPORT_MAX_BYTES = 1024
    en_client.force_login(coordinator)

    response = en_client.post(IMPORT_URL, upload("schools.csv", csv_bytes(*[TILLEULS] * 20)))

    assert_form_error(response, ERROR_FILE_TOO_LARGE % {"limit": 1})
    assert not School.objects.exists()


# --- calendar import --------------------------------------------------------------------


def calendar_import_url(calendar) -> str:
    return reverse("admin:schools_calendar_import_ics", args=[calendar.pk])


def test_calendar_page_has_an_import_button(en_client, coordinator, fwb):
    en_client.force_login(coordinator)

    response = en_client.get(reverse("admin:schools_calendar_change", args=[fwb.pk]))

    assertContains(response, f'href="{calendar_import_url(fwb)}"')
    assertContains(response, reverse("admin:schools_calendar_history", args=[fwb.pk]))


def post_calendar(en_client, calendar, data: bytes, capture, *, dry_run: bool = False):
    """Posts an .ics file to the calendar's import; the worker's task runs (inline) after the
    request has committed; returns the import's page."""
    with capture(execute=True):
        posted = en_client.post(calendar_import_url(calendar), upload("fwb.ics", data, dry_run=dry_run))
    job = ImportJob.objects.latest("created_at")
    assert posted.status_code == 302
    assert posted["Location"] == reverse("import_job", args=[job.public_id])
    assert (job.kind, job.params) == ("calendar", {"calendar_id": calendar.pk})
    return en_client.get(posted["Location"])


def test_coordinator_imports_an_ics_file_into_a_calendar(
    en_client, coordinator, fwb, django_capture_on_commit_callbacks
):
    en_client.force_login(coordinator)

    form = en_client.get(calendar_import_url(fwb))
    page = post_calendar(en_client, fwb, FULL_FILE, django_capture_on_commit_callbacks)

    assert form.status_code == 200
    assert page.context["job"].counts["created"] == 5
    assertContains(page, "5 created, 0 updated, 0 unchanged, 0 rejected.")
    assert SchoolYear.objects.get(calendar=fwb).label == "2026-2027"
    assert Holiday.objects.filter(calendar=fwb).count() == 2
    rows = report_rows(en_client, page)
    assert rows[0] == ["line", "reference", "name", "result", "details"]
    assert "Congé d'automne" in [row[2] for row in rows[1:]]
    assert Holiday.objects.filter(calendar=fwb).first().history.get().history_user == coordinator


def test_calendar_import_returns_before_the_worker_runs(en_client, coordinator, fwb):
    en_client.force_login(coordinator)

    response = en_client.post(calendar_import_url(fwb), upload("fwb.ics", FULL_FILE))

    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportStatus.QUEUED
    assert not Holiday.objects.exists()


def test_calendar_import_dry_run_saves_nothing(
    en_client, coordinator, fwb, django_capture_on_commit_callbacks
):
    en_client.force_login(coordinator)

    page = post_calendar(en_client, fwb, ics(AUTUMN), django_capture_on_commit_callbacks, dry_run=True)

    assert page.context["job"].counts["created"] == 1
    assert not Holiday.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", ERROR_FILE_EMPTY),
        (b"\x89PNG\r\n\x1a\n\x00\x00", ERROR_ICS_INVALID),
        (b"not a calendar", ERROR_ICS_INVALID),
    ],
)
def test_bad_ics_upload_gives_a_form_error(en_client, coordinator, fwb, data, message):
    en_client.force_login(coordinator)

    response = en_client.post(calendar_import_url(fwb), upload("fwb.ics", data))

    assert_form_error(response, message)
    assert not Holiday.objects.exists() and not ImportJob.objects.exists()


def test_calendar_import_of_an_unknown_calendar_is_404(en_client, coordinator):
    en_client.force_login(coordinator)

    response = en_client.get(reverse("admin:schools_calendar_import_ics", args=[999999]))

    assert response.status_code == 404


def test_calendar_import_is_refused_to_staff_who_may_not_change_calendars(en_client, technician, fwb):
    en_client.force_login(technician)

    response = en_client.post(calendar_import_url(fwb), upload("fwb.ics", ics(AUTUMN)))

    assert response.status_code == 403
    assert not Holiday.objects.exists()


@pytest.mark.parametrize("who", ["director", "anonymous"])
def test_calendar_import_sends_non_staff_to_the_admin_login(en_client, director_a, fwb, who):
    if who == "director":
        en_client.force_login(director_a)

    response = en_client.post(calendar_import_url(fwb), upload("fwb.ics", ics(AUTUMN)))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not Holiday.objects.exists()


# --- schools admin: staff history link, history views, date hierarchy --------------------


def test_school_change_page_links_to_the_staff_history_page(en_client, coordinator, school_a):
    en_client.force_login(coordinator)

    response = en_client.get(reverse("admin:schools_school_change", args=[school_a.pk]))
    staff_page = en_client.get(reverse("schools:staff_history", args=[school_a.pk]))

    assertContains(response, f'href="{reverse("schools:staff_history", args=[school_a.pk])}"')
    assert staff_page.status_code == 200


def _objects_with_history(coordinator, school_a, director_a, fwb):
    calendars_import_ics(calendar=fwb, data=FULL_FILE, user=coordinator)
    invitation = Invitation.objects.create(
        email="new@example.org", school=school_a, role="teacher", token_hash="0" * 64, invited_by=coordinator
    )
    return {
        "school": school_a,
        "user": director_a,
        "membership": Membership.objects.get(user=director_a),
        "schoolclass": make_class(school_a),
        "calendar": fwb,
        "schoolyear": SchoolYear.objects.get(calendar=fwb),
        "holiday": Holiday.objects.filter(calendar=fwb).first(),
        "invitation": invitation,
    }


@pytest.mark.parametrize(
    "model_name",
    ["school", "user", "membership", "schoolclass", "calendar", "schoolyear", "holiday", "invitation"],
)
def test_history_pages_of_the_schools_admin_work(
    en_client, coordinator, school_a, director_a, fwb, model_name
):
    obj = _objects_with_history(coordinator, school_a, director_a, fwb)[model_name]
    record = obj.history.latest("history_date")
    en_client.force_login(coordinator)

    listing = en_client.get(reverse(f"admin:schools_{model_name}_history", args=[obj.pk]))
    version = en_client.get(
        reverse(f"admin:schools_{model_name}_simple_history", args=[obj.pk, record.history_id])
    )

    assert listing.status_code == 200
    assertContains(
        listing, reverse(f"admin:schools_{model_name}_simple_history", args=[obj.pk, record.history_id])
    )
    assert version.status_code == 200


def test_school_history_shows_the_import_and_its_author(en_client, coordinator):
    schools_import_csv(data=csv_bytes(TILLEULS), user=coordinator)
    schools_import_csv(data=csv_bytes(with_cells(TILLEULS, city="Ans")), user=coordinator)
    school = School.objects.get(official_number="1001")
    en_client.force_login(coordinator)

    response = en_client.get(reverse("admin:schools_school_history", args=[school.pk]))

    assertContains(response, "Directory import (CSV)", count=2)
    assertContains(response, str(coordinator))
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize(
    ("model_name", "drill_down"),
    [
        ("school", "created_at__year"),
        ("membership", "created_at__year"),
        ("invitation", "created_at__year"),
        ("schoolyear", "start__year"),
        ("holiday", "start__year"),
    ],
)
def test_changelists_with_a_date_hierarchy_load_and_drill_down(
    en_client, coordinator, school_a, director_a, fwb, model_name, drill_down
):
    objects = _objects_with_history(coordinator, school_a, director_a, fwb)
    en_client.force_login(coordinator)
    url = reverse(f"admin:schools_{model_name}_changelist")
    year = getattr(objects[model_name], drill_down.split("__")[0]).year

    listing = en_client.get(url)
    drilled = en_client.get(url, {drill_down: year})

    assert listing.status_code == drilled.status_code == 200
    assertContains(listing, 'class="toplinks"')
    assert drilled.context["cl"].result_count >= 1


def test_school_class_and_user_changelists_still_load(en_client, coordinator, school_a):
    make_class(school_a)
    en_client.force_login(coordinator)

    for model in (SchoolClass, User):
        response = en_client.get(reverse(f"admin:schools_{model._meta.model_name}_changelist"))
        assert response.status_code == 200


@pytest.mark.parametrize("status_class", [RowStatus, EventStatus])
def test_import_results_read_as_results_in_french_not_as_dates(status_class):
    with translation.override("fr"):
        labels = {status.value: str(status.label) for status in status_class}

    assert labels == {
        "created": "créé",
        "updated": "mis à jour",
        "unchanged": "inchangé",
        "rejected": "rejeté",
    }
