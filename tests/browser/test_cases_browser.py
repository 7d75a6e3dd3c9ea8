"""Connection requests in headless Chromium: a director asks, a coordinator decides, on desktop and phone."""

import re

from django.urls import reverse
from django.utils import timezone
import pytest

from cases.models import CaseStatus, ConnectionCase, EventKind
from cases.selectors import school_state_label
from tests.browser.tour import open_nav
from tests.builders.cases import PDF_BYTES, png_bytes
from tests.builders.schools import PASSWORD, make_class, make_teacher, pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("login"))
    page.get_by_label(re.compile("e-mail", re.IGNORECASE)).fill(email)
    page.get_by_label(re.compile("mot de passe|password", re.IGNORECASE)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("connexion|log in", re.IGNORECASE)).last.click()
    pass_second_factor(page, email)


def fill_request(page, *, certificate: tuple[str, str, bytes] | None):
    page.locator("#id_pupil_first_name").fill("Emma")
    page.locator("#id_pupil_last_name").fill("Peeters")
    page.locator("#id_pupil_birth_date").fill("2015-03-14")
    page.locator("#id_school_class").select_option(label="P5")
    page.locator("input[name=teachers]").first.check()
    page.locator("#id_absence_start").fill(timezone.localdate().isoformat())
    page.locator("#id_absence_end_unknown").check()
    page.locator("input[name=reason_category][value=accident]").check()
    if certificate:
        name, mime, content = certificate
        page.locator("#id_certificate").set_input_files({"name": name, "mimeType": mime, "buffer": content})
    page.locator("#id_home_street").fill("Rue Haute 1")
    page.locator("#id_home_postcode").fill("1000")
    page.locator("#id_home_city").fill("Bruxelles")
    page.locator("input[name=home_has_internet][value=yes]").check()
    page.locator("#id_guardian1_first_name").fill("Sophie")
    page.locator("#id_guardian1_last_name").fill("Peeters")
    page.locator("#id_guardian1_email").fill("sophie@example.org")
    page.locator("#id_guardians_agree").check()


def plain_state(case) -> str:
    """The state as the director reads it, in the language the page is shown in."""
    return str(school_state_label(case))


def test_director_requests_coordinator_decides_director_sees_it(
    page, live_server, school_a, director_a, coordinator
):
    make_class(school_a, "P5")
    make_teacher(school_a, email="teacher.p5@example.org")

    log_in(page, live_server, director_a.email)
    page.get_by_test_id("nav-new-case").click()
    page.wait_for_url(live_server.url + reverse("cases:new_for_school", kwargs={"school_id": school_a.pk}))
    fill_request(page, certificate=("certificat.pdf", "application/pdf", PDF_BYTES))
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))

    case = ConnectionCase.objects.get()
    assert case.status == CaseStatus.SUBMITTED
    assert case.certificate.name.endswith(".pdf")
    assert page.get_by_test_id("case-state").inner_text() == plain_state(case)
    assert case.number in page.content()

    log_in(page, live_server, coordinator.email)
    open_nav(page, "nav-cases").click()
    page.get_by_role("link", name=case.number).click()
    page.get_by_role("button", name=re.compile("start the review", re.IGNORECASE)).click()
    form = page.get_by_test_id("eligibility-form")
    form.locator("#id_eligibility-school_in_fwb").check()
    form.locator("#id_eligibility-medical_reason").check()
    form.locator("input[name='eligibility-decision'][value=eligible]").check()
    form.locator("#id_eligibility-reason").fill("Bienvenue dans le programme.")
    form.get_by_role("button").click()
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.status == CaseStatus.ELIGIBLE
    assert not case.certificate
    assert page.get_by_test_id("case-state").inner_text() == case.get_status_display()

    log_in(page, live_server, director_a.email)
    page.goto(live_server.url + reverse("cases:detail", kwargs={"case_id": case.public_id}))
    assert page.get_by_test_id("case-state").inner_text() == plain_state(case)
    assert page.get_by_text("Bienvenue dans le programme.").first.is_visible()
    assert case.events.filter(kind=EventKind.CERTIFICATE_DELETED).exists()


def test_the_request_form_on_a_phone(phone_page, live_server, school_a, director_a):
    page = phone_page
    make_class(school_a, "P5")
    make_teacher(school_a, email="teacher.p5@example.org")
    log_in(page, live_server, director_a.email)
    page.goto(live_server.url + reverse("cases:new_for_school", kwargs={"school_id": school_a.pk}))

    def no_horizontal_scroll():
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width

    no_horizontal_scroll()
    fill_request(page, certificate=("photo.png", "image/png", png_bytes()))
    no_horizontal_scroll()
    submit = page.locator("button[name=action][value=submit]")
    submit.scroll_into_view_if_needed()
    box = submit.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    submit.click()
    page.wait_for_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    no_horizontal_scroll()
    case = ConnectionCase.objects.get()
    assert case.status == CaseStatus.SUBMITTED
    assert case.certificate.name.endswith(".png")
    assert page.get_by_test_id("case-state").inner_text() == plain_state(case)


def test_bad_input_on_a_phone_is_shown_next_to_the_field(phone_page, live_server, school_a, director_a):
    page = phone_page
    make_class(school_a, "P5")
    log_in(page, live_server, director_a.email)
    page.goto(live_server.url + reverse("cases:new_for_school", kwargs={"school_id": school_a.pk}))
    page.locator("#id_pupil_first_name").fill("Léa")
    page.locator("#id_certificate").set_input_files(
        {"name": "certificat.pdf", "mimeType": "application/pdf", "buffer": b"not really a pdf at all"}
    )
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_pupil_first_name").input_value() == "Léa"
    assert page.locator("#id_certificate").evaluate("el => el.classList.contains('is-invalid')")
    assert page.locator("#id_pupil_last_name").evaluate("el => el.classList.contains('is-invalid')")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert ConnectionCase.objects.count() == 0
