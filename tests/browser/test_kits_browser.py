"""Kits in headless Chromium: a coordinator reserves a kit and plans the installation, the
technician marks it done on a phone, and the case becomes active."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone
import pytest

from cases import services as case_services
from cases.models import CaseStatus
from loans.models import InventoryState, LoanStatus, Visit, VisitStatus, holder_filter
from schools.models import Region
from tests.builders.loans import eligible_case, make_kit, make_kit_type
from tests.builders.schools import PASSWORD, pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("login"))
    page.get_by_label(re.compile("e-mail", re.IGNORECASE)).fill(email)
    page.get_by_label(re.compile("mot de passe|password", re.IGNORECASE)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("connexion|log in", re.IGNORECASE)).last.click()
    pass_second_factor(page, email)


def test_coordinator_reserves_and_plans_technician_installs_on_a_phone_case_becomes_active(
    page, phone_page, live_server, school_a, director_a, coordinator, technician
):
    kit_type = make_kit_type()
    make_kit(kit_type, code="CK-LIEGE", region=Region.LIEGE)
    make_kit(kit_type, code="CK-BXL", region=Region.BRUSSELS)
    case = eligible_case(school_a, director_a, coordinator)

    # The coordinator finds the free kits, nearest first, and reserves one.
    log_in(page, live_server, coordinator.email)
    page.goto(live_server.url + reverse("cases:case_assign", args=[case.public_id]))
    rows = page.get_by_test_id("free-kit-row")
    assert rows.count() == 2
    assert "CK-BXL" in rows.first.inner_text()
    page.get_by_test_id("reserve-CK-BXL").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("case-kit-code").inner_text() == "CK-BXL"
    case.refresh_from_db()
    assert case.status == CaseStatus.KIT_ASSIGNED

    # The convention and the parents' engagement are signed (the signatures' own pages).
    case = case_services.case_mark_documents_sent(case=case, by=coordinator)
    case_services.case_mark_documents_signed(case=case, by=None)

    # The coordinator plans the installation from the case's kit page.
    page.reload()
    page.get_by_test_id("plan-visit-link").click()
    day = timezone.localdate() + datetime.timedelta(days=3)
    form = page.get_by_test_id("visit-plan-form")
    form.locator("#id_kind").select_option("installation")
    form.locator("#id_technician").select_option(str(technician.pk))
    form.locator("#id_day").fill(day.isoformat())
    form.locator("#id_time").fill("09:30")
    form.get_by_role("button", name=re.compile("plan the visit", re.IGNORECASE)).click()
    page.wait_for_load_state()
    assert page.get_by_test_id("case-state").inner_text() == str(CaseStatus.INSTALLATION_PLANNED.label)
    visit = Visit.objects.get(**holder_filter(case))
    assert visit.technician == technician and timezone.localtime(visit.starts_at).hour == 9

    # On site, the technician opens their visits on a phone and marks the installation done.
    phone = phone_page
    log_in(phone, live_server, technician.email)
    phone.goto(live_server.url + reverse("loans:my_visits"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_test_id(f"agenda-visit-{visit.pk}").click()
    phone.wait_for_load_state()
    completion = phone.get_by_test_id("visit-complete-form")
    for label in ("Every item of the kit is there", "Test call between the classroom and home"):
        completion.get_by_label(re.compile(label, re.IGNORECASE)).check()
    completion.get_by_label(re.compile("users trained", re.IGNORECASE)).check()
    completion.get_by_label(re.compile("user guide handed over", re.IGNORECASE)).check()
    completion.get_by_label(re.compile("room where the kit", re.IGNORECASE)).fill("Classe P5")
    # Planned three days ahead: marking it done today asks why.
    completion.get_by_label(re.compile("before its day", re.IGNORECASE)).fill("The school was free earlier.")
    completion.get_by_role("button", name=re.compile("mark done", re.IGNORECASE)).click()
    phone.wait_for_load_state()
    assert phone.get_by_test_id("visit-state").inner_text() == str(VisitStatus.DONE.label)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    case.refresh_from_db()
    loan = case.loans.get()
    assert case.status == CaseStatus.ACTIVE
    assert loan.status == LoanStatus.LENT
    assert loan.kit.state == InventoryState.LENT and loan.kit.room == "Classe P5"

    # The coordinator sees the case active.
    page.goto(live_server.url + reverse("cases:case_logistics", args=[case.public_id]))
    assert page.get_by_test_id("case-state").inner_text() == str(CaseStatus.ACTIVE.label)


def test_a_technician_checks_a_kit_in_on_a_phone_right_after_the_retrieval(
    phone_page, live_server, school_a, director_a, coordinator, technician
):
    from tests.builders.loans import retrieval_planned_case

    case, loan = retrieval_planned_case(school_a, director_a, coordinator, technician)
    visit = loan.visits.get(kind="retrieval")
    items = list(loan.kit.items.order_by("category", "serial_number"))
    phone = phone_page
    log_in(phone, live_server, technician.email)

    phone.goto(live_server.url + reverse("loans:visit_detail", args=[visit.pk]))
    completion = phone.get_by_test_id("visit-complete-form")
    completion.get_by_label(re.compile("before its day", re.IGNORECASE)).fill("The family left earlier.")
    completion.get_by_role("button", name=re.compile("mark done", re.IGNORECASE)).click()
    phone.wait_for_url(f"**{reverse('loans:loan_check_in', args=[loan.pk])}")

    form = phone.get_by_test_id("check-in-form")
    assert form.locator("input[type=radio]:checked").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    for item in items[1:]:
        phone.get_by_test_id(f"check-row-{item.serial_number}").get_by_label("Present and working").check()
    form.get_by_role("button", name=re.compile("check in", re.IGNORECASE)).click()
    phone.wait_for_load_state()
    assert "Say whether this item is back and working." in phone.content()
    phone.get_by_test_id(f"check-row-{items[0].serial_number}").get_by_label("Missing").check()
    phone.get_by_test_id("check-in-form").get_by_role(
        "button", name=re.compile("check in", re.IGNORECASE)
    ).click()
    phone.wait_for_url(f"**{reverse('loans:loan_detail', args=[loan.pk])}")

    loan.refresh_from_db()
    items[0].refresh_from_db()
    assert loan.status == LoanStatus.RETURNED and items[0].state == InventoryState.LOST
