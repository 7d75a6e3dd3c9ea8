"""The staff menu: one line on a 1280 px screen, every entry reachable at 1024 px, in French."""

from django.contrib.auth.models import Group
from django.urls import reverse
import pytest

from schools.models import ProgrammeRole
from tests.browser.tour import log_in, open_nav

pytestmark = [pytest.mark.browser, pytest.mark.french, pytest.mark.django_db(transaction=True)]

COORDINATOR = "coordinator@demo.classcontact.be"
# Entries of every group; staff see the mobile classroom's group on the programme's pages.
CLASSROOM_ENTRIES = ["nav-classroom-applications", "nav-classroom-sessions", "nav-classroom-decisions"]
ENTRIES = [
    "nav-staff-home",
    "nav-cases",
    "nav-documents",
    "nav-programme-dashboard",
    "nav-kits",
    "nav-availability",
    "nav-my-visits",
    "nav-helpdesk-queue",
    "nav-schools",
    "nav-lockouts",
    "nav-admin",
]


def _fits(page, width: int, entries: list[str]) -> None:
    if width == 1280:
        assert _one_line(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for testid in entries:
        assert open_nav(page, testid).get_attribute("href").startswith("/")
        page.keyboard.press("Escape")


def _one_line(page) -> bool:
    """Whether the brand, the entries and the personal menu sit on one row of the bar."""
    tops = page.eval_on_selector_all(
        ".navbar .navbar-brand, #main-nav > ul > li, #main-nav .dropdown > [data-testid=current-user]",
        "els => els.map((el) => Math.round(el.getBoundingClientRect().top))",
    )
    return max(tops) - min(tops) < 20


@pytest.fixture
def coordinator_with_every_role(demo):
    from schools.models import User

    user = User.objects.get(email=COORDINATOR)
    for role in (ProgrammeRole.ADVISER, ProgrammeRole.DECISION_MAKER):
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.mark.parametrize("width", [1280, 1024])
def test_the_staff_menu_fits_and_every_entry_opens(width, coordinator_with_every_role, page, live_server):
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, live_server, COORDINATOR)
    _fits(page, width, ENTRIES)
    page.goto(live_server.url + reverse("classrooms:review_list"))
    _fits(page, width, ENTRIES + CLASSROOM_ENTRIES)
    # A group opens with the keyboard and its current entry says so.
    open_nav(page, "nav-cases").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("nav-group-connection").evaluate(
        "el => el.classList.contains('current-group')"
    )
    assert open_nav(page, "nav-cases").get_attribute("aria-current") == "page"
