"""The director's dashboard and menu: cases in plain words, with what happens next."""

import datetime

from django.urls import reverse
from django.utils import formats, timezone
import pytest

from cases import services
from cases.models import CaseStatus
from tests.builders.cases import make_case, make_draft

S = CaseStatus
pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_the_school_cases_with_their_next_step(client, school_a, director_a, coordinator):
    make_draft(school_a, director_a, pupil_first_name="Lina")
    make_case(school_a, director_a, coordinator, S.DOCUMENTS_SENT, pupil_first_name="Noah")
    case = make_case(school_a, director_a, coordinator, S.DOCUMENTS_SIGNED, pupil_first_name="Zoé")
    day = timezone.localdate() + datetime.timedelta(days=10)
    services.case_plan_installation(case=case, by=coordinator, date=day)
    client.force_login(director_a)
    page = client.get(reverse("schools:dashboard")).content.decode()
    assert "Lina Peeters" in page and "Draft, not sent yet" in page
    assert (
        "The convention and the parents&#x27; engagement are being signed: see below who still has to sign."
        in page
    )
    assert f"Installation on {formats.date_format(day, 'j F')}." in page
    assert reverse("cases:new_for_school", kwargs={"school_id": school_a.pk}) in page


def test_the_dashboard_of_another_school_shows_none_of_these_cases(
    client, school_a, director_a, director_b, coordinator
):
    make_case(school_a, director_a, coordinator, S.SUBMITTED, pupil_first_name="Secret")
    client.force_login(director_b)
    page = client.get(reverse("schools:dashboard")).content.decode()
    assert "Secret" not in page
    assert "Connection requests" in page


def test_teachers_see_no_case_and_no_case_menu(client, school_a, director_a, teacher_a, coordinator):
    make_case(school_a, director_a, coordinator, S.SUBMITTED, pupil_first_name="Secret")
    client.force_login(teacher_a)
    page = client.get(reverse("schools:dashboard")).content.decode()
    assert "Secret" not in page
    assert "Connection requests" not in page
    assert 'data-testid="nav-my-cases"' not in page


def test_menus_point_to_the_cases(client, director_a, coordinator):
    client.force_login(director_a)
    page = client.get(reverse("schools:dashboard")).content.decode()
    assert reverse("cases:list") in page and reverse("cases:new") in page
    client.force_login(coordinator)
    page = client.get(reverse("cases:staff_board")).content.decode()
    assert 'data-testid="nav-cases"' in page


def test_the_director_list_shows_plain_states(client, school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, S.ACTIVE)
    client.force_login(director_a)
    page = client.get(reverse("cases:list")).content.decode()
    assert case.number in page
    assert "Connected" in page
    assert reverse("cases:detail", kwargs={"case_id": case.public_id}) in page


def test_the_case_page_shows_the_timeline_and_the_decision(client, school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, S.INELIGIBLE)
    client.force_login(director_a)
    page = client.get(reverse("cases:detail", kwargs={"case_id": case.public_id})).content.decode()
    assert "Not accepted" in page
    assert "Too short." in page
    for label in ("Request started", "Request submitted", "Review started", "Declared not eligible"):
        assert label in page
