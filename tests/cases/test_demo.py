"""Demo data: a case in every state for the demo schools, loaded twice without change."""

import io

from django.core import mail
import pytest

from cases import demo as loans_demo
from cases.models import CaseEvent, CaseStatus, ConnectionCase
from schools import demo as schools_demo


@pytest.mark.django_db
def test_the_demo_has_a_case_in_every_state_and_is_idempotent(django_capture_on_commit_callbacks, settings):
    settings.DEMO_MODE = True
    with django_capture_on_commit_callbacks(execute=True):
        schools_demo.seed(io.StringIO())
        loans_demo.seed(io.StringIO())
    assert set(ConnectionCase.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert set(ConnectionCase.objects.values_list("school__official_number", flat=True)) == {"1001", "1002"}
    assert mail.outbox == []
    assert not CaseEvent.objects.filter(notified_at__isnull=True).exists()
    counts = (ConnectionCase.objects.count(), CaseEvent.objects.count())
    loans_demo.seed(io.StringIO())
    assert (ConnectionCase.objects.count(), CaseEvent.objects.count()) == counts
