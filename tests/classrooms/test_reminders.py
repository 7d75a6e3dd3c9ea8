"""The programme's two reminder rules, run by the reminder engine: who is reminded, and when."""

import datetime

from django.core import mail
from django.utils import timezone
import pytest

from classrooms import reminders
from classrooms.models import Application, ApplicationStatus
from schools.models import Holiday, ReminderSent
from schools.reminders import reminders_of, run_reminders, subject_of
from tests.builders.classrooms import make_application, make_session

A = ApplicationStatus
pytestmark = pytest.mark.django_db


def sent_on(application, day: datetime.date) -> Application:
    Application.objects.filter(pk=application.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    )
    return Application.objects.get(pk=application.pk)


def school_day_after(year, day: datetime.date, count: int) -> datetime.date:
    from schools.calendars import SchoolDays

    days = SchoolDays(year.calendar)
    while count:
        day += datetime.timedelta(days=1)
        count -= days.is_school_day(day)
    return day


def run(capture, day) -> list[tuple[str, str]]:
    """Run the engine on ``day``; (mail name, recipient) of what it sent."""
    mail.outbox.clear()
    with capture(execute=True):
        run_reminders(today=day)
    return [(m.extra_headers.get("X-ClassContact-Mail"), m.to[0]) for m in mail.outbox]


def first_monday(year) -> datetime.date:
    return year.start + datetime.timedelta(days=(7 - year.start.weekday()) % 7)


def test_an_application_waiting_ten_school_days_reminds_the_inspector_once(
    world, django_capture_on_commit_callbacks
):
    year = world.campaign.school_year
    monday = first_monday(year)
    application = sent_on(make_application(world, A.SUBMITTED), monday)
    ninth = school_day_after(year, monday, 9)
    tenth = school_day_after(year, monday, 10)

    assert run(django_capture_on_commit_callbacks, ninth) == []
    sent = run(django_capture_on_commit_callbacks, tenth)
    again = run(django_capture_on_commit_callbacks, tenth)

    assert sent == [("classroom-opinion-reminder", world.inspector_a.email)] and again == []
    assert ReminderSent.objects.get().subject == subject_of(application)


def test_holidays_of_the_campaign_calendar_are_not_school_days(world, django_capture_on_commit_callbacks):
    year = world.campaign.school_year
    monday = first_monday(year)
    sent_on(make_application(world, A.SUBMITTED), monday)
    tenth = school_day_after(year, monday, 10)
    Holiday.objects.create(
        calendar=year.calendar,
        name="Toussaint",
        start=monday + datetime.timedelta(days=1),
        end=monday + datetime.timedelta(days=4),
    )

    assert run(django_capture_on_commit_callbacks, tenth) == []


def test_an_application_with_an_opinion_is_not_reminded(world, django_capture_on_commit_callbacks):
    year = world.campaign.school_year
    application = make_application(world, A.OPINION_GIVEN)
    sent_on(application, year.start)

    assert run(django_capture_on_commit_callbacks, school_day_after(year, year.start, 12)) == []


def test_a_session_in_three_days_reminds_its_members_and_chair(world, django_capture_on_commit_callbacks):
    year = world.campaign.school_year
    monday = first_monday(year) + datetime.timedelta(days=7)
    session = make_session(world, held_on=monday + datetime.timedelta(days=3))
    make_session(world, held_on=monday + datetime.timedelta(days=10))  # too far off yet

    assert run(django_capture_on_commit_callbacks, monday - datetime.timedelta(days=1)) == []
    sent = run(django_capture_on_commit_callbacks, monday)

    assert {to for _name, to in sent} == {world.chair.email, world.member.email, world.adviser.email}
    assert {name for name, _to in sent} == {"classroom-session-reminder"}
    assert run(django_capture_on_commit_callbacks, monday + datetime.timedelta(days=1)) == []
    assert reminders_of(subject_of(session), today=monday)["sent"]


def test_staff_see_the_planned_opinion_reminder(world):
    year = world.campaign.school_year
    monday = first_monday(year)
    application = sent_on(make_application(world, A.SUBMITTED), monday)

    planned = reminders_of(subject_of(application), today=monday)["planned"]

    assert [row["date"] for row in planned] == [school_day_after(year, monday, 10)]


def test_the_rules_are_registered_on_the_engine():
    from schools.reminders import RULES

    assert {"classrooms.opinion_waiting", "classrooms.session_soon"} <= set(RULES)
    assert reminders.OPINION_WAIT_SCHOOL_DAYS == 10 and reminders.SESSION_NOTICE_DAYS == 3
