"""The foundation seen through headless Chromium: logging in, switching language, the admin, phones."""

import re

from django.urls import reverse
import pytest

from tests.builders.schools import PASSWORD, pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, email, path=None):
    page.goto(live_server.url + (path or reverse("login")))
    page.get_by_label(re.compile("e-mail", re.IGNORECASE)).fill(email)
    page.get_by_label(re.compile("mot de passe|password", re.IGNORECASE)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("connexion|log in", re.IGNORECASE)).last.click()
    pass_second_factor(page, email)


def failed_static(page) -> list[str]:
    failures = []
    page.on(
        "response",
        lambda response: (
            failures.append(f"{response.status} {response.url}")
            if "/static/" in response.url and response.status >= 400
            else None
        ),
    )
    return failures


@pytest.mark.french
def test_director_logs_in_sees_their_school_and_switches_language(page, live_server, director_a, school_a):
    failures = failed_static(page)
    bootstrap = []
    page.on("response", lambda r: bootstrap.append(r.status) if r.url.endswith("bootstrap.min.css") else None)
    log_in(page, live_server, "Director.A@example.org")

    page.wait_for_url(live_server.url + reverse("schools:dashboard"))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", name=school_a.name).is_visible()
    assert bootstrap and all(status == 200 for status in bootstrap)
    navbar_colour = page.locator("nav.navbar").evaluate("el => getComputedStyle(el).backgroundColor")
    assert navbar_colour == "rgb(11, 92, 171)"  # Bootstrap and portal.css are both applied

    english = page.get_by_test_id("switch-language-en")
    assert english.inner_text() == "English"
    english.click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.url == live_server.url + reverse("schools:dashboard")
    assert page.get_by_role("heading", name=school_a.name).is_visible()
    assert page.get_by_test_id("nav-dashboard").inner_text() == "My school"
    french = page.get_by_test_id("switch-language-fr")
    assert french.inner_text() == "Français"

    french.click()
    page.wait_for_function("document.documentElement.lang === 'fr'")
    assert page.get_by_test_id("switch-language-en").is_visible()
    assert page.get_by_role("heading", name=school_a.name).is_visible()
    assert failures == []


def test_director_logs_out(page, live_server, director_a):
    log_in(page, live_server, "director.a@example.org")
    page.wait_for_url(live_server.url + reverse("schools:dashboard"))
    page.get_by_test_id("current-user").click()
    page.get_by_test_id("logout-form").get_by_role("button").click()
    page.wait_for_url(re.compile(re.escape(live_server.url + reverse("login"))))
    page.goto(live_server.url + reverse("schools:dashboard"))
    assert page.url.startswith(live_server.url + reverse("login"))


def test_coordinator_logs_into_the_admin_and_sees_the_schools(page, live_server, coordinator, school_a):
    failures = failed_static(page)
    page.goto(live_server.url + reverse("admin:login"))
    page.locator("#id_username").fill("coordinator@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    pass_second_factor(page, "coordinator@example.org")
    page.wait_for_url(live_server.url + reverse("admin:index"))
    schools_link = page.locator(f'a[href="{reverse("admin:schools_school_changelist")}"]').first
    assert schools_link.is_visible()
    schools_link.click()
    page.wait_for_url(live_server.url + reverse("admin:schools_school_changelist"))
    assert page.get_by_role("link", name=school_a.name).is_visible()
    header_colour = page.locator("#header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert header_colour == "rgb(11, 92, 171)"
    back = page.get_by_test_id("back-to-portal")
    assert back.get_attribute("href") == reverse("home")
    assert failures == []


def assert_no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide"


def test_login_page_and_dashboard_fit_a_390px_phone(phone_page, live_server, director_a, school_a):
    failures = failed_static(phone_page)
    phone_page.goto(live_server.url + reverse("login"))
    assert phone_page.viewport_size["width"] == 390
    assert_no_horizontal_scroll(phone_page)
    log_in(phone_page, live_server, "director.a@example.org")
    phone_page.wait_for_url(live_server.url + reverse("schools:dashboard"))
    assert_no_horizontal_scroll(phone_page)
    assert phone_page.get_by_role("heading", name=school_a.name).is_visible()
    # On a phone the menu folds behind a labelled button that opens it.
    toggler = phone_page.locator("button.navbar-toggler[aria-controls=main-nav]")
    assert toggler.is_visible()
    toggler.click()
    phone_page.get_by_test_id("nav-dashboard").wait_for(state="visible")
    assert_no_horizontal_scroll(phone_page)
    phone_page.goto(live_server.url + reverse("schools:detail", kwargs={"school_id": school_a.pk}))
    assert_no_horizontal_scroll(phone_page)
    assert failures == []


def test_staff_pages_fit_a_390px_phone(phone_page, live_server, coordinator, school_a):
    log_in(phone_page, live_server, "coordinator@example.org")
    phone_page.wait_for_url(live_server.url + reverse("staff_home"))
    for name in ("staff_home", "schools:staff_school_list", "schools:staff_lockouts"):
        phone_page.goto(live_server.url + reverse(name))
        assert_no_horizontal_scroll(phone_page)
