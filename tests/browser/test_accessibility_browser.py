"""WCAG 2.1 AA across the portal: every role's pages, in French, on a desktop and on a phone.

axe-core runs on each page through the ``page`` and ``phone_page`` fixtures (see ``axe.py``);
this tour makes sure each role's main pages are among the pages visited.
"""

import re

from django.core import mail
from django.urls import reverse
import pytest

from tests.browser.axe import AxeAudit
from tests.browser.tour import fits, walk_main_pages
from tests.builders.conventions import make_ready_case

pytestmark = [pytest.mark.browser, pytest.mark.french, pytest.mark.django_db(transaction=True)]

ANONYMOUS_PAGES = ["login", "password_reset", "verify"]
SCHOOL_ROLES = ["director.tilleuls@demo.classcontact.be", "teacher.tilleuls@demo.classcontact.be"]


@pytest.mark.parametrize("email", SCHOOL_ROLES)
def test_school_roles_pages_meet_wcag_21_aa_on_desktop_and_phone(email, demo, page, phone_page, live_server):
    walk_main_pages(page, live_server, email)
    walk_main_pages(phone_page, live_server, email)
    # axe runs on each page through the fixtures; any violation fails this test.


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
    low_contrast = (
        '<!doctype html><html lang="fr"><title>t</title><main><p style="color:#bbb">pâle</p></main>'
    )
    page.route(
        f"{live_server.url}/pale/", lambda route: route.fulfill(body=low_contrast, content_type="text/html")
    )
    page.goto(f"{live_server.url}/pale/")
    page.goto(live_server.url + reverse("login"))  # waits for the check of the pale page
    audit.finish()
    context.close()
    assert f"{live_server.url}/pale/" in audit.checked
    assert any("color-contrast" in problem and "/pale/" in problem for problem in audit.problems), (
        audit.problems
    )
