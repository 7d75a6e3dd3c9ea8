"""The yearly report: a known school year, every figure checked in the selector, the PDF
(read back with pypdf), the XLSX (openpyxl) and the CSV; the page keeps its figures until
something they count changes."""

from dataclasses import asdict
import datetime
from decimal import Decimal
import io

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from openpyxl import load_workbook
from pypdf import PdfReader
import pytest

from classrooms import services
from classrooms.models import ApplicationStatus, ReportJob
from classrooms.report import training_figures, yearly_report
from classrooms.report_exports import outcome_rows, reach_rows, report_csv, report_xlsx
from classrooms.report_kept import REPORT_GENERATION, yearly_report_kept
from classrooms.services.report_jobs import report_job_run
from loans.models import LoanStatus
from schools.models import School
from tests.builders.classrooms import (
    make_application,
    make_class_in,
    make_class_loan,
    make_kit_type,
    make_world,
)
from tests.builders.deployment import make_training
from tests.builders.loans import make_kit

A = ApplicationStatus
pytestmark = pytest.mark.django_db


def _evaluate(world, application, *, assessed, validated, plan: bool, amount=None):
    services.evaluation_record_b2i(
        application=application,
        by=world.director_a if application.school == world.school_a else world.director_b,
        assessed=assessed,
        validated=validated,
    )
    services.evaluation_record_teacher(
        application=application,
        by=world.director_a if application.school == world.school_a else world.director_b,
        text="Les élèves ont produit un journal.",
    )
    services.municipality_record(
        application=application,
        by=world.resource_teacher_a,
        contacted_on=datetime.date(2027, 3, 1),
        notes="Rencontre en mairie.",
        plan_started=plan,
        plan_on=datetime.date(2027, 3, 15),
        description="Douze tablettes et un vidéoprojecteur" if plan else "",
        amount=amount,
    )


@pytest.fixture
def world(db):
    """The usual world, its campaign with enough kits for six classes in one trimester."""
    return make_world(kits=8)


@pytest.fixture
def known_year(world):
    """Four classes reached in two schools of two districts (Arras, Lens), one accepted class
    not reached yet and one refused; their loans, one of them cancelled."""
    School.objects.filter(pk=world.school_b.pk).update(city="Lens")
    world.school_b.refresh_from_db()
    trimesters = {t.number: t for t in world.campaign.trimesters.all()}
    c1 = make_class_in(world, A.RETURNED, trimester=1, pupil_count=24, b2i_rate=Decimal("40.0"))
    _evaluate(world, c1, assessed=24, validated=18, plan=True, amount=Decimal("6400.00"))
    c2 = make_class_in(world, A.RETURNED, trimester=2, pupil_count=20)
    services.evaluation_record_b2i(application=c2, by=world.director_a, assessed=20, validated=15)
    c3 = make_class_in(world, A.IN_PROGRESS, school=world.school_b, pupil_count=28, b2i_rate=Decimal("50.0"))
    c4 = make_class_in(world, A.RETURNED, school=world.school_b, trimester=3, pupil_count=22)
    _evaluate(world, c4, assessed=22, validated=11, plan=False)
    c5 = make_application(world, A.ACCEPTED, school=world.school_b, pupil_count=30)
    make_application(world, A.REFUSED, pupil_count=25)
    kit_type = make_kit_type()
    k1, k2, k3 = (make_kit(kit_type, items=False) for _ in range(3))
    make_class_loan(c1, k1, start=trimesters[1].start, end=trimesters[1].end)
    make_class_loan(c2, k1, start=trimesters[2].start, end=trimesters[2].end)
    make_class_loan(c3, k2, start=trimesters[2].start, end=trimesters[2].end, status=LoanStatus.LENT)
    make_class_loan(c4, k2, start=trimesters[3].start, end=trimesters[3].end)
    make_class_loan(c5, k3, start=trimesters[2].start, end=trimesters[2].end, status=LoanStatus.CANCELLED)
    _trainings(world, c5)
    days = {n: (t.end - t.start).days + 1 for n, t in trimesters.items()}
    return world.campaign.school_year.label, days


