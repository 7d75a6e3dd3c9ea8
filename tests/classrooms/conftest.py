import pytest

from tests.builders.classrooms import make_world


@pytest.fixture
def world(db):
    """Two districts of Pas-de-Calais with their inspector and school, and the programme's people."""
    return make_world()
