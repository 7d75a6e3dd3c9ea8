"""The connection programme's dashboard: who sees it, each figure, and its fixed query budget."""

import datetime

from django.urls import reverse
from django.utils import timezone
import pytest

from cases.dashboard import Period, percentile, programme_figures, waiting_times
from cases.models import CaseStatus
from helpdesk.figures import ticket_figures_refresh
from helpdesk.models import Ticket
from helpdesk.selectors import helpdesk_figures
from schools.models import Region
from tests.builders.cases import backdate, make_case
from tests.builders.helpdesk import build_calendar, open_ticket
from tests.builders.loans import eligible_case, make_kit, make_kit_type, past_loan
from tests.builders.schools import make_director, make_school, make_user

pytestmark = pytest.mark.django_db

URL = reverse("programme_dashboard")
S = CaseStatus
PERIOD = "?start=2025-09-01&end=2026-06-30"


def at(day: str, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour))
    )


@pytest.fixture
def programme(school_a, director_a, coordinator):
    """Three pupils connected during the school year 2025-2026 (10, 20 and 40 days after their
    request) in Brussels and Namur; one connection ended in November; one request still waits."""
    namur = make_school(name="Athénée de Namur", region=Region.NAMUR)
    namur_director = make_director(namur, email="director.namur@example.org")
    ended = make_case(school_a, director_a, coordinator, S.CLOSED)
    backdate(ended, submitted_at=at("2025-09-01"), activated_at=at("2025-09-11"), ended_at=at("2025-11-15"))
    brussels = make_case(school_a, director_a, coordinator, S.ACTIVE)
    backdate(brussels, submitted_at=at("2025-10-01"), activated_at=at("2025-10-21"))
    in_namur = make_case(namur, namur_director, coordinator, S.ACTIVE)
    backdate(in_namur, submitted_at=at("2025-12-01"), activated_at=at("2026-01-10"))
    waiting = make_case(namur, namur_director, coordinator, S.SUBMITTED)
    backdate(waiting, submitted_at=at("2026-02-01"))
    return {"ended": ended, "brussels": brussels, "namur": in_namur, "waiting": waiting}


def period() -> Period:
    return Period(start=datetime.date(2025, 9, 1), end=datetime.date(2026, 6, 30))


