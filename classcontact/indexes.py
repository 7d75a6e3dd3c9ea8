"""Search indexes declared in the models' ``Meta``: trigram GIN indexes on PostgreSQL only.

Django writes ``icontains`` as ``UPPER(column::text) LIKE UPPER('%word%')`` and ``iexact`` as
``UPPER(column::text) = UPPER('word')``: a GIN index with ``gin_trgm_ops`` on
``UPPER(column)`` answers both without reading every row (``pg_trgm``, enabled by the
migrations with ``TrigramExtension``). SQLite (``make run``) has neither GIN nor trigrams:
there the index is simply not created, and the search scans the demo's few rows.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db.models.functions import Upper


def _is_postgres(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


class PostgresGinIndex(GinIndex):
    """A GIN index that exists on PostgreSQL only (nothing is created elsewhere)."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if not _is_postgres(schema_editor):
            return ""
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if not _is_postgres(schema_editor):
            return ""
        return super().remove_sql(model, schema_editor, **kwargs)


def upper_trigram_index(field: str, *, name: str) -> PostgresGinIndex:
    """The index a case-insensitive search (``icontains``, ``iexact``) of ``field`` uses."""
    return PostgresGinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=name)


class KeptTrigramExtension(TrigramExtension):
    """``CREATE EXTENSION pg_trgm`` (PostgreSQL only), left in place when a migration using it
    is reversed: the trigram indexes of other apps need it too."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        return None