def _trainings(world, accepted):
    """Two sessions of the first trimester held (two teachers came, one was absent), one of
    the second trimester not held yet (no attendance taken)."""
    other = make_application(world, A.ACCEPTED, pupil_count=26)
    first, second, later = (make_training(world, trimester_index=i) for i in (0, 0, 1))
    registrations = [
        services.training_register(session=first, application=accepted, teacher=world.teacher_b),
        services.training_register(session=first, application=other, teacher=world.teacher_a),
        services.training_register(session=second, application=other, teacher=world.teacher_a),
    ]
    services.training_register(session=later, application=accepted, teacher=world.teacher_b)
    services.training_record_attendance(session=first, by=world.member, present_ids={registrations[0].pk})
    services.training_record_attendance(session=second, by=world.member, present_ids={registrations[2].pk})


def test_every_figure_of_a_known_year(known_year):
    label, days = known_year
    report = yearly_report(label)
    reach = {n: asdict(r) for n, r in report.by_trimester.items()}
    common = {"trainings": 0, "trained": 0}
    assert reach[1] == {
        "classes": 1,
        "schools": 1,
        "districts": 1,
        "pupils": 24,
        "evaluated": 1,
        "kits": 1,
        "days_lent": days[1],
        "trainings": 2,
        "trained": 2,
    }
    assert reach[2] == {
        "classes": 2,
        "schools": 2,
        "districts": 2,
        "pupils": 48,
        "evaluated": 0,
        "kits": 2,
        "days_lent": 2 * days[2],
        **common,
    }
    assert reach[3] == {
        "classes": 1,
        "schools": 1,
        "districts": 1,
        "pupils": 22,
        "evaluated": 1,
        "kits": 1,
        "days_lent": days[3],
        **common,
    }
    assert asdict(report.year) == {
        "classes": 4, "schools": 2, "districts": 2, "pupils": 94, "evaluated": 2, "kits": 2,
        "days_lent": days[1] + 2 * days[2] + days[3], "trainings": 2, "trained": 2,
    }  # fmt: skip
    assert (report.pupils_assessed, report.pupils_validated, report.b2i_rate) == (66, 44, 66.7)
    assert (report.schools_b2i_rate_before, report.schools_with_rate_before) == (45.0, 2)
    assert (report.municipalities_contacted, report.municipalities_with_plan) == (2, 1)
    assert report.plans_amount == Decimal("6400.00")
    (plan,) = report.plans
    assert (plan.city, plan.school, plan.started_on, plan.amount) == (
        "Arras", "École Jean Moulin", datetime.date(2027, 3, 15), Decimal("6400.00"),
    )  # fmt: skip
    assert training_figures(label) == {1: (2, 2)}
    assert yearly_report("1999-2000").year.classes == 0


def _rows(report):
    """The rows in the portal's language (French for tests marked so)."""
    with translation.override(settings.LANGUAGE_CODE):
        return reach_rows(report), outcome_rows(report)


@pytest.mark.french
def test_the_pdf_shows_the_same_figures(known_year):
    label, days = known_year
    report = yearly_report(label)
    reach, outcome = _rows(report)
    from classrooms.models import ClassFollowUp

    asker = ClassFollowUp.objects.first().resource_teacher  # anyone: the job is run directly
    job = ReportJob.objects.create(school_year=label, created_by=asker)
    job = report_job_run(job_id=job.pk)
    assert job.status == "done" and job.seconds is not None
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(job.file.open("rb")).pages)
    assert label in text
    for row in reach:
        assert " ".join(str(value) for value in row) in text
    with translation.override(settings.LANGUAGE_CODE):
        for label_text, value in outcome:
            assert f"{label_text} {formats.localize(value)}" in text
    assert "Arras" in text and "Douze tablettes et un vidéoprojecteur" in text
    assert report_job_run(job_id=job.pk) is None  # a second run does nothing


