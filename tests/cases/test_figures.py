"""The dashboard's figures kept as cases change equal those computed from the cases and their
timelines, for any period, after every kind of change, and after a rebuild."""

import datetime

from django.core.management import call_command
from django.utils import timezone
import pytest

from cases import services
from cases.dashboard import (
    Period,
    active_by_region,
    connection_figures_from_timeline,
    requests_by_state,
    requests_by_state_from_cases,
    waiting_times,
    waits_of_connections,
)
from cases.models import CaseFigures, CaseStatus, DailyFigures
from schools.models import Region
from tests.builders.cases import backdate, make_case, make_draft, move
from tests.builders.schools import make_director, make_school

pytestmark = pytest.mark.django_db

S = CaseStatus


def at(day: str, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour))
    )


PERIODS = [
    Period(start=datetime.date(2025, 9, 1), end=datetime.date(2026, 6, 30)),
    # Edges inside a month: a connection ended on 14 November is not in force from the 15th.
    Period(start=datetime.date(2025, 11, 15), end=datetime.date(2026, 1, 9)),
    Period(start=datetime.date(2025, 9, 1), end=datetime.date(2026, 8, 31), programme_year="2025-2026"),
    Period(start=datetime.date(2024, 1, 1), end=datetime.date(2024, 12, 31)),
    Period(start=datetime.date(2025, 8, 1), end=timezone.localdate()),
]


def assert_figures_match_the_timeline():
    for period in PERIODS:
        active, waiting = connection_figures_from_timeline(period)
        assert active_by_region(period) == active, period
        assert waits_of_connections(period) == waiting == waiting_times(period), period
        assert requests_by_state(period) == requests_by_state_from_cases(period), period


@pytest.fixture
def cases(school_a, director_a, coordinator):
    """Pupils in Brussels and Namur: connected, ended (by a return or a withdrawal), still
    waiting, refused; one request of another school year."""
    namur = make_school(name="Athénée de Namur", region=Region.NAMUR)
    namur_director = make_director(namur, email="director.namur@example.org")
    returned = make_case(school_a, director_a, coordinator, S.KIT_RETURNED)
    backdate(
        returned, submitted_at=at("2025-09-01"), activated_at=at("2025-09-11"), ended_at=at("2025-11-14")
    )
    active = make_case(school_a, director_a, coordinator, S.ACTIVE)
    backdate(active, submitted_at=at("2025-10-01"), activated_at=at("2025-10-21"))
    paused = make_case(namur, namur_director, coordinator, S.PAUSED)
    backdate(paused, submitted_at=at("2025-12-01"), activated_at=at("2026-01-09", 23))
    refused = make_case(namur, namur_director, coordinator, S.INELIGIBLE)
    backdate(refused, submitted_at=at("2025-11-20"))
    waiting = make_case(namur, namur_director, coordinator, S.SUBMITTED)
    backdate(waiting, submitted_at=at("2024-03-01"))
    make_draft(school_a, director_a)
    return {"returned": returned, "active": active, "paused": paused, "waiting": waiting}


def test_the_kept_figures_equal_the_timeline_for_every_period(cases):
    assert CaseFigures.objects.count() == 5  # every submitted case, not the draft
    assert_figures_match_the_timeline()
    assert active_by_region(PERIODS[1])[Region.BRUSSELS] == [1, 1, 1]  # 15 Nov–9 Jan: the active one


def test_the_figures_follow_each_change_of_a_case(cases, director_a, coordinator):
    services.case_close(case=cases["returned"], by=coordinator)
    move(cases["active"], S.END_REQUESTED, director=director_a, coordinator=coordinator)
    services.case_withdraw(case=cases["waiting"], by=coordinator, reason="No longer needed.")
    services.case_resume(case=cases["paused"], by=coordinator)

    assert_figures_match_the_timeline()
    counts = {state: n for state, _label, n in requests_by_state(PERIODS[0])}
    assert (counts[S.CLOSED], counts[S.KIT_RETURNED], counts[S.END_REQUESTED]) == (1, 0, 1)


def test_a_rebuild_gives_the_same_figures_as_the_changes_did(cases, coordinator):
    services.case_close(case=cases["returned"], by=coordinator)
    kept = sorted(
        DailyFigures.objects.exclude(requests=0, connected=0, ended=0).values_list(
            "day", "programme_year", "region", "status", "requests", "connected", "ended"
        )
    )
    DailyFigures.objects.update(requests=0)  # figures gone wrong

    call_command("rebuild_case_figures", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert (
        sorted(
            DailyFigures.objects.values_list(
                "day", "programme_year", "region", "status", "requests", "connected", "ended"
            )
        )
        == kept
    )
    assert_figures_match_the_timeline()
