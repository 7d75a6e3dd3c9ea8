"""On PostgreSQL, a statement run again and again on a kept connection is planned once when one
plan serves all its values: the server binds its parameters and keeps it prepared. Searches and
pages of sorted lists are planned for their values each time. DATABASE_PREPARED_STATEMENTS=0
(a pooler in transaction mode) turns it off."""

import ast

from django.db import NotSupportedError, connection, transaction
import pytest

from classcontact.postgresql.base import planned_once
from classcontact.request_reads import SessionStore
from schools.models import School
from schools.selectors import user_with_roles
from tests.builders.schools import make_school, make_staff

from .test_deploy import production, run_manage

pytestmark = pytest.mark.django_db

SETTINGS = "from django.conf import settings; d = settings.DATABASES['default']; print((d['ENGINE'], d.get('OPTIONS', {})))"


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


@pytest.fixture
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")


def test_a_read_by_key_run_again_on_the_connection_is_prepared_on_the_server(on_postgresql):
    schools = [make_school(), make_school()]
    found = []
    for _round in range(6):  # prepared after five runs, different values each time
        found += [
            School.objects.filter(pk=school.pk).values_list("name", flat=True).get() for school in schools
        ]
    assert found == [school.name for school in schools] * 6
    assert any('FROM "schools_school" WHERE "schools_school"."id" = $1' in text for text in _prepared())


def test_searches_and_pages_of_sorted_lists_are_planned_for_their_values(on_postgresql):
    school = make_school(name="École des Tilleuls")
    for _round in range(8):
        assert list(School.objects.filter(name__icontains="tilleuls")) == [school]
        assert list(School.objects.filter(is_active=True).order_by("name", "pk")[:20]) == [school]
        assert School.objects.filter(city=school.city).exists()
    prepared = [text for text in _prepared() if '"schools_school"' in text]
    assert not prepared, prepared


def _other_connection_runs(statement: str) -> None:
    """A statement run as a deployment's migration would: on its own connection."""
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"],
        autocommit=True,
    ) as other:
        other.execute(statement)


@pytest.mark.django_db(transaction=True)
def test_the_reads_of_each_request_survive_a_column_added_while_their_connection_is_kept(on_postgresql):
    person = make_staff()
    store = SessionStore()
    store["colour"] = "bleu"
    store.create()
    for _round in range(6):  # prepared on this connection
        assert user_with_roles(person.pk) == person
        assert SessionStore(store.session_key).load() == {"colour": "bleu"}
    _other_connection_runs("ALTER TABLE schools_user ADD COLUMN nickname text")
    _other_connection_runs("ALTER TABLE django_session ADD COLUMN device text")
    try:
        assert user_with_roles(person.pk) == person
        assert SessionStore(store.session_key).load() == {"colour": "bleu"}
    finally:
        _other_connection_runs("ALTER TABLE schools_user DROP COLUMN nickname")
        _other_connection_runs("ALTER TABLE django_session DROP COLUMN device")


def _name_length() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT character_maximum_length FROM information_schema.columns"
            " WHERE table_name = 'schools_school' AND column_name = 'name'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_prepared_read_survives_a_column_whose_type_a_migration_changed(on_postgresql):
    school = make_school()

    def name():
        return School.objects.filter(pk=school.pk).values_list("name", flat=True).get()

    for _round in range(6):
        assert name() == school.name
    length = _name_length()
    _other_connection_runs(f"ALTER TABLE schools_school ALTER COLUMN name TYPE varchar({length + 50})")
    try:
        # Inside a transaction the statement fails once; the rollback forgets the prepared ones.
        with pytest.raises(NotSupportedError), transaction.atomic():
            name()
        assert name() == school.name
        for _round in range(6):
            assert name() == school.name
        _other_connection_runs(f"ALTER TABLE schools_school ALTER COLUMN name TYPE varchar({length + 60})")
        assert name() == school.name  # outside a transaction: run again at once
    finally:
        _other_connection_runs(f"ALTER TABLE schools_school ALTER COLUMN name TYPE varchar({length})")


@pytest.mark.parametrize(
    ("sql", "once"),
    [
        ('SELECT "t"."id" FROM "t" WHERE "t"."id" = %s LIMIT 21', True),
        ('SELECT "m"."id" FROM "m" WHERE "m"."ticket_id" = %s ORDER BY "m"."created_at" ASC', True),
        ('SELECT "s"."session_key" FROM django_session s WHERE session_key = %s AND expire_date > %s', True),
        ('SELECT COUNT(*) AS "__count" FROM "t" WHERE "t"."case_id" = %s', True),
        ("SELECT * FROM django_session WHERE session_key = %s AND expire_date > %s", False),
        ("SELECT person.*, ARRAY(SELECT 1) AS roles FROM schools_user person WHERE person.id = %s", False),
        ('SELECT "t"."id" FROM "t" WHERE UPPER("t"."subject"::text) LIKE UPPER(%s)', False),
        ('SELECT "t"."id" FROM "t" WHERE "t"."name"::text ~* %s', False),
        ('SELECT "t"."id" FROM "t" WHERE "t"."status" = %s ORDER BY "t"."created_at" DESC LIMIT 21', False),
        (
            'SELECT COUNT(*) FROM (SELECT "t"."id" FROM "t" WHERE "t"."kind" = %s ORDER BY "t"."id"\nLIMIT 101) s',
            False,
        ),
        ('SELECT 1 AS "a" FROM "t" WHERE "t"."status" = %s LIMIT 1', False),
        ('SELECT "t"."id" FROM "t" WHERE "t"."kind" = %s LIMIT 20 OFFSET 40', False),
    ],
)
def test_which_statements_are_planned_once(sql, once):
    assert planned_once(sql) is once


def test_prepared_statements_can_be_turned_off_for_a_pooler():
    database = "postgres://postgres@127.0.0.1:5432/unused"
    on = run_manage("shell", "-c", SETTINGS, **production(DATABASE_URL=database))
    off = run_manage(
        "shell", "-c", SETTINGS, **production(DATABASE_URL=database, DATABASE_PREPARED_STATEMENTS="0")
    )
    assert on.returncode == 0 and off.returncode == 0, on.stderr + off.stderr
    assert ast.literal_eval(on.stdout.splitlines()[-1]) == (
        "classcontact.postgresql",
        {"server_side_binding": True, "prepare_threshold": 5},
    )
    assert ast.literal_eval(off.stdout.splitlines()[-1]) == ("django.db.backends.postgresql", {})
