"""A pupil's export: one click, a worker, a ZIP of everything about that pupil and no other."""

import datetime
import io
import json
import zipfile

from django.urls import reverse
from django.utils import timezone
import pytest

from cases.models import CaseStatus, HealthDataAccess, HealthField, PupilExport
from cases.pupil_export import pupil_exports_purge
from tests.builders.cases import make_case
from tests.builders.conventions import pdf_text
from tests.builders.privacy import SECRETS, lived_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def lived(school_a, director_a, coordinator, technician, django_capture_on_commit_callbacks):
    return lived_case(school_a, director_a, coordinator, technician, django_capture_on_commit_callbacks)


def _export(client, case, capture) -> PupilExport:
    with capture(execute=True):
        response = client.post(reverse("cases:staff_export_start", kwargs={"case_id": case.public_id}))
    export = PupilExport.objects.get(case=case)
    assert response.url == reverse("cases:staff_export", kwargs={"export_id": export.public_id})
    return export


def _archive(client, export) -> dict[str, bytes]:
    response = client.get(reverse("cases:staff_export_file", kwargs={"export_id": export.public_id}))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return {name: archive.read(name) for name in archive.namelist()}


def test_the_export_holds_everything_about_the_pupil_and_nothing_of_another(
    client, lived, school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    make_case(
        school_a,
        director_a,
        coordinator,
        CaseStatus.ELIGIBLE,
        pupil_first_name="Otherkid",
        pupil_last_name="Neighbour",
    )
    client.force_login(coordinator)
    export = _export(client, lived, django_capture_on_commit_callbacks)
    export.refresh_from_db()
    assert export.status == "done"

    files = _archive(client, export)

    assert {
        "case.json",
        "access-log.json",
        "reminders.json",
        "loans-and-visits.json",
        "documents.json",
        "tickets.json",
        "summary.pdf",
    } <= set(files)
    assert any(name.startswith("documents/") and name.endswith(".pdf") for name in files)
    case = json.loads(files["case.json"])
    assert case["case"]["pupil_last_name"] == SECRETS["last_name"]
    assert case["guardians"][0]["email"] == SECRETS["guardian_email"] and case["timeline"]
    documents = json.loads(files["documents.json"])
    assert documents["signatures"] and any(s["ip_address"] for s in documents["signatures"])
    assert json.loads(files["tickets.json"])["messages"]
    assert json.loads(files["loans-and-visits.json"])["visits"]
    reads = json.loads(files["access-log.json"])["reads"]
    assert any(r["field"] == "export" and r["user__email"] == coordinator.email for r in reads)
    summary = pdf_text(files["summary.pdf"])
    assert SECRETS["last_name"] in summary and lived.number in summary
    for name, content in files.items():
        text = pdf_text(content) if name.endswith(".pdf") else content.decode("utf-8", "replace")
        assert "Otherkid" not in text and "Neighbour" not in text, name


def test_the_export_is_logged_in_the_access_report(
    client, lived, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    _export(client, lived, django_capture_on_commit_callbacks)
    assert (
        HealthDataAccess.objects.filter(case=lived, user=coordinator, field=HealthField.EXPORT).count() == 1
    )
    page = client.get(reverse("cases:staff_privacy", kwargs={"case_id": lived.public_id})).content.decode()
    assert "Export of everything held about the pupil" in page


def test_the_progress_page_and_status_follow_the_job(client, school_a, director_a, coordinator, settings):
    case = make_case(school_a, director_a, coordinator, CaseStatus.SUBMITTED)
    export = PupilExport.objects.create(case=case, created_by=coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("cases:staff_export", kwargs={"export_id": export.public_id})).content.decode()
    assert "data-status-url" in page
    state = client.get(reverse("cases:staff_export_status", kwargs={"export_id": export.public_id})).json()
    assert state["status"] == "queued" and state["total"] >= 7


def test_the_file_goes_after_seven_days(
    client, lived, coordinator, django_capture_on_commit_callbacks, settings
):
    settings.PUPIL_EXPORT_KEEP_DAYS = 7
    client.force_login(coordinator)
    export = _export(client, lived, django_capture_on_commit_callbacks)
    export.refresh_from_db()
    stored = export.file.name
    assert pupil_exports_purge(timezone.now() + datetime.timedelta(days=6)) == {}
    assert pupil_exports_purge(timezone.now() + datetime.timedelta(days=7, minutes=1)) == {
        "pupil exports deleted": 1
    }
    assert not export.file.storage.exists(stored) and not PupilExport.objects.exists()


def test_only_coordinators_open_an_export(
    client, school_a, director_a, coordinator, technician, helpdesk_agent, director_b
):
    case = make_case(school_a, director_a, coordinator, CaseStatus.SUBMITTED)
    export = PupilExport.objects.create(case=case, created_by=coordinator, status="done")
    names = ["cases:staff_export", "cases:staff_export_status", "cases:staff_export_file"]
    for user, status in ((technician, 403), (helpdesk_agent, 403), (director_a, 404), (director_b, 404)):
        client.force_login(user)
        for name in names:
            assert client.get(reverse(name, kwargs={"export_id": export.public_id})).status_code == status
    client.logout()
    for name in names:
        assert client.get(reverse(name, kwargs={"export_id": export.public_id})).status_code == 404
    other = PupilExport.objects.create(case=case, created_by=coordinator)
    PupilExport.objects.filter(pk=other.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    client.force_login(coordinator)
    assert client.get(reverse("cases:staff_export", kwargs={"export_id": other.public_id})).status_code == 404
