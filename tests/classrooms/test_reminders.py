"""The two reminder rules say who is due, and when, without sending anything themselves."""

import datetime

from django.utils import timezone
import pytest

from classrooms import reminders
from classrooms.models import Application, ApplicationStatus
from schools.models import Holiday
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


def test_an_application_waiting_ten_school_days_reminds_the_inspector(world):
    year = world.campaign.school_year
    monday = year.start + datetime.timedelta(days=(7 - year.start.weekday()) % 7)
    application = sent_on(make_application(world, A.SUBMITTED), monday)
    ninth = school_day_after(year, monday, 9)
    tenth = school_day_after(year, monday, 10)
    assert reminders.opinion_reminders(ninth) == []
    (due,) = reminders.opinion_reminders(tenth)
    assert due.recipients == [world.inspector_a]
    assert due.key == f"classrooms.opinion_waiting:{application.pk}"
    assert due.mail == "classroom-opinion-reminder"


def test_holidays_are_not_school_days(world):
    year = world.campaign.school_year
    monday = year.start + datetime.timedelta(days=(7 - year.start.weekday()) % 7)
    sent_on(make_application(world, A.SUBMITTED), monday)
    tenth = school_day_after(year, monday, 10)
    Holiday.objects.create(
        calendar=year.calendar,
        name="Toussaint",
        start=monday + datetime.timedelta(days=1),
        end=monday + datetime.timedelta(days=4),
    )
    assert reminders.opinion_reminders(tenth) == []


def test_an_application_with_an_opinion_is_not_reminded(world):
    year = world.campaign.school_year
    application = make_application(world, A.OPINION_GIVEN)
    sent_on(application, year.start)
    assert reminders.opinion_reminders(year.end) == []


def test_a_session_in_three_days_reminds_its_members_and_chair(world):
    today = timezone.localdate()
    session = make_session(world, held_on=today + datetime.timedelta(days=3))
    make_session(world, held_on=today + datetime.timedelta(days=4))
    (due,) = reminders.session_reminders(today)
    assert due.key == f"classrooms.session_soon:{session.pk}"
    assert {person.email for person in due.recipients} == {
        world.chair.email,
        world.member.email,
        world.adviser.email,
    }
    assert reminders.session_reminders(today + datetime.timedelta(days=2)) == []


def test_the_rules_are_named_for_the_engine():
    assert [rule.name for rule in reminders.RULES] == [
        "classrooms.opinion_waiting",
        "classrooms.session_soon",
    ]
    assert all(callable(rule.due) for rule in reminders.RULES)


@pytest.mark.parametrize("name", ["classroom-opinion-reminder", "classroom-session-reminder"])
def test_the_reminder_mails_render(world, name):
    from django.core import mail

    from classcontact.emails import send_templated_mail

    today = timezone.localdate()
    make_session(world, held_on=today + datetime.timedelta(days=3))
    year = world.campaign.school_year
    application = sent_on(make_application(world, A.SUBMITTED), year.start)
    due = reminders.session_reminders(today) if "session" in name else reminders.opinion_reminders(year.end)
    assert application.pk
    send_templated_mail(name=name, to=[due[0].recipients[0].email], context=due[0].context)
    assert "/classrooms/" in mail.outbox[-1].body