def test_the_spreadsheets_show_the_same_figures(known_year):
    label, _days = known_year
    report = yearly_report(label)
    with translation.override("fr"):
        reach, outcome = reach_rows(report), outcome_rows(report)
        book = load_workbook(io.BytesIO(report_xlsx(report)))
        csv_text = report_csv(report)
    sheet_reach, sheet_outcome, sheet_plans = book.worksheets
    assert [list(row) for row in sheet_reach.iter_rows(min_row=2, values_only=True)] == reach
    assert [[a, b] for a, b in sheet_outcome.iter_rows(values_only=True)] == [
        [a, float(b) if isinstance(b, Decimal) else b] for a, b in outcome
    ]
    assert list(sheet_plans.iter_rows(min_row=2, values_only=True))[0][:2] == ("Arras", "École Jean Moulin")
    for row in reach:
        assert ";".join(str(value) for value in row) in csv_text
    assert "66,7 %" in csv_text


REPORT_MAX_QUERIES = 15


def test_the_report_page_asks_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    label = world.campaign.school_year.label
    url = reverse("classroom_report:year", kwargs={"school_year": label})
    kit = make_kit(make_kit_type(), items=False)
    first = make_class_in(world, A.RETURNED, trimester=1)
    make_class_loan(first, kit, start=first.accepted_trimester.start, end=first.accepted_trimester.end)
    client.force_login(world.adviser)
    client.get(url)
    # Each measured page computes its figures (the page keeps them until a change).
    REPORT_GENERATION.forget()
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(6):
        application = make_class_in(world, A.RETURNED, trimester=1 + n % 3, school=world.school_b)
        _evaluate(world, application, assessed=20, validated=10 + n, plan=n % 2 == 0, amount=Decimal(1000))
    REPORT_GENERATION.forget()
    with django_assert_max_num_queries(min(len(few), REPORT_MAX_QUERIES)):
        assert client.get(url).status_code == 200


# The page keeps its figures in the cache until something they count changes.


def _fresh(label: str) -> dict:
    return asdict(yearly_report(label))


def test_the_report_is_kept_until_a_class_a_loan_or_an_evaluation_changes(
    known_year, world, django_assert_num_queries
):
    label, _days = known_year
    kept = yearly_report_kept(label)
    assert asdict(kept) == _fresh(label) and kept.year.classes == 4
    with django_assert_num_queries(0):
        assert asdict(yearly_report_kept(label)) == asdict(kept)

    added = make_class_in(world, A.RETURNED, trimester=1, pupil_count=30)
    assert yearly_report_kept(label).year.classes == 5
    trimester = added.accepted_trimester
    make_class_loan(added, make_kit(make_kit_type(), items=False), start=trimester.start, end=trimester.end)
    assert yearly_report_kept(label).year.kits == kept.year.kits + 1
    _evaluate(world, added, assessed=30, validated=30, plan=True, amount=Decimal("900.00"))
    after = yearly_report_kept(label)
    assert after.plans_count == kept.plans_count + 1 and asdict(after) == _fresh(label)


def test_a_loan_cancelled_leaves_the_report_at_once(known_year, world):
    label, _days = known_year
    added = make_class_in(world, A.IN_PROGRESS, trimester=2, pupil_count=25)
    trimester = added.accepted_trimester
    loan = make_class_loan(
        added, make_kit(make_kit_type(), items=False), start=trimester.start, end=trimester.end
    )
    with_loan = yearly_report_kept(label)
    loan.status = LoanStatus.CANCELLED
    loan.save()
    assert yearly_report_kept(label).year.kits == with_loan.year.kits - 1


def test_the_page_is_drawn_from_the_database_when_the_cache_is_unreachable(
    client, known_year, world, settings
):
    label, _days = known_year
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    client.force_login(world.adviser)

    response = client.get(reverse("classroom_report:year", kwargs={"school_year": label}))

    assert response.status_code == 200
    assert asdict(response.context["report"]) == asdict(yearly_report(label, plans_shown=20))
