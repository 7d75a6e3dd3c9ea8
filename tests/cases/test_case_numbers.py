"""Case numbers stay unique when many requests are sent at the same moment."""

from concurrent.futures import ThreadPoolExecutor
import re
import threading

from django.db import connection
from django.utils import timezone
import pytest

from cases import services
from cases.models import CASE_NUMBER_SCOPE, ConnectionCase, format_case_number
from classcontact.models import YearlyCounter
from tests.builders.cases import make_draft

THREADS = 12


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_get_distinct_consecutive_numbers(school_a, director_a):
    drafts = [make_draft(school_a, director_a, pupil_first_name=f"Pupil{n}") for n in range(THREADS)]
    barrier = threading.Barrier(THREADS)

    def submit(case):
        try:
            barrier.wait(timeout=30)
            return services.case_submit(case=case, by=director_a).number
        finally:
            connection.close()  # each thread has its own connection

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        numbers = list(pool.map(submit, drafts))

    year = timezone.localdate().year
    assert all(re.fullmatch(rf"CC-{year}-\d{{4}}", n) for n in numbers)
    assert len(set(numbers)) == THREADS
    assert sorted(numbers) == [format_case_number(year, n) for n in range(1, THREADS + 1)]
    assert YearlyCounter.objects.get(scope=CASE_NUMBER_SCOPE, year=year).last_value == THREADS
    assert ConnectionCase.objects.filter(number__isnull=False).count() == THREADS


@pytest.mark.django_db
def test_a_number_already_taken_is_skipped(school_a, director_a):
    year = timezone.localdate().year
    taken = make_draft(school_a, director_a)
    ConnectionCase.objects.filter(pk=taken.pk).update(number=format_case_number(year, 1))
    case = services.case_submit(case=make_draft(school_a, director_a, pupil_first_name="Noah"), by=director_a)
    assert case.number == format_case_number(year, 2)
