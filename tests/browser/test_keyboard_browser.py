"""Keyboard only: a parent signs the engagement and a director sends a connection request.

No click: Tab moves the focus, Space ticks, arrows choose, typing fills, Enter sends. At every step
the focused element must show a ring of at least 3:1 against what lies behind it (WCAG 2.4.7, 1.4.11).
"""

import datetime
import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone
import pytest

from cases.models import CaseStatus, ConnectionCase
from conventions.models import DocumentKind, SignatureStatus
from tests.builders.conventions import make_ready_case
from tests.builders.schools import PASSWORD, make_class, make_teacher

pytestmark = [pytest.mark.browser, pytest.mark.french, pytest.mark.django_db(transaction=True)]

MAX_TABS = 120

# The ring's colour against the background it is drawn on: the element's own when the ring is
# inside it (negative offset), else the first opaque background behind it.
FOCUS_RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const opaque = (start) => {
    for (let node = start; node; node = node.parentElement) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ring = rgb(style.outlineColor).slice(0, 3);
  const behind = parseFloat(style.outlineOffset) < 0 ? opaque(el) : opaque(el.parentElement);
  const [hi, lo] = [lum(ring), lum(behind)].sort((a, b) => b - a);
  return {
    element: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.name ? "[name=" + el.name + "]" : ""),
    style: style.outlineStyle, width: parseFloat(style.outlineWidth), ratio: (hi + 0.05) / (lo + 0.05),
  };
}"""


def assert_focus_visible(page) -> str:
    # Inside a date field Tab moves between day, month and year: the field has the focus within.
    page.wait_for_function("() => document.activeElement.matches(':focus, :focus-within')", timeout=2000)
    ring = page.evaluate(FOCUS_RING)
    assert ring["style"] != "none" and ring["width"] >= 2, f"no focus ring on {ring['element']}: {ring}"
    assert ring["ratio"] >= 3, f"focus ring of {ring['element']} is {ring['ratio']:.2f}:1"
    return ring["element"]


def tab_to(page, selector: str) -> None:
    """Press Tab until the element matching ``selector`` has the focus, checking the ring at each stop."""
    if page.evaluate("(s) => document.activeElement.matches(s)", selector):
        assert_focus_visible(page)
        return
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        assert_focus_visible(page)
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never took the focus from the keyboard")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def tick(page, selector: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")


def choose(page, selector: str, wanted: str) -> None:
    """A radio group or a select: arrows move the choice until ``wanted`` (a value or a label)."""
    tab_to(page, selector)
    for _ in range(20):
        chosen = page.evaluate(
            "() => { const el = document.activeElement; return el.tagName === 'SELECT' ?"
            " [el.value, el.selectedOptions[0]?.text] : [el.value, el.checked ? el.value : null]; }"
        )
        if wanted in chosen and (chosen[1] is not None):
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{wanted} cannot be chosen with the arrows in {selector}")


def focus_on_summary(page) -> None:
    page.wait_for_function("() => document.activeElement.dataset.testid === 'error-summary'", timeout=5000)
    assert_focus_visible(page)


def date_keys(page, day: datetime.date) -> str:
    """The keys that type ``day`` into a date field: its order of day and month is the browser's own."""
    page.evaluate(
        "() => { const probe = document.createElement('input'); probe.type = 'date'; probe.id = 'date-probe'; document.body.append(probe); }"
    )
    page.locator("#date-probe").press_sequentially("01022003")
    order = page.evaluate(
        "() => { const probe = document.getElementById('date-probe'); probe.remove(); return probe.value; }"
    )
    return day.strftime("%d%m%Y" if order == "2003-02-01" else "%m%d%Y")


