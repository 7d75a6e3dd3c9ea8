"""The programme's dashboard and the exports in headless Chromium: the charts show with their
tables, and an XLSX export of the filtered case board opens back with the expected rows."""

import datetime

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
import pytest

from cases.models import CaseStatus
from tests.browser.test_kits_browser import log_in
from tests.browser.tour import open_nav
from tests.builders.cases import backdate, make_case
from tests.builders.helpdesk import build_calendar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = CaseStatus


def test_coordinator_reads_the_dashboard_charts_and_exports_the_board_as_xlsx(
    page, live_server, school_a, director_a, coordinator, tmp_path
):
    build_calendar()
    connected = make_case(school_a, director_a, coordinator, S.ACTIVE, pupil_last_name="Dupont")
    month_ago = timezone.now() - datetime.timedelta(days=30)
    backdate(connected, submitted_at=month_ago, activated_at=month_ago + datetime.timedelta(days=12))
    waiting = make_case(school_a, director_a, coordinator, S.SUBMITTED, pupil_last_name="=1+2")
    maes = make_case(school_a, director_a, coordinator, S.SUBMITTED, pupil_last_name="Maes")

    log_in(page, live_server, coordinator.email)
    open_nav(page, "nav-programme-dashboard").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("chart-active").locator("svg").is_visible()
    # The last two months, whatever the school year (the form's own fields).
    page.locator("#id_programme_year").select_option("")
    page.locator("#id_start").fill((timezone.localdate() - datetime.timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    for chart in ("chart-active", "chart-requests", "chart-kits", "chart-helpdesk"):
        figure = page.get_by_test_id(chart)
        assert figure.locator("svg").is_visible()
        assert figure.locator("figcaption").is_visible()
        assert figure.locator("table").count() == 1
    assert page.locator("svg rect").count() > 0  # bars were drawn
    assert page.get_by_test_id("waiting-median").inner_text() == "12.0 days"

    # The board filtered on submitted requests, exported as XLSX.
    page.goto(live_server.url + reverse("cases:staff_board") + "?state=submitted&sort=number")
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    path = tmp_path / "cases.xlsx"
    download.value.save_as(path)

    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Number", "Pupil's last name", "Pupil's first name")
    assert [row[:2] for row in rows[1:]] == sorted([(waiting.number, "'=1+2"), (maes.number, "Maes")])
    assert connected.number not in [row[0] for row in rows[1:]]  # the filter held
