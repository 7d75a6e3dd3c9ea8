"""The bench's deployment plan seeds 500 classes on the grid, and its page stays within its query budget."""

import io

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
import pytest

from classrooms import bench_plan
from classrooms.bench import BENCH_ADVISER, SCHOOL_PREFIX
from classrooms.selectors_deployment import plan_grid
from loans.models import Loan
from schools.models import ProgrammeRole
from schools.roles import ensure_staff_groups
from tests.builders.schools import make_school, make_user

pytestmark = pytest.mark.django_db


def test_the_bench_plan_seeds_500_classes_once_and_its_page_stays_within_budget(client):
    for n in range(3):
        make_school(official_number=f"{SCHOOL_PREFIX}{n:05d}", name=f"École bench {n}")
    ensure_staff_groups()
    adviser = make_user(email=BENCH_ADVISER)
    adviser.groups.add(Group.objects.get(name=ProgrammeRole.ADVISER))
    bench_plan.seed(stdout=io.StringIO())
    bench_plan.seed(stdout=io.StringIO())
    assert Loan.objects.count() == bench_plan.CLASSES
    (page,) = bench_plan.pages()
    grid = plan_grid(bench_plan.Campaign.objects.get(name=bench_plan.CAMPAIGN))
    assert len(grid.trimesters) == 9
    assert sum(1 for _kit, cells in grid.rows for cell in cells if cell.application) == bench_plan.CLASSES
    client.force_login(adviser)
    client.get(page.url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url)
    assert response.status_code == 200
    assert len(queries) <= page.max_queries