def test_connections_in_force_by_region_and_month(programme):
    figures = programme_figures(period())

    assert figures.months[0] == datetime.date(2025, 9, 1) and len(figures.months) == 10
    # September to June: the first pupil from September to November, the second from October.
    assert figures.active_by_region[Region.BRUSSELS] == [1, 2, 2, 1, 1, 1, 1, 1, 1, 1]
    assert figures.active_by_region[Region.NAMUR] == [0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
    assert figures.active_by_region[Region.LIEGE] == [0] * 10


def test_time_from_request_to_connection_median_and_90th_percentile(programme):
    waiting = programme_figures(period()).waiting

    assert waiting.count == 3
    assert waiting.median == 20.0
    assert waiting.p90 == 36.0  # 20 + 0.8 × (40 − 20), interpolated as percentile_cont does
    assert waiting_times(period()) == waiting  # PostgreSQL's percentile_cont agrees


def test_percentile_interpolates_between_ranks():
    assert percentile([], 0.5) is None
    assert percentile([4.0], 0.9) == 4.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5


def test_requests_by_state_of_the_period_and_year(programme):
    counts = {state: n for state, _label, n in programme_figures(period()).requests_by_state}
    assert counts[S.CLOSED] == 1 and counts[S.ACTIVE] == 2 and counts[S.SUBMITTED] == 1
    assert S.DRAFT not in counts

    other_year = Period(start=period().start, end=period().end, programme_year="2019-2020")
    assert sum(n for _s, _l, n in programme_figures(other_year).requests_by_state) == 0
    assert programme_figures(other_year).waiting.count == 0


def test_kit_use_is_the_share_of_kit_days_lent(school_a, director_a, coordinator):
    kit_type = make_kit_type("connection")
    lent, idle = make_kit(kit_type), make_kit(kit_type)
    case = eligible_case(school_a, director_a, coordinator)
    # Lent from August (before the period) to 30 September: 30 days of the period.
    past_loan(case, lent, start=datetime.date(2025, 8, 15), end=datetime.date(2025, 9, 30), by=coordinator)

    (use,) = programme_figures(period()).kit_use

    assert (use.kit_type, use.kits, use.days_lent) == (kit_type, 2, 30)
    assert use.days_available == 2 * 303  # two kits over the 303 days of the period
    assert use.share == round(100 * 30 / 606, 1)
    assert idle.state != "retired"


def test_helpdesk_targets_met_missed_late_and_running(school_a, director_a, coordinator):
    build_calendar()
    on_time, answered_late, never_answered = (open_ticket(school_a, director_a) for _ in range(3))
    Ticket.objects.filter(pk__in=[on_time.pk, answered_late.pk, never_answered.pk]).update(
        created_at=at("2025-10-06", 9),
        first_response_due=at("2025-10-06", 13),
        resolution_due=at("2025-10-09"),
    )
    Ticket.objects.filter(pk=on_time.pk).update(
        first_responded_at=at("2025-10-06", 11), resolved_at=at("2025-10-07")
    )
    Ticket.objects.filter(pk=answered_late.pk).update(first_responded_at=at("2025-10-07", 11))
    for ticket in (on_time, answered_late, never_answered):  # the figures follow, as a rebuild does
        ticket_figures_refresh(ticket_id=ticket.pk)

    desk = helpdesk_figures(
        starts_at=period().starts_at, ends_before=period().ends_before, months=period().months
    )

    assert desk.tickets == 3
    assert (desk.first_response.met, desk.first_response.missed, desk.first_response.late) == (1, 1, 1)
    assert desk.first_response.share_met == 33.3
    assert (desk.resolution.met, desk.resolution.late) == (1, 2)
    assert desk.first_response_by_month[1] == 33.3 and desk.first_response_by_month[0] is None


@pytest.mark.parametrize("persona", ["coordinator", "technician", "helpdesk_agent", "read_only_staff"])
def test_every_staff_role_reading_cases_sees_the_dashboard(client, request, persona, programme):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(URL + PERIOD)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<figure") == 4 and html.count("<svg") == 4
    assert html.count("<figcaption>") == 4
    assert "style=" not in html.split("<main", 1)[1]  # no inline style: the CSP forbids them
    assert response.context["figures"].waiting.count == 3


def test_outsiders_are_refused(client, director_a):
    assert client.get(URL).status_code == 302  # anonymous: to the login page
    client.force_login(director_a)
    assert client.get(URL).status_code == 403
    client.force_login(make_user(email="no.role@example.org", is_staff=True))  # staff with no role
    assert client.get(URL).status_code == 403


def test_a_period_that_makes_no_sense_is_refused_on_the_form(client, coordinator):
    client.force_login(coordinator)
    response = client.get(URL + "?start=2026-06-01&end=2026-01-01")
    assert response.status_code == 400
    assert "cannot be before its start" in response.content.decode()
    assert client.get(URL + "?start=2020-01-01&end=2026-01-01").status_code == 400


def test_the_default_period_is_the_current_school_year_up_to_today(client, coordinator):
    client.force_login(coordinator)
    chosen = client.get(URL).context["period"]
    today = timezone.localdate()
    assert chosen.end == today and chosen.start.month == 8 and chosen.start.day == 1
    assert chosen.programme_year == f"{chosen.start.year}-{chosen.start.year + 1}"


def _more_of_everything(school, director, coordinator, n: int):
    kit_type = make_kit_type("connection")
    for _ in range(n):
        case = make_case(school, director, coordinator, S.ACTIVE)
        backdate(case, submitted_at=at("2025-11-03"), activated_at=at("2025-11-20"))
        past_loan(
            eligible_case(school, director, coordinator),
            make_kit(kit_type, items=False),
            start=datetime.date(2025, 10, 1),
            end=datetime.date(2025, 12, 1),
            by=coordinator,
        )
        open_ticket(school, director)


def test_the_page_reads_a_fixed_number_of_queries(
    client, coordinator, school_a, director_a, programme, django_assert_max_num_queries
):
    build_calendar()
    client.force_login(coordinator)
    _more_of_everything(school_a, director_a, coordinator, 2)
    with django_assert_max_num_queries(15) as few:
        assert client.get(URL + PERIOD).status_code == 200
    _more_of_everything(school_a, director_a, coordinator, 8)
    with django_assert_max_num_queries(15) as many:
        response = client.get(URL + PERIOD)
    assert response.context["figures"].waiting.count == 13
    assert len(many) == len(few)  # the same queries whatever the number of rows
