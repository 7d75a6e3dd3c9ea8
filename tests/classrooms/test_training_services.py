"""Training sessions: registering in one step, the waiting list, cancelling, attendance."""

from django.core import mail
from django.db import IntegrityError, transaction
import pytest

from classrooms import services
from classrooms.models import ApplicationStatus, EventKind, RegistrationStatus, TrainingRegistration
from classrooms.services.training import (
    ERROR_ALREADY_REGISTERED,
    ERROR_CLASS_NOT_ACCEPTED,
    ERROR_NOT_TEACHER,
    ERROR_SESSION_FULL,
)
from tests.builders.classrooms import make_application
from tests.builders.deployment import make_accepted, make_training
from tests.builders.schools import make_teacher

A = ApplicationStatus
R = RegistrationStatus
pytestmark = pytest.mark.django_db


def test_a_registered_teacher_moves_the_class_and_gets_an_invitation(
    world, django_capture_on_commit_callbacks
):
    (application,) = make_accepted(world)
    session = make_training(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.training_register(
            session=session, application=application, teacher=world.teacher_a
        )
    assert (registration.status, registration.seat) == (R.REGISTERED, 1)
    application.refresh_from_db()
    assert application.status == A.TRAINING_REGISTERED
    assert application.events.filter(kind=EventKind.TRAINING_REGISTERED).exists()
    (message,) = mail.outbox
    assert message.to == [world.teacher_a.email]
    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    text = content.decode() if isinstance(content, bytes) else content
    assert "METHOD:REQUEST" in text and "Atelier Canop" in text


def test_only_teachers_of_the_school_of_an_accepted_class_register(world):
    (application,) = make_accepted(world)
    session = make_training(world)
    with pytest.raises(services.ClassroomError) as error:
        services.training_register(session=session, application=application, teacher=world.teacher_b)
    assert error.value.message == ERROR_NOT_TEACHER
    submitted = make_application(world, A.SUBMITTED)
    with pytest.raises(services.ClassroomError) as error:
        services.training_register(session=session, application=submitted, teacher=world.teacher_a)
    assert error.value.message == ERROR_CLASS_NOT_ACCEPTED
    services.training_register(session=session, application=application, teacher=world.teacher_a)
    with pytest.raises(services.ClassroomError) as error:
        services.training_register(session=session, application=application, teacher=world.teacher_a)
    assert error.value.message == ERROR_ALREADY_REGISTERED


def test_a_full_session_offers_its_waiting_list_which_moves_up_on_cancellation(world):
    first, second = make_accepted(world, 2)
    session = make_training(world, seats=1)
    other = make_teacher(world.school_a)
    seated = services.training_register(session=session, application=first, teacher=world.teacher_a)
    with pytest.raises(services.SessionFull) as error:
        services.training_register(session=session, application=second, teacher=other)
    assert error.value.message == ERROR_SESSION_FULL
    waiting = services.training_register(
        session=session, application=second, teacher=other, waiting_list=True
    )
    assert (waiting.status, waiting.seat) == (R.WAITING, None)
    second.refresh_from_db()
    assert second.status == A.ACCEPTED
    services.training_cancel(registration=seated, by=world.teacher_a)
    waiting.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (waiting.status, waiting.seat) == (R.REGISTERED, 1)
    assert second.status == A.TRAINING_REGISTERED
    # The first class has no registration left: it waits for another session.
    assert first.status == A.ACCEPTED
    assert first.events.filter(kind=EventKind.TRAINING_CANCELLED).exists()


def test_the_database_never_holds_more_registrations_than_seats(world):
    (application,) = make_accepted(world)
    session = make_training(world, seats=1)
    services.training_register(session=session, application=application, teacher=world.teacher_a)
    teacher = make_teacher(world.school_a)
    for seat in (1, 2):
        with pytest.raises(IntegrityError), transaction.atomic():
            TrainingRegistration.objects.create(
                session=session, application=application, teacher=teacher, seat=seat, session_seats=1
            )


def test_the_trainer_records_attendance(world):
    (application,) = make_accepted(world)
    session = make_training(world)
    other = make_teacher(world.school_a)
    came = services.training_register(session=session, application=application, teacher=world.teacher_a)
    absent = services.training_register(session=session, application=application, teacher=other)
    with pytest.raises(services.ClassroomError):
        services.training_record_attendance(session=session, by=world.director_a, present_ids={came.pk})
    services.training_record_attendance(session=session, by=world.member, present_ids={came.pk})
    came.refresh_from_db()
    absent.refresh_from_db()
    assert (came.attended, absent.attended) == (True, False)
