"""The demo's deployment: French schools with trimesters, partner kits, a plan, training sessions."""

import io

import pytest

from classrooms import demo, demo_deployment
from classrooms.models import RegistrationStatus, TrainingRegistration, TrainingSession
from classrooms.selectors_deployment import plan_grid
from loans import demo as loans_demo
from loans.models import Kit, Loan, Visit
from schools import demo as schools_demo
from schools.models import Region, School, Trimester


def _seed():
    out = io.StringIO()
    schools_demo.seed(out)
    loans_demo.seed(out)
    demo.seed(out)
    demo_deployment.seed(out)


def _counts() -> tuple:
    return (
        Kit.objects.count(),
        Loan.objects.count(),
        Visit.objects.count(),
        TrainingSession.objects.count(),
        TrainingRegistration.objects.count(),
    )


@pytest.mark.django_db
def test_the_demo_places_classes_and_plans_trainings_once(django_capture_on_commit_callbacks, settings):
    settings.DEMO_MODE = True
    with django_capture_on_commit_callbacks(execute=True):
        _seed()
    for school in School.objects.filter(region=Region.PAS_DE_CALAIS):
        assert Trimester.objects.filter(school_year__calendar=school.calendar).count() >= 3, school
    assert Kit.objects.filter(owner=demo_deployment.PARTNER).count() == 2
    campaign = TrainingSession.objects.first().campaign
    grid = plan_grid(campaign)
    placed = [cell for _kit, cells in grid.rows for cell in cells if cell.application]
    assert len(placed) >= 3
    assert Visit.objects.filter(loan__in=[cell.loan for cell in placed]).exists()
    free = [
        session.seats - session.registrations.filter(status=RegistrationStatus.REGISTERED).count()
        for session in TrainingSession.objects.all()
    ]
    assert 1 in free and all(n >= 0 for n in free)
    assert campaign.community_url
    before = _counts()
    with django_capture_on_commit_callbacks(execute=True):
        _seed()
    assert _counts() == before
