"""Retention: what each app erases once a pupil's case has passed its retention period.

The purge itself belongs to the cases (``cases/retention.py``); each app tells it, once in its
``ready``, what it holds about a pupil (``purge_register``). This module imports no app.

Text that copied a pupil's name (timeline lines, ticket bodies, e-mails) is not blanked whole
when it may still say something useful: the *known values* (the pupil's names and date of birth,
the home street, the guardians' names, e-mail addresses and phone numbers) are replaced by
``ERASED`` wherever they appear, in the live row and in every history row of it. Free text
written about the pupil alone (notes, reasons) is blanked by the app that owns it.
"""

from collections.abc import Callable
from dataclasses import dataclass
import re

from django.db import models
from django.db.models import F, Func, Value
from django.db.models.functions import Cast

ERASED = "[effacé]"


@dataclass(frozen=True)
class Known:
    """The values that identify one pupil, to be found and replaced in copied text."""

    values: tuple[str, ...]
    # Values found only in what concerns this pupil (the case number, the full name, the
    # guardians' addresses): they pick shared rows (e-mails) that speak of the pupil.
    anchors: tuple[str, ...] = ()

    @classmethod
    def of(cls, values, anchors=()) -> "Known":
        return cls(values=_kept(values), anchors=_kept(anchors))

    @property
    def pattern(self) -> str:
        """A PostgreSQL regular expression matching any value as a whole word."""
        return _pattern(self.values)

    @property
    def anchor_pattern(self) -> str:
        return _pattern(self.anchors)


def _kept(values) -> tuple[str, ...]:
    kept = {str(v).strip() for v in values if v and len(str(v).strip()) >= 3}
    # Longest first, so that "Emma Peeters" goes before "Emma".
    return tuple(sorted(kept, key=lambda v: (-len(v), v)))


def _pattern(values) -> str:
    parts = []
    for value in values:
        start = r"\y" if value[0].isalnum() else ""
        end = r"\y" if value[-1].isalnum() else ""
        parts.append(start + re.escape(value) + end)
    return "(" + "|".join(parts) + ")" if parts else r"(?!x)x"


class RegexpReplace(Func):
    function = "REGEXP_REPLACE"
    output_field = models.TextField()

    def __init__(self, expression, pattern: str, replacement: str = ERASED):
        super().__init__(expression, Value(pattern), Value(replacement), Value("gi"))


def _replaced(field, pattern: str):
    if isinstance(field, models.JSONField):
        as_text = Cast(F(field.name), models.TextField())
        return Cast(RegexpReplace(as_text, pattern), models.JSONField())
    return RegexpReplace(F(field.name), pattern)


def _text_fields(model, names) -> list:
    fields = [model._meta.get_field(name) for name in names]
    return [f for f in fields if isinstance(f, models.CharField | models.TextField | models.JSONField)]


def text_field_names(model) -> list[str]:
    """Every text, char and JSON field a model has (its free text and its copies)."""
    return [f.name for f in model._meta.concrete_fields if _text_fields(model, [f.name])]


def scrub(queryset: models.QuerySet, fields: list[str], known: Known, *, history: bool = True) -> int:
    """Replace the known values in ``fields`` of these rows and of their history rows.

    A queryset ``update`` writes no history row: the erasure leaves no copy behind.
    Returns how many rows were changed (history rows included).
    """
    if not known.values:
        return 0
    changed = 0
    querysets = [queryset]
    if history and hasattr(queryset.model, "history"):
        ids = list(queryset.values_list("pk", flat=True))
        history_model = queryset.model.history.model
        querysets.append(history_model.objects.filter(**{f"{queryset.model._meta.pk.attname}__in": ids}))
    for rows in querysets:
        for field in _text_fields(rows.model, fields):
            matching = rows
            if not isinstance(field, models.JSONField):
                matching = rows.filter(**{f"{field.name}__iregex": known.pattern})
            changed += matching.update(**{field.name: _replaced(field, known.pattern)})
    return changed


def overwrite(queryset: models.QuerySet, values: dict, *, history: bool = True) -> int:
    """Set ``values`` on these rows and on their history rows; returns the rows changed."""
    changed = 0
    if history and hasattr(queryset.model, "history"):
        ids = list(queryset.values_list("pk", flat=True))
        history_model = queryset.model.history.model
        changed += history_model.objects.filter(**{f"{queryset.model._meta.pk.attname}__in": ids}).update(
            **values
        )
    return changed + queryset.update(**values)


def delete_files(field_files) -> int:
    """Remove stored files (a missing one is already gone); returns how many were removed."""
    removed = 0
    for field_file in field_files:
        if field_file and field_file.name:
            if field_file.storage.exists(field_file.name):
                field_file.storage.delete(field_file.name)
                removed += 1
    return removed


# What an app erases for one expired case: ``(case, known) -> {what: count}``.
Purger = Callable[[object, Known], dict[str, int]]
_IDENTITY: list[tuple[str, Purger]] = []
_DOCUMENTS: list[tuple[str, Purger]] = []
# What an app erases on its own schedule, whatever the case: ``(now) -> {what: count}``.
Sweep = Callable[[object], dict[str, int]]
_SWEEPS: list[tuple[str, Sweep]] = []


def purge_register(
    name: str, *, identity: Purger | None = None, documents: Purger | None = None, sweep: Sweep | None = None
) -> None:
    """Add an app's purgers: ``identity`` runs when the case's identity expires, ``documents``
    when its signed documents' legal period ends, ``sweep`` every day. Registering twice is
    harmless."""
    for registry, purger in ((_IDENTITY, identity), (_DOCUMENTS, documents), (_SWEEPS, sweep)):
        if purger is not None and all(existing != name for existing, _p in registry):
            registry.append((name, purger))


def sweeps() -> list[tuple[str, Sweep]]:
    return list(_SWEEPS)


def identity_purgers() -> list[tuple[str, Purger]]:
    return list(_IDENTITY)


def document_purgers() -> list[tuple[str, Purger]]:
    return list(_DOCUMENTS)
