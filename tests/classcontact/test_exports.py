"""Staff lists as CSV and XLSX: each list's rows and filters, formula cells, long exports made by
a worker, and who may export."""

import csv
import datetime
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
import pytest

from cases.models import CaseStatus
from classcontact.export_jobs import export_jobs_purge, export_progress
from classcontact.export_models import ExportJob, JobStatus
from helpdesk.models import Category
from loans.models import LoanStatus
from tests.builders.cases import make_case
from tests.builders.helpdesk import build_calendar, open_ticket
from tests.builders.loans import installed_case, make_kit, make_kit_type
from tests.builders.schools import make_staff, make_user

pytestmark = pytest.mark.django_db
S = CaseStatus

EXPORTS = {
    "cases": "cases:staff_board_export",
    "kits": "loans:availability_export",
    "loans": "loans:loan_list_export",
    "visits": "loans:visit_list_export",
    "tickets": "helpdesk:staff_queue_export",
}


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(body(response))).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def export(client, kind: str, fmt: str = "csv", query: str = ""):
    return client.get(reverse(EXPORTS[kind], kwargs={"fmt": fmt}) + query)


@pytest.fixture
def cases(school_a, director_a, coordinator):
    return {
        "active": make_case(school_a, director_a, coordinator, S.ACTIVE, pupil_last_name="Dupont"),
        "submitted": make_case(school_a, director_a, coordinator, S.SUBMITTED, pupil_last_name="Maes"),
        "formula": make_case(
            school_a, director_a, coordinator, S.SUBMITTED, pupil_last_name='=HYPERLINK("http://x","y")'
        ),
    }


# --- each list, with the page's filters ------------------------------------------------------


def test_the_case_board_exports_its_rows_with_its_filters(client, coordinator, cases):
    client.force_login(coordinator)

    rows = csv_rows(export(client, "cases"))
    assert rows[0][:3] == ["Number", "Pupil's last name", "Pupil's first name"]
    assert sorted(row[0] for row in rows[1:]) == sorted(case.number for case in cases.values())

    only_active = csv_rows(export(client, "cases", query="?state=active&page=3"))  # the page is ignored
    assert [row[0] for row in only_active[1:]] == [cases["active"].number]
    assert only_active[1][7] == "Active"

    searched = xlsx_rows(export(client, "cases", "xlsx", "?q=maes"))
    assert [row[0] for row in searched[1:]] == [cases["submitted"].number]
    assert isinstance(searched[1][9], datetime.datetime)  # a date cell, not text


def test_formula_cells_are_neutralised_in_csv_and_xlsx(client, coordinator, cases):
    client.force_login(coordinator)
    query = f"?q={cases['formula'].number}"

    (row,) = csv_rows(export(client, "cases", query=query))[1:]
    assert row[1] == '\'=HYPERLINK("http://x","y")'

    response = export(client, "cases", "xlsx", query)
    sheet = load_workbook(io.BytesIO(body(response))).active
    cell = sheet.cell(row=2, column=2)
    assert cell.value == '\'=HYPERLINK("http://x","y")' and cell.data_type == "s"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_kits_export_what_the_availability_search_finds(client, coordinator):
    kit_type = make_kit_type("connection")
    near, far = make_kit(kit_type, code="CK-0001"), make_kit(kit_type, code="CK-0002", region="namur")
    client.force_login(coordinator)
    today = timezone.localdate().isoformat()

    rows = csv_rows(export(client, "kits", query=f"?kit_type={kit_type.pk}&start={today}&region=namur"))

    assert [row[0] for row in rows[1:]] == [far.code, near.code]  # nearest first, as on the page
    assert rows[1][1] == kit_type.name and rows[1][6] == "4"
    assert csv_rows(export(client, "kits"))[1:] == []  # no search, no kit


