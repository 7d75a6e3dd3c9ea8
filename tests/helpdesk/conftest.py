import datetime

import pytest

from schools.models import Calendar, CalendarKind, SchoolYear
from tests.builders.helpdesk import build_calendar


@pytest.fixture
def fwb_calendar(db) -> Calendar:
    """The default calendar: school years 2024-2031, with the FWB holidays of 2025-2027."""
    return build_calendar()


@pytest.fixture(autouse=True)
def _default_calendar(request):
    """Every helpdesk test that uses the database counts hours in the FWB-like calendar."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if uses_db:
        request.getfixturevalue("fwb_calendar")


@pytest.fixture
def weekday_calendar(db) -> Calendar:
    """A calendar (not the default) where every weekday of 2020-2031 is a school day."""
    calendar = Calendar.objects.create(name="Weekdays", code="weekdays", kind=CalendarKind.OTHER)
    SchoolYear.objects.create(
        calendar=calendar, label="all", start=datetime.date(2020, 1, 1), end=datetime.date(2031, 12, 31)
    )
    return calendar


@pytest.fixture
def teacher_a(school_a):
    """A teacher of school A who teaches its first class, the one the builders' cases are in
    (a teacher is offered only the cases of the classes they teach)."""
    from tests.builders.schools import make_class, make_teacher

    teacher = make_teacher(school_a, email="teacher.a@example.org")
    make_class(school_a, "P5").teachers.add(teacher)
    return teacher
