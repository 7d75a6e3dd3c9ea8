"""The staff's case board: filters, search, sorting, pagination, and "needs my action"."""

from django.urls import reverse
import pytest

from cases import services
from cases.models import CaseStatus
from schools.models import Region
from tests.builders.cases import make_case, make_draft
from tests.builders.schools import make_director, make_school, make_staff

S = CaseStatus
pytestmark = pytest.mark.django_db


def _numbers(client, query="") -> list[str]:
    response = client.get(reverse("cases:staff_board") + query)
    assert response.status_code == 200
    return [case.number for case, _step in response.context["rows"]]


@pytest.fixture
def board(school_a, director_a, coordinator):
    namur = make_school(name="Athénée de Namur", region=Region.NAMUR, official_number="N0001")
    namur_director = make_director(namur, email="director.namur@example.org")
    cases = {
        "submitted": make_case(school_a, director_a, coordinator, S.SUBMITTED, pupil_last_name="Maes"),
        "active": make_case(school_a, director_a, coordinator, S.ACTIVE, pupil_last_name="Dupont"),
        "closed": make_case(namur, namur_director, coordinator, S.CLOSED, pupil_last_name="Claes"),
        "eligible": make_case(namur, namur_director, coordinator, S.ELIGIBLE, pupil_last_name="Simon"),
    }
    cases["draft"] = make_draft(school_a, director_a, pupil_last_name="Hidden")
    return cases


def test_the_board_lists_every_case_but_drafts(client, coordinator, board):
    client.force_login(coordinator)
    numbers = _numbers(client)
    assert sorted(numbers) == sorted(c.number for k, c in board.items() if k != "draft")
    assert numbers[0] == board["eligible"].number  # last changed first


def test_filter_by_state(client, coordinator, board):
    client.force_login(coordinator)
    assert _numbers(client, "?state=active") == [board["active"].number]
    assert _numbers(client, "?state=closed") == [board["closed"].number]
    assert board["closed"].number not in _numbers(client, "?state=open")


def test_filter_by_region_school_and_year(client, coordinator, board):
    client.force_login(coordinator)
    assert sorted(_numbers(client, "?region=namur")) == sorted(
        [board["closed"].number, board["eligible"].number]
    )
    assert sorted(_numbers(client, "?school=N0001")) == sorted(
        [board["closed"].number, board["eligible"].number]
    )
    assert len(_numbers(client, "?school=namur")) == 2
    year = board["active"].programme_year
    assert len(_numbers(client, f"?programme_year={year}")) == 4
    assert _numbers(client, "?programme_year=2019-2020") == []


def test_search_by_pupil_school_or_number(client, coordinator, board):
    client.force_login(coordinator)
    assert _numbers(client, "?q=dupont") == [board["active"].number]
    assert _numbers(client, "?q=simon") == [board["eligible"].number]
    assert _numbers(client, f"?q={board['submitted'].number}") == [board["submitted"].number]
    assert sorted(_numbers(client, "?q=athénée")) == sorted(
        [board["closed"].number, board["eligible"].number]
    )
    assert _numbers(client, "?q=emma+simon") == [board["eligible"].number]
    assert _numbers(client, "?q=Hidden") == []


def test_sorting_and_unknown_sorts(client, coordinator, board):
    client.force_login(coordinator)
    by_pupil = _numbers(client, "?sort=pupil")
    assert by_pupil == [board[k].number for k in ("closed", "active", "submitted", "eligible")]
    assert _numbers(client, "?sort=-pupil") == list(reversed(by_pupil))
    assert _numbers(client, "?sort=number") == sorted(by_pupil)
    assert len(_numbers(client, "?sort=drop+table")) == 4  # ignored, default order


def test_needs_my_action(client, coordinator, board, director_a):
    other = make_staff("coordinator", email="other.coordinator@example.org")
    client.force_login(coordinator)
    # Submitted (nobody's yet) and eligible (reserve a kit, mine) wait for staff;
    # active and closed do not, unless the school asked for something.
    assert sorted(_numbers(client, "?needs_action=on")) == sorted(
        [board["submitted"].number, board["eligible"].number]
    )
    services.case_request_presentation(case=board["active"], by=director_a)
    assert board["active"].number in _numbers(client, "?needs_action=on")
    client.force_login(other)
    # The other coordinator only has the case nobody took yet.
    assert _numbers(client, "?needs_action=on") == [board["submitted"].number]


def test_pagination(client, coordinator, school_a, director_a, settings):
    settings.PAGE_SIZE = 2
    for name in ("A", "B", "C"):
        make_case(school_a, director_a, coordinator, S.SUBMITTED, pupil_last_name=name)
    client.force_login(coordinator)
    assert len(_numbers(client)) == 2
    assert len(_numbers(client, "?page=2")) == 1
    assert len(_numbers(client, "?page=99")) == 1
    assert len(_numbers(client, "?page=abc")) == 2


def test_bad_filter_values_do_not_break_the_board(client, coordinator, board):
    client.force_login(coordinator)
    response = client.get(reverse("cases:staff_board") + "?state=nonsense&region=mars&programme_year=x")
    assert response.status_code == 200
    assert len(response.context["rows"]) == 4
