import datetime

import pytest

from cases import services as case_services
from loans import services
from loans.models import VisitKind, VisitOutcome
from tests.builders.loans import installed_case, make_kit, soon
from tests.builders.schools import make_staff


@pytest.fixture
def other_technician(db):
    return make_staff("technician", email="other.technician@example.org")


@pytest.fixture
def world(school_a, director_a, coordinator, technician, other_technician):
    """School A's pupil connected: its kit lent, installation done, a presentation planned for
    ``technician``, an evaluation by ``other_technician`` that ended in a referral."""
    case, loan = installed_case(school_a, director_a, coordinator, technician)
    planned = case_services.case_visit_plan(
        kind=VisitKind.TEAM_PRESENTATION, case=case, starts_at=soon(2), technician=technician, by=coordinator
    )
    evaluation = case_services.case_visit_plan(
        kind=VisitKind.INTERNET_EVALUATION,
        case=case,
        starts_at=soon(1),
        technician=other_technician,
        by=coordinator,
    )
    services.visit_complete(
        visit=evaluation,
        by=other_technician,
        outcome=VisitOutcome.COMPLETED,
        early_reason="Done ahead of the plan.",
    )
    referral = services.referral_create(visit=evaluation, by=other_technician, provider_reference="PRX-1")
    loan.kit.refresh_from_db()
    return {
        "case": case,
        "loan": loan,
        "kit": loan.kit,
        "visit": planned,
        "other_visit": evaluation,
        "referral": referral,
        "spare_kit": make_kit(),
    }


@pytest.fixture
def trimesters(db):
    """The first two trimesters of the school year 2030-2031 (Fédération Wallonie-Bruxelles)."""
    from schools.models import Calendar, SchoolYear, Trimester

    day = datetime.date
    calendar = Calendar.objects.create(name="FWB", code="fwb-test", kind="fwb", is_default=True)
    year = SchoolYear.objects.create(
        calendar=calendar, label="2030-2031", start=day(2030, 8, 26), end=day(2031, 7, 4)
    )
    return [
        Trimester.objects.create(school_year=year, number=1, start=day(2030, 8, 26), end=day(2030, 12, 19)),
        Trimester.objects.create(school_year=year, number=2, start=day(2031, 1, 5), end=day(2031, 3, 31)),
    ]


@pytest.fixture
def trimester(trimesters):
    return trimesters[0]
