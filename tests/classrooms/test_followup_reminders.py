"""Reminders after the delivery, at their boundary days: the trimester's end in two weeks
(the school) and the evaluation missing 20 school days after the return (the resource teacher)."""

import datetime

from django.utils import timezone
import pytest

from classrooms import services
from classrooms.models import ApplicationStatus
from tests.builders.classrooms import make_class_in, walk_deployment_to
from tests.classrooms.test_reminders import first_monday, run, school_day_after

A = ApplicationStatus
pytestmark = pytest.mark.django_db


def next_school_day(year, day: datetime.date) -> datetime.date:
    from schools.calendars import SchoolDays

    days = SchoolDays(year.calendar)
    while not days.is_school_day(day):
        day += datetime.timedelta(days=1)
    return day


def test_the_school_hears_two_weeks_before_the_trimester_ends_once(world, django_capture_on_commit_callbacks):
    application = make_class_in(world, A.IN_PROGRESS)
    year = world.campaign.school_year
    window = application.accepted_trimester.end - datetime.timedelta(days=14)
    before = window - datetime.timedelta(days=1)
    first = next_school_day(year, window)

    assert run(django_capture_on_commit_callbacks, before) == []
    assert run(django_capture_on_commit_callbacks, first) == [
        ("classroom-trimester-end-reminder", world.director_a.email)
    ]
    assert (
        run(django_capture_on_commit_callbacks, next_school_day(year, first + datetime.timedelta(days=1)))
        == []
    )


def test_a_presented_class_is_not_reminded_of_its_trimester_end(world, django_capture_on_commit_callbacks):
    application = make_class_in(world, A.PRESENTED)
    first = next_school_day(
        world.campaign.school_year, application.accepted_trimester.end - datetime.timedelta(days=14)
    )
    assert run(django_capture_on_commit_callbacks, first) == []


def test_the_resource_teacher_hears_of_a_missing_evaluation_after_twenty_school_days(
    world, django_capture_on_commit_callbacks
):
    year = world.campaign.school_year
    monday = first_monday(year)
    application = make_class_in(world, A.PRESENTED)
    returned_at = timezone.make_aware(datetime.datetime.combine(monday, datetime.time(15)))
    walk_deployment_to(application, A.RETURNED, now=returned_at)

    assert run(django_capture_on_commit_callbacks, school_day_after(year, monday, 19)) == []
    twentieth = school_day_after(year, monday, 20)
    assert run(django_capture_on_commit_callbacks, twentieth) == [
        ("classroom-evaluation-reminder", world.resource_teacher_a.email)
    ]
    assert run(django_capture_on_commit_callbacks, twentieth) == []


def test_an_evaluated_class_is_not_reminded(world, django_capture_on_commit_callbacks):
    year = world.campaign.school_year
    monday = first_monday(year)
    application = make_class_in(world, A.PRESENTED)
    walk_deployment_to(
        application, A.RETURNED, now=timezone.make_aware(datetime.datetime.combine(monday, datetime.time(15)))
    )
    services.evaluation_record_b2i(application=application, by=world.director_a, assessed=20, validated=20)
    services.evaluation_record_teacher(application=application, by=world.director_a, text="Bien.")
    services.municipality_record(
        application=application, by=world.resource_teacher_a, contacted_on=None, notes="", plan_started=False
    )
    assert run(django_capture_on_commit_callbacks, school_day_after(year, monday, 20)) == []
