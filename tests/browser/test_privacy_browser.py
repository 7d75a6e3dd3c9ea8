"""Data protection in headless Chromium (axe audits every page): a coordinator puts a case on
legal hold, exports everything about the pupil and downloads the archive; a parent reads the
page on their child's data."""

import datetime
import zipfile

from django.urls import reverse
from django.utils import timezone
import pytest

from cases.models import CaseStatus, ConnectionCase
from tests.browser.test_kits_browser import log_in
from tests.builders.cases import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_holds_a_case_and_exports_its_pupil(
    page, live_server, school_a, director_a, coordinator, tmp_path
):
    case = make_case(school_a, director_a, coordinator, CaseStatus.WITHDRAWN, pupil_last_name="Lambeau")
    ConnectionCase.objects.filter(pk=case.pk).update(closed_at=timezone.now() - datetime.timedelta(days=3))
    log_in(page, live_server, coordinator.email)
    page.goto(live_server.url + reverse("cases:staff_detail", kwargs={"case_id": case.public_id}))
    assert "Personal data erased on" in page.get_by_test_id("retention-status").inner_text()
    page.get_by_test_id("privacy-page-link").click()
    page.wait_for_load_state()

    page.get_by_test_id("hold-button").click()  # no reason: refused, the field says why
    page.wait_for_load_state()
    assert "This field is required." in page.content()
    page.get_by_label("Reason for the legal hold").fill("Insurance dispute.")
    page.get_by_test_id("hold-button").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("retention-status").inner_text() == "Kept: legal hold."

    page.get_by_test_id("export-button").click()
    page.wait_for_url("**/staff/exports/**")
    with page.expect_download() as download:
        page.get_by_test_id("export-file").click()
    path = tmp_path / "export.zip"
    download.value.save_as(path)
    assert "summary.pdf" in zipfile.ZipFile(path).namelist()
    page.goto(live_server.url + reverse("cases:staff_privacy", kwargs={"case_id": case.public_id}))
    assert page.get_by_test_id("access-row").count() >= 1


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_parent_reads_the_page_on_their_childs_data(phone_page, live_server, language):
    phone_page.goto(live_server.url + reverse("sign:privacy", kwargs={"language": language}))
    assert phone_page.locator("h1").is_visible()
    phone_page.get_by_test_id("other-language").click()
    phone_page.wait_for_load_state()
    assert phone_page.locator("html").get_attribute("lang") == ("en" if language == "fr" else "fr")
