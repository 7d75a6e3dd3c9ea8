"""Wide content on a 320px screen: it scrolls inside its box, never the page (WCAG 1.4.10)."""

from django.urls import reverse
import pytest

from tests.builders.loans import make_kit, make_kit_type
from tests.builders.schools import PASSWORD, pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.french, pytest.mark.django_db(transaction=True)]


def test_the_kit_calendar_scrolls_inside_its_box_at_320px(browser, page, live_server, coordinator):
    kit_type = make_kit_type()
    for code in ("CK-0001", "CK-0002", "CK-0003"):
        make_kit(kit_type, code=code, items=False)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + reverse("login"))
    page.locator("#id_username").fill(coordinator.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    pass_second_factor(page, coordinator.email)

    page.goto(live_server.url + reverse("loans:calendar", kwargs={"kit_type_id": kit_type.pk}))

    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    box = page.get_by_test_id("kit-calendar").locator("xpath=..")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")  # the calendar does scroll, in its box
    assert box.get_attribute("tabindex") == "0"  # so a keyboard can scroll it
    assert box.get_attribute("role") == "region" and box.get_attribute("aria-label")
