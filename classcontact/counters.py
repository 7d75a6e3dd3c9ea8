"""Counter tables kept up to date by the services: add to them in one statement."""

from django.db import connection


def counters_add(model, *, key: tuple[str, ...], increments: dict[tuple, dict[str, int]]) -> None:
    """Add ``increments`` (key values → {counter field: n}) to the rows of ``model``, creating
    the missing ones (``key`` names its unique fields; every other field is a counter).

    One ``INSERT … ON CONFLICT DO UPDATE`` (PostgreSQL and SQLite): two transactions adding to
    the same row at once both count, and rows are written in key order so that they lock in
    the same order.
    """
    increments = {k: v for k, v in increments.items() if any(v.values())}
    if not increments:
        return
    # Every counter of the table, so that a new row starts each at 0.
    fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key and f.attname not in key]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(name) for name in (*key, *fields))
    row = "(" + ", ".join(["%s"] * (len(key) + len(fields))) + ")"
    adds = ", ".join(f"{quote(name)} = {table}.{quote(name)} + excluded.{quote(name)}" for name in fields)
    params = [
        value for k in sorted(increments) for value in (*k, *(increments[k].get(name, 0) for name in fields))
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(increments))} "  # noqa: S608 - our names
            f"ON CONFLICT ({', '.join(quote(name) for name in key)}) DO UPDATE SET {adds}",
            params,
        )


def counted_row_write(model, old_row, new: dict | None, **key) -> None:
    """Put ``new`` (what one object adds to the counters) in place of ``old_row``: the row is
    created, changed, or deleted when the object no longer adds anything."""
    if new is None:
        if old_row is not None:
            old_row.delete()
    elif old_row is None:
        model.objects.create(**key, **new)
    else:
        model.objects.filter(**key).update(**new)


def counters_empty(rows_model, *counter_models) -> None:
    """Before counting everything again (in the caller's transaction): lock the rows' table,
    so that changes made meanwhile wait instead of adding to counts about to be replaced, and
    empty the tables."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {connection.ops.quote_name(rows_model._meta.db_table)} IN EXCLUSIVE MODE"
            )
    for model in (*counter_models, rows_model):
        model.objects.all().delete()
