"""The deployment's reminders: a training tomorrow (its registrants), a delivery in a week (the school)."""

import datetime

from django.core import mail
from django.utils import timezone
import pytest

from classrooms import services
from schools.reminders import run_reminders
from tests.builders.deployment import make_accepted, make_mobile_kit, make_technician

pytestmark = pytest.mark.django_db


def next_weekday(weekday: int, *, after_days: int) -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=after_days)
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def run(capture, day) -> list[tuple[str, str]]:
    mail.outbox.clear()
    with capture(execute=True):
        run_reminders(today=day)
    return sorted((m.extra_headers.get("X-ClassContact-Mail"), m.to[0]) for m in mail.outbox)


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_registrants_are_reminded_the_day_before_the_training_once(world, django_capture_on_commit_callbacks):
    (application,) = make_accepted(world)
    thursday = next_weekday(3, after_days=10)
    session = services.training_session_create(
        campaign=world.campaign,
        trimester=application.accepted_trimester,
        title="RDV Canopé",
        starts_at=at(thursday, 14),
        place="Canopé Arras",
        trainer=world.member,
        seats=5,
        by=world.adviser,
    )
    services.training_register(session=session, application=application, teacher=world.teacher_a)
    reminder = ("classroom-training-reminder", world.teacher_a.email)
    assert reminder not in run(django_capture_on_commit_callbacks, thursday - datetime.timedelta(days=2))
    assert run(django_capture_on_commit_callbacks, thursday - datetime.timedelta(days=1)) == [reminder]
    assert run(django_capture_on_commit_callbacks, thursday - datetime.timedelta(days=1)) == []
    assert run(django_capture_on_commit_callbacks, thursday) == []


def test_the_school_is_reminded_a_week_before_the_delivery(world, django_capture_on_commit_callbacks):
    (application,) = make_accepted(world)
    services.placement_create(application=application, kit=make_mobile_kit(), by=world.adviser)
    tuesday = next_weekday(1, after_days=10)
    services.deployment_visit_plan(
        application=application,
        kind="installation",
        starts_at=at(tuesday, 9),
        technician=make_technician(),
        by=world.adviser,
    )
    name = "classroom-delivery-reminder"
    assert not [
        r
        for r in run(django_capture_on_commit_callbacks, tuesday - datetime.timedelta(days=8))
        if r[0] == name
    ]
    sent = [
        r
        for r in run(django_capture_on_commit_callbacks, tuesday - datetime.timedelta(days=7))
        if r[0] == name
    ]
    assert (name, world.director_a.email) in sent
    assert not [
        r
        for r in run(django_capture_on_commit_callbacks, tuesday - datetime.timedelta(days=6))
        if r[0] == name
    ]


def test_a_monday_training_is_reminded_on_the_friday_before(world, django_capture_on_commit_callbacks):
    (application,) = make_accepted(world)
    monday = next_weekday(0, after_days=10)
    session = services.training_session_create(
        campaign=world.campaign,
        trimester=application.accepted_trimester,
        title="RDV Canopé",
        starts_at=at(monday, 9),
        place="Canopé Arras",
        trainer=world.member,
        seats=5,
        by=world.adviser,
    )
    services.training_register(session=session, application=application, teacher=world.teacher_a)
    reminder = ("classroom-training-reminder", world.teacher_a.email)
    friday = monday - datetime.timedelta(days=3)
    assert reminder not in run(django_capture_on_commit_callbacks, friday - datetime.timedelta(days=1))
    assert run(django_capture_on_commit_callbacks, friday) == [reminder]
    assert run(django_capture_on_commit_callbacks, monday) == []
