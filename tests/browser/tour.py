"""A walk through a role's main pages of the demo, as the accessibility tests take it."""

import re

from django.urls import reverse

from tests.builders.schools import pass_second_factor

DEMO_PASSWORD = "demo"
LIST_PAGES_DETAIL_LINK = "main table tbody a[href^='/']:not([href*='?'])"


def log_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("login"))
    page.get_by_label(re.compile("e-mail", re.IGNORECASE)).fill(email)
    page.get_by_label(re.compile("mot de passe", re.IGNORECASE)).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("connexion", re.IGNORECASE)).last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    pass_second_factor(page, email)


def fits(page) -> None:
    page.wait_for_load_state()  # after a click, the next page may still be on its way
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def open_nav(page, testid: str):
    """The navbar's entry ``testid``, made visible: the menu unfolded on a phone, its group
    opened when it sits in one."""
    entry = page.get_by_test_id(testid)
    toggler = page.locator("button.navbar-toggler[aria-controls=main-nav]")
    if not entry.is_visible() and toggler.is_visible():
        toggler.click()
        page.locator("#main-nav.show").wait_for()
    if not entry.is_visible():
        page.locator(f".dropdown:has([data-testid={testid}]) > [data-bs-toggle=dropdown]").click()
    entry.wait_for(state="visible")
    return entry


def main_pages(page, live_server) -> list[str]:
    """The navbar's entries (folded or not), then the first detail page each list leads to."""
    entries = page.eval_on_selector_all(
        "#main-nav a:is(.nav-link, .dropdown-item):not([data-testid=nav-admin])",
        "links => links.map((a) => a.getAttribute('href'))",
    )
    pages = list(dict.fromkeys(entries))
    for entry in entries:
        page.goto(live_server.url + entry)
        first = page.locator(LIST_PAGES_DETAIL_LINK).first
        if first.count():
            pages.append(first.get_attribute("href"))
    return list(dict.fromkeys(pages))


def walk_main_pages(page, live_server, email) -> None:
    log_in(page, live_server, email)
    assert page.locator("html").get_attribute("lang") == "fr"
    for path in main_pages(page, live_server):
        page.goto(live_server.url + path)
        fits(page)
