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

# A text search, a pattern, a page of a sorted list, an offset, or a limit other than the
# 21 rows of Django's ``get()`` (``exists()`` and ``first()`` look for a first match).
_PLANNED_FOR_ITS_VALUES = re.compile(
    r"\sLIKE\s|\s~\*?\s|@@|\sOFFSET\s|ORDER BY .*\sLIMIT\s|\sLIMIT\s(?!21\b)",
    re.DOTALL,
)


@functools.lru_cache(maxsize=2048)
def planned_once(sql: str) -> bool:
    """Whether the statement may be prepared: one plan serves any of its values."""
    return not _PLANNED_FOR_ITS_VALUES.search(sql)


class PlannedOnceCursor(base.ServerBindingCursor):
    def execute(self, query, params=None, *, prepare=None, binary=None):
        if prepare is None and isinstance(query, str) and not planned_once(query):
            prepare = False
        return super().execute(query, params, prepare=prepare, binary=binary)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        if params.get("cursor_factory") is base.ServerBindingCursor:
            params["cursor_factory"] = PlannedOnceCursor
        return params