def test_loans_export_with_the_state_filter(client, coordinator, school_a, director_a, technician):
    _case, lent = installed_case(school_a, director_a, coordinator, technician)
    client.force_login(coordinator)

    assert [row[0] for row in csv_rows(export(client, "loans"))[1:]] == [lent.kit.code]
    assert csv_rows(export(client, "loans", query=f"?status={LoanStatus.RETURNED}"))[1:] == []
    rows = xlsx_rows(export(client, "loans", "xlsx", f"?status={LoanStatus.LENT}"))
    assert rows[1][:2] == [lent.kit.code, lent.kit.kit_type.name] and rows[1][4] == "Lent"


def test_visits_export_as_the_page_a_technician_sees_only_theirs(
    client, coordinator, technician, school_a, director_a
):
    installed_case(school_a, director_a, coordinator, technician)
    other = make_staff("technician", email="other.technician@example.org")
    client.force_login(coordinator)
    rows = csv_rows(export(client, "visits", query="?when=all"))
    assert [row[2] for row in rows[1:]] == ["Installation in the classroom"]
    assert csv_rows(export(client, "visits", query="?when=all&kind=retrieval"))[1:] == []

    client.force_login(other)
    assert csv_rows(export(client, "visits", query="?when=all"))[1:] == []


def test_tickets_export_with_the_queue_filters(client, coordinator, school_a, director_a):
    build_calendar()
    hardware = open_ticket(school_a, director_a)
    software = open_ticket(school_a, director_a, subject="Mot de passe", category=Category.SOFTWARE)
    client.force_login(coordinator)

    rows = csv_rows(export(client, "tickets"))
    assert sorted(row[0] for row in rows[1:]) == sorted([hardware.reference, software.reference])
    assert rows[0][6] == "Target" and rows[1][6] in {"On time", "Due soon", "Late"}

    rows = xlsx_rows(export(client, "tickets", "xlsx", f"?category={Category.SOFTWARE}"))
    assert [row[0] for row in rows[1:]] == [software.reference]


# --- long exports: a worker makes the file ------------------------------------------------------


def test_a_long_export_runs_in_a_job_with_a_progress_page_and_a_download(
    client, coordinator, cases, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_STREAM_MAX_ROWS = 2
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = export(client, "cases", "xlsx", "?state=&sort=number")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("export_job", args=[job.public_id])
    assert (job.kind, job.format, job.status, job.total_rows) == ("cases", "xlsx", JobStatus.QUEUED, 3)
    assert job.params == {"state": [""], "sort": ["number"]}
    page = client.get(response["Location"]).content.decode()
    assert 'id="export-progress"' in page and "js/job-progress.js" in page
    assert client.get(reverse("export_job_status", args=[job.public_id])).json()["status"] == "queued"

    for callback in callbacks:  # the worker's turn
        callback()

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and export_progress(job) == (3, 3)
    assert client.get(reverse("export_job_status", args=[job.public_id])).json()["status"] == "done"
    assert 'data-testid="export-file"' in client.get(response["Location"]).content.decode()
    rows = xlsx_rows(client.get(reverse("export_job_file", args=[job.public_id])))
    assert [row[0] for row in rows[1:]] == sorted(case.number for case in cases.values())


def test_only_the_person_who_asked_may_follow_or_download_a_job(client, coordinator, cases, settings):
    settings.EXPORT_STREAM_MAX_ROWS = 1
    client.force_login(coordinator)
    export(client, "cases", "csv")
    job = ExportJob.objects.get()
    superuser = make_user(email="root@example.org", is_staff=True, is_superuser=True)

    for person in (make_staff("coordinator", email="colleague@example.org"), superuser):
        client.force_login(person)
        for name in ("export_job", "export_job_status", "export_job_file"):
            assert client.get(reverse(name, args=[job.public_id])).status_code == 404
    client.logout()
    assert client.get(reverse("export_job_file", args=[job.public_id])).status_code == 302


def test_a_csv_job_is_made_by_the_worker_as_the_page_would(client, coordinator, cases, settings):
    settings.EXPORT_STREAM_MAX_ROWS = 1
    client.force_login(coordinator)
    with_callbacks = export(client, "cases", "csv", "?state=submitted")
    job = ExportJob.objects.get()
    from classcontact.export_jobs import export_job_run

    assert export_job_run(job_id=job.pk).status == JobStatus.DONE
    assert export_job_run(job_id=job.pk) is None  # a second delivery does nothing
    assert with_callbacks.status_code == 302
    rows = csv_rows(client.get(reverse("export_job_file", args=[job.public_id])))
    assert sorted(row[0] for row in rows[1:]) == sorted([cases["submitted"].number, cases["formula"].number])


def test_the_worker_refuses_a_job_whose_starter_lost_the_right(client, coordinator, cases, settings):
    settings.EXPORT_STREAM_MAX_ROWS = 1
    client.force_login(coordinator)
    export(client, "cases", "csv")
    job = ExportJob.objects.get()
    coordinator.groups.clear()
    from classcontact.export_jobs import export_job_run

    job = export_job_run(job_id=job.pk)
    assert job.status == JobStatus.FAILED and "no longer" in job.error and not job.file


def test_old_exports_are_deleted_with_their_files(client, coordinator, cases, settings):
    settings.EXPORT_STREAM_MAX_ROWS = 1
    client.force_login(coordinator)
    export(client, "cases", "csv")
    job = ExportJob.objects.get()
    from classcontact.export_jobs import export_job_run

    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)

    assert export_jobs_purge(now=timezone.now() + datetime.timedelta(days=settings.EXPORT_KEEP_DAYS - 1)) == 0
    assert export_jobs_purge(now=timezone.now() + datetime.timedelta(days=settings.EXPORT_KEEP_DAYS + 1)) == 1
    assert not ExportJob.objects.exists() and not storage.exists(name)


