"""Every link of the kit panel on a case page opens for the person who sees the panel."""

import re

from django.urls import reverse
import pytest

from tests.builders.loans import case_with_kit, installed_case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["director_a", "coordinator"])
@pytest.mark.parametrize("stage", ["reserved", "installed"])
def test_the_kit_panel_links_open_for_whoever_sees_them(
    client, school_a, director_a, coordinator, technician, persona, stage, request
):
    if stage == "reserved":
        case, _loan = case_with_kit(school_a, director_a, coordinator)
    else:
        case, _loan = installed_case(school_a, director_a, coordinator, technician)
    user = request.getfixturevalue(persona)
    client.force_login(user)
    page_name = "cases:staff_detail" if user.is_staff else "cases:detail"
    page = client.get(reverse(page_name, kwargs={"case_id": case.public_id})).content.decode()
    panel = page[page.index('data-testid="case-kit-panel"') :]
    panel = panel[: panel.index("</section>")]
    links = re.findall(r'href="(/cases/kits/[^"]+)"', panel)
    if user.is_staff or stage == "installed":
        assert links, "the panel links to the case's kit and visits"
    for link in links:
        assert client.get(link).status_code == 200, link
