"""Choice labels come from a dictionary kept per field, in the language of each call."""

from django.db import models
from django.utils import translation

from cases.models import CaseEvent, CaseStatus, ConnectionCase, EventKind


def _stock(instance, name: str) -> str:
    """Django's own ``get_FOO_display``."""
    return models.Model._get_FIELD_display(instance, instance._meta.get_field(name))


def test_every_label_is_django_s_own_in_each_language():
    for language in ("fr", "en"):
        with translation.override(language):
            for kind in EventKind.values:
                event = CaseEvent(kind=kind)
                assert event.get_kind_display() == _stock(event, "kind")
            for status in CaseStatus.values:
                case = ConnectionCase(status=status)
                assert case.get_status_display() == _stock(case, "status")


def test_the_language_of_the_call_is_used_and_an_unknown_value_is_shown_as_is():
    case = ConnectionCase(status=CaseStatus.ELIGIBLE)
    with translation.override("en"):
        english = case.get_status_display()
    with translation.override("fr"):
        french = case.get_status_display()
    assert (english, french) == ("Eligible", "Éligible")
    assert ConnectionCase(status="no-such-state").get_status_display() == "no-such-state"
