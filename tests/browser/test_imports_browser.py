"""A 50,000-row school file through the admin in headless Chromium: the page answers at once,
a progress bar follows the worker, and the report can be downloaded."""

import re

from django.urls import reverse
import pytest

from schools.models import School
from tests.builders.schools import PASSWORD, pass_second_factor
from tests.classcontact.test_import_jobs import many_schools

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROWS = 50_000


def test_a_coordinator_imports_50000_schools_and_follows_the_progress_bar(
    page, live_server, coordinator, celery_worker_redis, tmp_path
):
    big = tmp_path / "schools.csv"
    big.write_bytes(many_schools(ROWS))
    page.goto(live_server.url + reverse("admin:schools_school_import"))
    page.locator("#id_username").fill(coordinator.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    pass_second_factor(page, coordinator.email)
    page.wait_for_url(re.compile(re.escape(reverse("admin:schools_school_import"))))

    page.locator("input[type=file]").set_input_files(str(big))
    page.locator("input[type=submit], button[type=submit]").last.click()

    page.wait_for_url(re.compile(r"/staff/imports/[0-9a-f-]{36}/$"), timeout=20_000)
    bar = page.locator("#import-progress")
    assert bar.is_visible()
    # The bar moves while the worker reads and writes the rows.
    page.wait_for_function(
        "() => { const bar = document.getElementById('import-progress'); return bar && bar.value > 0; }",
        timeout=60_000,
    )
    page.get_by_test_id("import-counts").wait_for(timeout=240_000)
    assert f"{ROWS} created" in page.get_by_test_id("import-counts").inner_text()
    assert School.objects.count() == ROWS

    with page.expect_download() as download:
        page.get_by_test_id("import-report").click()
    report = download.value.path().read_text(encoding="utf-8-sig")
    assert report.count("\n") == ROWS + 1
