"""On PostgreSQL, a statement run again and again on a kept connection is planned once: the
server binds its parameters and keeps it prepared, unless DATABASE_PREPARED_STATEMENTS=0 (a
pooler in transaction mode)."""

import ast

from django.db import connection
import pytest

from schools.models import School
from tests.builders.schools import make_school

from .test_deploy import production, run_manage

pytestmark = pytest.mark.django_db

OPTIONS = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS', {}))"


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_a_statement_run_again_on_the_connection_is_prepared_on_the_server():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    schools = [make_school(), make_school()]
    found = []
    for _round in range(6):  # prepared after five runs, different values each time
        found += [
            School.objects.filter(pk=school.pk).values_list("name", flat=True).get() for school in schools
        ]
    assert found == [school.name for school in schools] * 6
    assert any('FROM "schools_school" WHERE "schools_school"."id" = $1' in text for text in _prepared())


def test_prepared_statements_can_be_turned_off_for_a_pooler():
    database = "postgres://postgres@127.0.0.1:5432/unused"
    on = run_manage("shell", "-c", OPTIONS, **production(DATABASE_URL=database))
    off = run_manage(
        "shell", "-c", OPTIONS, **production(DATABASE_URL=database, DATABASE_PREPARED_STATEMENTS="0")
    )
    assert on.returncode == 0 and off.returncode == 0, on.stderr + off.stderr
    assert ast.literal_eval(on.stdout.splitlines()[-1]) == {"server_side_binding": True, "prepare_threshold": 5}
    assert ast.literal_eval(off.stdout.splitlines()[-1]) == {}
