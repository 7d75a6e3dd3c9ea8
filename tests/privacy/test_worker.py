"""With a real Celery worker and Redis: a pupil's export made end to end, and the daily purge."""

import io
import zipfile

import pytest

from cases.models import CaseStatus, PupilExport
from cases.services import pupil_export_start
from cases.tasks import purge_expired
from tests.builders.cases import make_case
from tests.faults.parts import wait_for


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_pupils_export(celery_worker_redis, school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, CaseStatus.UNDER_REVIEW, pupil_last_name="Workerkid")

    export = pupil_export_start(case=case, by=coordinator)  # commits: the task goes to Redis

    assert wait_for(lambda: PupilExport.objects.filter(pk=export.pk, status="done").exists())
    export.refresh_from_db()
    with export.file.open("rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    assert "case.json" in names and "summary.pdf" in names


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_daily_purge_runs_in_the_worker(celery_worker_redis):
    assert purge_expired.delay().get(timeout=60) == {}