# --- who may export ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", EXPORTS)
@pytest.mark.parametrize("persona", ["coordinator", "technician", "helpdesk_agent", "read_only_staff"])
def test_staff_whose_role_views_the_list_may_export_it(client, request, kind, persona):
    build_calendar()
    client.force_login(request.getfixturevalue(persona))
    assert export(client, kind, "xlsx").status_code == 200


@pytest.mark.parametrize("kind", EXPORTS)
def test_outsiders_may_not_export(client, kind, director_a, teacher_a):
    assert export(client, kind).status_code == 302  # anonymous: to the login page
    for person in (director_a, teacher_a, make_user(email="no.role@example.org", is_staff=True)):
        client.force_login(person)
        assert export(client, kind).status_code == 403
    client.force_login(make_staff("coordinator", email="c2@example.org"))
    assert export(client, kind, "pdf").status_code == 404


def test_the_list_pages_link_to_their_exports_with_their_filters(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("cases:staff_board") + "?state=active&page=2").content.decode()
    assert 'href="/cases/staff/export.xlsx?state=active"' in page
    for name in ("loans:loan_list", "loans:visit_list", "helpdesk:staff_queue"):
        assert 'data-testid="export-xlsx"' in client.get(reverse(name)).content.decode()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_a_long_export(
    client, coordinator, school_a, director_a, settings, celery_worker_redis
):
    import time

    settings.EXPORT_STREAM_MAX_ROWS = 1
    numbers = [make_case(school_a, director_a, coordinator, S.SUBMITTED).number for _ in range(3)]
    client.force_login(coordinator)

    response = export(client, "cases", "csv", "?state=submitted")

    job = ExportJob.objects.get()
    assert response.status_code == 302
    deadline = time.monotonic() + 30
    while job.status in (JobStatus.QUEUED, JobStatus.RUNNING) and time.monotonic() < deadline:
        time.sleep(0.2)
        job.refresh_from_db()
    assert job.status == JobStatus.DONE
    rows = csv_rows(client.get(reverse("export_job_file", args=[job.public_id])))
    assert sorted(row[0] for row in rows[1:]) == sorted(numbers)