def log_in_by_keyboard(page, live_server, email) -> None:
    page.goto(live_server.url + reverse("login"))
    type_into(page, "#id_username", email)
    type_into(page, "#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_parent_signs_the_engagement_with_the_keyboard_alone(
    page, live_server, school_a, director_a, coordinator
):
    from conventions import services

    services.ensure_default_templates()
    case = make_ready_case(school_a, director_a, coordinator)
    services.documents_send(case=case, by=coordinator)
    message = next(m for m in mail.outbox if re.search(r"/sign/[0-9a-f-]{36}/", m.body))
    path = re.search(r"(/sign/[0-9a-f-]{36}/[A-Za-z0-9_-]{43,}/)", message.body).group(1)
    engagement = case.documents.get(kind=DocumentKind.ENGAGEMENT)

    page.goto(live_server.url + path)
    tab_to(page, "[data-testid=document-pdf]")
    # Sent with a box left unticked: refused, and the focus goes to the summary of the errors.
    tab_to(page, "[data-testid=sign-button]")
    page.keyboard.press("Enter")
    summary = page.get_by_test_id("error-summary")
    summary.wait_for()
    focus_on_summary(page)
    first_error = summary.get_by_role("link").first
    target = first_error.get_attribute("href")
    tab_to(page, "[data-testid=error-summary] a")
    page.keyboard.press("Enter")
    assert page.evaluate("'#' + document.activeElement.id") == target

    boxes = page.locator("input[type=checkbox][name^=commitment_]")
    for index in range(boxes.count()):
        tick(page, f"input[name={boxes.nth(index).get_attribute('name')}]")
    type_into(page, "#id_typed_name", "Sophie Peeters")
    tab_to(page, "[data-testid=sign-button]")
    page.keyboard.press("Enter")
    page.get_by_test_id("signed-thanks").wait_for()

    signature = engagement.signatures.get()
    assert signature.status == SignatureStatus.SIGNED
    assert signature.typed_name == "Sophie Peeters"


def test_a_director_sends_a_connection_request_with_the_keyboard_alone(
    page, live_server, school_a, director_a
):
    make_class(school_a, "P5")
    make_teacher(school_a, email="teacher.p5@example.org")
    today = timezone.localdate()

    log_in_by_keyboard(page, live_server, director_a.email)
    tab_to(page, "[data-testid=nav-new-case]")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("cases:new_for_school", kwargs={"school_id": school_a.pk}))
    birth_keys, start_keys = date_keys(page, datetime.date(2015, 3, 14)), date_keys(page, today)

    # Sent empty: refused, the focus is on the summary, whose first link leads to its field.
    tab_to(page, "button[name=action][value=submit]")
    page.keyboard.press("Enter")
    page.get_by_test_id("error-summary").wait_for()
    focus_on_summary(page)
    target = page.get_by_test_id("error-summary").get_by_role("link").first.get_attribute("href")
    tab_to(page, "[data-testid=error-summary] a")
    page.keyboard.press("Enter")
    assert page.evaluate("'#' + document.activeElement.id") == target

    type_into(page, "#id_pupil_first_name", "Emma")
    type_into(page, "#id_pupil_last_name", "Peeters")
    type_into(page, "#id_pupil_birth_date", birth_keys)
    choose(page, "#id_school_class", "P5")
    tick(page, "input[name=teachers]")
    type_into(page, "#id_absence_start", start_keys)
    tick(page, "#id_absence_end_unknown")
    choose(page, "input[name=reason_category]", "accident")
    type_into(page, "#id_home_street", "Rue Haute 1")
    type_into(page, "#id_home_postcode", "1000")
    type_into(page, "#id_home_city", "Bruxelles")
    choose(page, "input[name=home_has_internet]", "yes")
    type_into(page, "#id_guardian1_first_name", "Sophie")
    type_into(page, "#id_guardian1_last_name", "Peeters")
    type_into(page, "#id_guardian1_email", "sophie@example.org")
    tick(page, "#id_guardians_agree")
    tab_to(page, "button[name=action][value=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    errors = page.get_by_test_id("error-summary")
    assert not errors.count(), errors.inner_text()
    assert re.search(r"/cases/[0-9a-f-]{36}/$", page.url)

    case = ConnectionCase.objects.get()
    assert case.status == CaseStatus.SUBMITTED
    assert (case.pupil_first_name, case.pupil_birth_date) == ("Emma", datetime.date(2015, 3, 14))
    assert case.reason_category == "accident"
