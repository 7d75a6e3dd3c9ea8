"""`make bench` pages of documents: seeded, answering, with a fixed number of queries."""

import io

import pytest

from cases.models import CaseStatus, ConnectionCase
from classcontact.testing import TwoFactorClient as Client
from conventions import bench
from conventions.models import Document, Signature
from schools.bench import BENCH_COORDINATOR
from tests.builders.schools import make_school, make_staff

pytestmark = pytest.mark.django_db


def test_the_bench_seeds_documents_and_its_pages_answer_within_the_query_budget(
    monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(bench, "CASES_WITH_DOCUMENTS", 6)
    school = make_school(official_number="B000001")
    coordinator = make_staff("coordinator", email=BENCH_COORDINATOR)
    for n, status in enumerate([CaseStatus.DOCUMENTS_SENT, CaseStatus.ACTIVE, CaseStatus.CLOSED] * 3):
        ConnectionCase.objects.create(
            number=f"CC-2025-{n + 1:04d}", status=status, school=school, pupil_last_name="Dupont"
        )

    bench.seed(stdout=io.StringIO())
    bench.seed(stdout=io.StringIO())  # a second run adds nothing

    assert Document.objects.count() == 12
    assert Signature.objects.count() == 18
    client = Client()
    client.force_login(coordinator)
    pages = bench.pages()
    assert len(pages) == 5
    for page in pages:
        client.get(page.url)
        with django_assert_max_num_queries(page.max_queries):
            response = client.get(page.url)
        assert response.status_code == 200, page.name
