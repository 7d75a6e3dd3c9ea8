"""Django's PostgreSQL backend, preparing on the server the statements whose plan does not
depend on their values (``DATABASES["default"]["ENGINE"] = "classcontact.postgresql"``).

A statement run five times on a kept connection is prepared there, and PostgreSQL then plans
it once for any values: a page's reads by key (its session, person, device, ticket or case,
the rows belonging to it) no longer pay their planning at each request, which for a join of a
few tables cost more than running it. That one plan is made for values of average frequency,
so a statement whose best plan depends on its values keeps being planned for them: a text
search, and a page of a sorted list (PostgreSQL would otherwise walk the list's order looking
for a rare state, reading most of the table). ``planned_once`` says which is which.
"""

import functools
import re

from django.db.backends.postgresql import base
import psycopg

# A text search, a pattern, a page of a sorted list, an offset, or a limit other than the
# 21 rows of Django's ``get()`` (``exists()`` and ``first()`` look for a first match); and a
# result of ``*`` columns, whose shape a migration changes under a kept connection
# (``columns`` in this package names them instead).
_PLANNED_FOR_ITS_VALUES = re.compile(
    r'\sLIKE\s|\s~\*?\s|@@|\sOFFSET\s|ORDER BY .*\sLIMIT\s|\sLIMIT\s(?!21\b)|SELECT \*|[\w"]\.\*',
    re.DOTALL,
)


@functools.lru_cache(maxsize=2048)
def planned_once(sql: str) -> bool:
    """Whether the statement may be prepared: one plan serves any of its values, and its
    result's columns are named."""
    return not _PLANNED_FOR_ITS_VALUES.search(sql)


# What PostgreSQL answers when a migration changed the columns a prepared statement returns.
_RESULT_CHANGED = "cached plan must not change result type"


class PlannedOnceCursor(base.ServerBindingCursor):
    def execute(self, query, params=None, *, prepare=None, binary=None):
        if prepare is None and isinstance(query, str) and not planned_once(query):
            prepare = False
        try:
            return super().execute(query, params, prepare=prepare, binary=binary)
        except psycopg.errors.FeatureNotSupported as error:
            if _RESULT_CHANGED not in str(error):
                raise
            # A migration changed a table under this kept connection (a column's type, say):
            # its prepared statements are forgotten (psycopg forgets its own with them), and the
            # statement runs again when no transaction failed with it; in a transaction, the
            # rollback that follows forgets them the same way.
            if self.connection.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                raise
            self.connection.execute("DEALLOCATE ALL")
            return super().execute(query, params, prepare=prepare, binary=binary)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        if params.get("cursor_factory") is base.ServerBindingCursor:
            params["cursor_factory"] = PlannedOnceCursor
        return params
