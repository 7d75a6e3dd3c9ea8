"""Twenty teachers register at the same moment for the last five seats of a session."""

import threading

from django.db import connections
import pytest

from classrooms import services
from classrooms.models import RegistrationStatus, TrainingRegistration
from classrooms.services.training import ERROR_SESSION_FULL
from tests.builders.classrooms import make_world
from tests.builders.deployment import make_accepted, make_training
from tests.builders.schools import make_teacher

ATTEMPTS = 20
SEATS = 7
ALREADY_TAKEN = 2


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_registrations_for_the_last_five_seats_exactly_five_succeed():
    world = make_world(kits=10)
    applications = make_accepted(world, 10)
    session = make_training(world, seats=SEATS)
    for application in applications[:ALREADY_TAKEN]:
        services.training_register(
            session=session, application=application, teacher=make_teacher(world.school_a)
        )
    contenders = [(applications[n % 10], make_teacher(world.school_a)) for n in range(ATTEMPTS)]
    barrier = threading.Barrier(ATTEMPTS)
    successes, full, crashes = [], [], []

    def attempt(application, teacher):
        try:
            barrier.wait(timeout=30)
            registration = services.training_register(
                session=session, application=application, teacher=teacher
            )
            successes.append(registration.seat)
        except services.SessionFull as error:
            full.append(error.message)
        except Exception as error:  # noqa: BLE001 - any other outcome fails the test below
            crashes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=contender) for contender in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not crashes, crashes
    assert len(successes) == SEATS - ALREADY_TAKEN
    assert sorted(successes) == list(range(ALREADY_TAKEN + 1, SEATS + 1))
    assert full == [ERROR_SESSION_FULL] * (ATTEMPTS - len(successes))
    seated = TrainingRegistration.objects.filter(session=session, status=RegistrationStatus.REGISTERED)
    assert seated.count() == SEATS
