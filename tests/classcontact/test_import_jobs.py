"""Imports run by a worker: the request returns at once, the job reports progress and results."""

import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
import pytest

from classcontact.import_jobs import import_job_run, import_job_start, progress_of
from classcontact.import_models import ImportJob, ImportStatus
from classcontact.storage import ERROR_FILE_EMPTY
from loans.models import Item
from schools.models import Calendar, CalendarKind, Holiday, School
from tests.schools.test_import_calendar import FULL_FILE
from tests.schools.test_import_schools import TILLEULS, csv_bytes, with_cells

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/schools/school/import/"


def many_schools(count: int) -> bytes:
    return csv_bytes(
        *(with_cells(TILLEULS, official_number=f"{n:06d}", name=f"École {n}") for n in range(count))
    )


def test_a_50000_row_file_is_accepted_and_the_request_returns_at_once(client, coordinator):
    client.force_login(coordinator)
    data = many_schools(50_000)
    started = time.monotonic()

    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("big.csv", data, content_type="text/csv")})

    assert time.monotonic() - started < 10
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("import_job", args=[job.public_id])
    assert job.status == ImportStatus.QUEUED and job.created_by == coordinator
    assert not School.objects.exists()  # the worker imports it
    page = client.get(response["Location"])
    assert 'id="import-progress"' in page.content.decode()
    status = client.get(reverse("import_job_status", args=[job.public_id])).json()
    assert status["status"] == "queued"


def test_the_worker_runs_a_job_once_and_notes_its_progress(coordinator, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("schools.csv", many_schools(1500), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = import_job_start(kind="schools", upload=upload, user=coordinator)
    assert len(callbacks) == 1  # the task is sent once the job is committed

    import_job_run(job_id=job.pk)
    assert import_job_run(job_id=job.pk) is None  # a second delivery does nothing

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.finished_at is not None
    assert job.counts["created"] == 1500 and School.objects.count() == 1500
    assert progress_of(job) == (1500, 1500)
    assert job.report.read().decode("utf-8-sig").count("\n") == 1501


def test_a_file_refused_as_a_whole_by_the_worker_fails_the_job_with_the_reason(coordinator):
    upload = SimpleUploadedFile("empty.csv", b"\n", content_type="text/csv")
    job = import_job_start(kind="schools", upload=upload, user=coordinator)

    import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.error == str(ERROR_FILE_EMPTY)
    assert not job.report


def many_items(count: int) -> bytes:
    lines = ["serial_number;category;model_name"] + [f"SN-{n:06d};keyboard;K380" for n in range(count)]
    return "\n".join(lines).encode()


def test_a_50000_row_inventory_file_is_accepted_and_the_request_returns_at_once(client, coordinator):
    client.force_login(coordinator)
    started = time.monotonic()

    response = client.post(
        "/admin/loans/item/import/",
        {"file": SimpleUploadedFile("items.csv", many_items(50_000), content_type="text/csv")},
    )

    assert time.monotonic() - started < 10
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("import_job", args=[job.public_id])
    assert (job.kind, job.status) == ("items", ImportStatus.QUEUED)
    assert not Item.objects.exists()


def test_the_worker_imports_items_and_notes_its_progress(coordinator):
    upload = SimpleUploadedFile("items.csv", many_items(250), content_type="text/csv")
    job = import_job_start(kind="items", upload=upload, user=coordinator)

    import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.counts["created"] == 250
    assert Item.objects.count() == 250 and progress_of(job) == (250, 250)
    assert job.report.read().decode("utf-8-sig").count("\n") == 251


def test_the_worker_imports_a_calendar_into_the_calendar_it_was_given(coordinator):
    calendar = Calendar.objects.create(code="fr-c", name="Zone C", kind=CalendarKind.FR_ZONE)
    upload = SimpleUploadedFile("c.ics", FULL_FILE, content_type="text/calendar")
    job = import_job_start(
        kind="calendar", upload=upload, user=coordinator, params={"calendar_id": calendar.pk}
    )

    import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.counts["created"] == 5
    assert Holiday.objects.filter(calendar=calendar).count() == 2
