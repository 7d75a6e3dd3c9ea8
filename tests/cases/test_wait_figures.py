"""The waits' median and 90th percentile read from their counts by month and tenth of a day
equal those ranked from every connection, whether the ranked waits around a percentile round
to the same tenth or not, for periods of whole months or not, and after a rebuild."""

import datetime

from django.core.management import call_command
from django.utils import timezone
import pytest

from cases.dashboard import Period, connection_figures_from_timeline, waiting_times, waits_of_connections
from cases.models import CaseFigures, CaseStatus, WaitFigures
from tests.builders.cases import backdate, make_case, move

pytestmark = pytest.mark.django_db

SUBMITTED = timezone.make_aware(datetime.datetime(2025, 9, 1, 10))
# Waits in days; the third and fourth (the median of six) both round to 3.0, the fifth and
# sixth (the 90th percentile) do not, nor do the two around the median of the first five.
WAITS = [2.0, 2.96, 3.01, 3.04, 7.0, 9.96]
# All connected in September 2025, from the 3rd to the 11th.
PERIODS = [
    Period(start=datetime.date(2025, 9, 1), end=datetime.date(2026, 8, 31)),
    Period(start=datetime.date(2025, 9, 1), end=datetime.date(2026, 8, 31), programme_year="2025-2026"),
    Period(start=datetime.date(2025, 9, 1), end=datetime.date(2025, 9, 30)),
    Period(start=datetime.date(2025, 9, 4), end=datetime.date(2025, 9, 30)),  # not from the 1st
    Period(start=datetime.date(2025, 9, 1), end=datetime.date(2025, 9, 10)),  # not to the end
    Period(start=datetime.date(2025, 9, 3), end=datetime.date(2025, 9, 5)),  # within a month
    Period(start=datetime.date(2025, 8, 20), end=datetime.date(2025, 10, 10)),
    Period(start=datetime.date(2024, 9, 1), end=datetime.date(2025, 8, 31)),  # nobody
]


def assert_waits_match_the_timeline() -> list:
    waits = []
    for period in PERIODS:
        kept = waits_of_connections(period)
        assert kept == connection_figures_from_timeline(period)[1] == waiting_times(period), period
        waits.append(kept)
    return waits


@pytest.fixture
def connected(school_a, director_a, coordinator):
    cases = []
    for wait in WAITS:
        case = make_case(school_a, director_a, coordinator, CaseStatus.ACTIVE)
        backdate(case, submitted_at=SUBMITTED, activated_at=SUBMITTED + datetime.timedelta(days=wait))
        cases.append(case)
    return cases


def test_the_waits_are_ranked_between_their_counts_as_between_the_connections(connected):
    waits = assert_waits_match_the_timeline()
    assert (waits[0].count, waits[0].median, waits[0].p90) == (6, 3.0, round(7.0 + (9.96 - 7.0) / 2, 1))
    assert waits[-1].count == 0
    # One count per month, year and tenth of a day (3.0 three times), not one per connection.
    assert sorted(WaitFigures.objects.exclude(connected=0).values_list("month", "tenths", "connected")) == [
        (datetime.date(2025, 9, 1), tenths, n) for tenths, n in ((20, 1), (30, 3), (70, 1), (100, 1))
    ]


def test_the_counts_follow_each_change_of_a_case(connected, director_a, coordinator):
    move(connected[-1], CaseStatus.END_REQUESTED, director=director_a, coordinator=coordinator)
    backdate(connected[2], submitted_at=SUBMITTED, activated_at=SUBMITTED + datetime.timedelta(days=40.5))
    backdate(connected[3], submitted_at=SUBMITTED, activated_at=SUBMITTED + datetime.timedelta(days=2.97))
    waits = assert_waits_match_the_timeline()
    assert waits[0].count == 6
    assert (
        sum(WaitFigures.objects.values_list("connected", flat=True))
        == CaseFigures.objects.filter(waited_tenths__isnull=False).count()
    )


def test_a_rebuild_gives_the_same_counts_as_the_changes_did(connected):
    kept = sorted(
        WaitFigures.objects.exclude(connected=0).values_list("month", "programme_year", "tenths", "connected")
    )
    WaitFigures.objects.update(connected=3)  # counts gone wrong

    call_command("rebuild_case_figures", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert sorted(WaitFigures.objects.values_list("month", "programme_year", "tenths", "connected")) == kept
    assert_waits_match_the_timeline()


def test_the_waits_of_whole_months_are_read_in_at_most_two_queries(connected, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        waits_of_connections(PERIODS[0])
