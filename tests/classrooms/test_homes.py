"""The programme's lines on people's homes: a teacher's coming trainings, a resource teacher's
evaluations to complete (the decision makers' and the commission's are in test_pages)."""

from django.urls import reverse
import pytest

from classrooms.models import ApplicationStatus
from tests.builders.classrooms import make_class_in, make_world
from tests.builders.deployment import make_accepted, make_training

A = ApplicationStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return make_world()


def _lines(client, url):
    return {line.key: line for line in client.get(url).context["lines"]}


def test_a_teacher_of_an_accepted_class_sees_the_coming_training_sessions(client, world):
    dashboard = reverse("schools:dashboard")
    client.force_login(world.teacher_a)
    assert "classroom-trainings" not in _lines(client, dashboard)
    make_accepted(world)
    make_training(world)
    make_training(world, days=20)
    line = _lines(client, dashboard)["classroom-trainings"]
    assert (line.count, line.first_url) == (2, reverse("classrooms:my_trainings"))
    # Another school's teacher has no accepted class: nothing for them.
    client.force_login(world.teacher_b)
    assert "classroom-trainings" not in _lines(client, dashboard)


def test_a_resource_teacher_lands_on_the_evaluations_to_complete(client, world):
    returned = make_class_in(world, A.RETURNED)
    make_class_in(world, A.IN_PROGRESS)
    client.force_login(world.resource_teacher_a)
    line = _lines(client, reverse("classrooms:home"))["classroom-evaluations"]
    assert line.count == 1
    assert line.first_url == reverse("classrooms:followup", kwargs={"application_id": returned.public_id})
    assert returned.number in line.first_label
