"""Labels of choices without Django's per-call work.

Django's ``get_FOO_display`` builds a dictionary of every choice of the field at each call; a
case's timeline asks it once per event, for a list of two dozen kinds. The mixin keeps one
dictionary per field. The labels stay lazy, so each call still gives the current language's.
"""

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_LABELS: dict = {}


class ChoiceLabels:
    """For a model: ``get_FOO_display`` from a dictionary built once per field (put it before
    ``models.Model`` among the bases)."""

    def _get_FIELD_display(self, field):  # noqa: N802 - Django's name
        labels = _LABELS.get(field)
        if labels is None:
            labels = _LABELS[field] = dict(make_hashable(field.flatchoices))
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)
