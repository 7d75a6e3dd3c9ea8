"""WCAG 2.1 AA across the portal: every role's pages, in French, on a desktop and on a phone.

axe-core runs on each page through the ``page`` and ``phone_page`` fixtures (see ``axe.py``);
this tour makes sure each role's main pages are among the pages visited.
"""

import io
import re

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
import pytest

from schools.demo import DEMO_USERS
from tests.browser.axe import AxeAudit
from tests.conventions.builders import make_ready_case

pytestmark = [pytest.mark.browser, pytest.mark.french, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "demo"
LIST_PAGES_DETAIL_LINK = "main table tbody a[href^='/']:not([href*='?'])"
ANONYMOUS_PAGES = ["login", "password_reset", "verify"]


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())


def log_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("login"))
    page.get_by_label(re.compile("e-mail", re.IGNORECASE)).fill(email)
    page.get_by_label(re.compile("mot de passe", re.IGNORECASE)).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("connexion", re.IGNORECASE)).last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def main_pages(page, live_server) -> list[str]:
    """The navbar's entries (folded or not), then the first detail page each list leads to."""
    entries = page.eval_on_selector_all(
        "#main-nav a.nav-link:not([data-testid=nav-admin])", "links => links.map((a) => a.getAttribute('href'))"
    )
    pages = list(dict.fromkeys(entries))
    for entry in entries:
        page.goto(live_server.url + entry)
        first = page.locator(LIST_PAGES_DETAIL_LINK).first
        if first.count():
            pages.append(first.get_attribute("href"))
    return list(dict.fromkeys(pages))


@pytest.mark.parametrize("tab", ["page", "phone_page"])
@pytest.mark.parametrize("email", [user[0] for user in DEMO_USERS if user[0] != "director.namur@demo.classcontact.be"])
def test_each_roles_main_pages_meet_wcag_21_aa(request, tab, email, demo, live_server):
    page = request.getfixturevalue(tab)
    log_in(page, live_server, email)
    assert page.locator("html").get_attribute("lang") == "fr"
    for path in main_pages(page, live_server):
        page.goto(live_server.url + path)
        fits(page)
    # The axe check runs as the fixture ends; a page that fails it fails this test.


@pytest.mark.parametrize("tab", ["page", "phone_page"])
def test_anonymous_and_parent_pages_meet_wcag_21_aa(
    request, tab, live_server, school_a, director_a, coordinator
):
    from conventions import services

    page = request.getfixturevalue(tab)
    services.ensure_default_templates()
    case = make_ready_case(school_a, director_a, coordinator)
    services.documents_send(case=case, by=coordinator)
    message = next(m for m in mail.outbox if re.search(r"/sign/[0-9a-f-]{36}/", m.body))
    signing_path = re.search(r"(/sign/[0-9a-f-]{36}/[A-Za-z0-9_-]{43,}/)", message.body).group(1)

    for name in ANONYMOUS_PAGES:
        page.goto(live_server.url + reverse(name))
        fits(page)
    page.goto(live_server.url + signing_path)
    fits(page)
    page.goto(live_server.url + signing_path[:-5] + "xxxx/")  # an unknown link
    fits(page)
    # A refused login shows the summary of its errors.
    page.goto(live_server.url + reverse("login"))
    page.get_by_role("button", name=re.compile("connexion", re.IGNORECASE)).last.click()
    page.get_by_test_id("error-summary").wait_for()
    fits(page)


def test_the_axe_check_reports_a_violation_with_its_page_rule_and_element(browser, live_server):
    context = browser.new_context()
    audit = AxeAudit(context).watch()
    page = context.new_page()
    low_contrast = '<!doctype html><html lang="fr"><title>t</title><main><p style="color:#bbb">pâle</p></main>'
    page.route(f"{live_server.url}/pale/", lambda route: route.fulfill(body=low_contrast, content_type="text/html"))
    page.goto(f"{live_server.url}/pale/")
    page.goto(live_server.url + reverse("login"))  # waits for the check of the pale page
    audit.finish()
    context.close()
    assert f"{live_server.url}/pale/" in audit.checked
    assert any("color-contrast" in problem and "/pale/" in problem for problem in audit.problems), audit.problems
