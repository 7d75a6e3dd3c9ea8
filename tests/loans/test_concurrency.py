"""Twenty people try to lend the same kit over overlapping dates at the same moment."""

import threading

from django.db import connection, connections
import pytest

from cases import services as case_services
from cases.models import CaseStatus, ConnectionCase
from loans import services
from loans.models import Loan, LoanStatus
from tests.builders.loans import eligible_case, make_kit

ATTEMPTS = 20


def _overlapping_pairs() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM loans_loan a JOIN loans_loan b
              ON a.kit_id = b.kit_id AND a.id < b.id
             WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'
               AND daterange(a.start, a."end", '[]') && daterange(b.start, b."end", '[]')
            """
        )
        return cursor.fetchone()[0]


def _race(cases, kit, coordinator) -> tuple[list, list]:
    """Each case, in its own thread and database connection, tries to reserve ``kit`` at once."""
    barrier = threading.Barrier(len(cases))
    successes, refusals, crashes = [], [], []

    def attempt(case):
        try:
            barrier.wait(timeout=30)
            loan = case_services.case_reserve_kit(case=case, kit=kit, by=coordinator)
            successes.append(loan.pk)
        except services.KitError as error:
            refusals.append(error.message)
        except Exception as error:  # noqa: BLE001 - any other outcome fails the test below
            crashes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(case,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not crashes, crashes
    return successes, refusals


@pytest.fixture
def contenders(school_a, director_a, coordinator):
    return [eligible_case(school_a, director_a, coordinator) for _ in range(ATTEMPTS)]


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_loans_of_one_kit_exactly_one_wins(contenders, coordinator):
    kit = make_kit()
    successes, refusals = _race(contenders, kit, coordinator)

    assert len(successes) == 1
    assert len(refusals) == ATTEMPTS - 1
    assert set(refusals) == {services.ERROR_KIT_NOT_FREE}
    assert Loan.objects.filter(kit=kit).exclude(status=LoanStatus.CANCELLED).count() == 1
    assert _overlapping_pairs() == 0
    # Only the winner's case moved on; every other case is still waiting for a kit.
    statuses = list(ConnectionCase.objects.values_list("status", flat=True))
    assert statuses.count(CaseStatus.KIT_ASSIGNED) == 1
    assert statuses.count(CaseStatus.ELIGIBLE) == ATTEMPTS - 1


@pytest.mark.django_db(transaction=True)
def test_when_only_the_database_notices_the_overlap_the_message_is_the_same(
    contenders, coordinator, monkeypatch
):
    """Without the service's early check (as if another path had inserted the rows), the
    exclusion constraint refuses every loan but one, and each refusal reads the same."""
    monkeypatch.setattr(services, "overlapping_loans", lambda **kwargs: Loan.objects.none())
    kit = make_kit()
    successes, refusals = _race(contenders, kit, coordinator)

    assert len(successes) == 1
    assert set(refusals) == {services.ERROR_KIT_NOT_FREE}
    assert len(refusals) == ATTEMPTS - 1
    assert _overlapping_pairs() == 0
