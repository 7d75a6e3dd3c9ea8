"""The demo shows the programme alive: applications in every state, loaded twice without change."""

import io

from django.core import mail
import pytest

from classrooms import demo
from classrooms.models import (
    DEPLOYMENT_STATES,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    CommissionSession,
    SessionStatus,
)
from loans import demo as loans_demo
from schools import demo as schools_demo
from schools.models import District, Trimester


@pytest.mark.django_db
def test_the_demo_has_an_application_in_every_state_and_is_idempotent(
    django_capture_on_commit_callbacks, settings
):
    settings.DEMO_MODE = True
    with django_capture_on_commit_callbacks(execute=True):
        schools_demo.seed(io.StringIO())
        loans_demo.seed(io.StringIO())
        demo.seed(io.StringIO())
    deployed = set(DEPLOYMENT_STATES) - {ApplicationStatus.ACCEPTED}
    assert (
        set(Application.objects.values_list("status", flat=True)) == set(ApplicationStatus.values) - deployed
    )
    assert set(CommissionSession.objects.values_list("status", flat=True)) == set(SessionStatus.values)
    assert CommissionSession.objects.filter(status=SessionStatus.DECIDED).get().minutes
    assert District.objects.filter(department="Pas-de-Calais").count() == 3
    # The French calendar comes from the iCalendar file: three trimesters a year.
    assert (
        Trimester.objects.filter(
            school_year__calendar__code="fr-zone-b", school_year__label="2026-2027"
        ).count()
        == 3
    )
    assert Application.objects.filter(origin="invited").exists()
    assert mail.outbox == []
    assert not ApplicationEvent.objects.filter(notified_at__isnull=True).exists()
    counts = (
        Application.objects.count(),
        ApplicationEvent.objects.count(),
        CommissionSession.objects.count(),
    )
    demo.seed(io.StringIO())
    assert (
        Application.objects.count(),
        ApplicationEvent.objects.count(),
        CommissionSession.objects.count(),
    ) == counts
