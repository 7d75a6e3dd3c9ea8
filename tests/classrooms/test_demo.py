"""The demo shows the programme alive: applications in every state, loaded twice without change."""

import io

from django.core import mail
import pytest

from classrooms import demo, demo_followup
from classrooms.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    CommissionSession,
    SessionStatus,
)
from loans import demo as loans_demo
from schools import demo as schools_demo
from schools.models import District, Trimester


def seed_everything(capture, settings) -> None:
    """The demos the programme rests on, then the programme's own, its mails delivered."""
    settings.DEMO_MODE = True
    with capture(execute=True):
        schools_demo.seed(io.StringIO())
        loans_demo.seed(io.StringIO())
        demo.seed(io.StringIO())
        demo_followup.seed(io.StringIO())


@pytest.mark.django_db
def test_the_demo_has_an_application_in_every_state_and_is_idempotent(
    django_capture_on_commit_callbacks, settings
):
    seed_everything(django_capture_on_commit_callbacks, settings)
    # The deployment plan's own states (training, delivery) are seeded with the plan.
    planned = {ApplicationStatus.TRAINING_REGISTERED, ApplicationStatus.DELIVERED}
    assert (
        set(Application.objects.values_list("status", flat=True)) == set(ApplicationStatus.values) - planned
    )
    assert set(CommissionSession.objects.values_list("status", flat=True)) == set(SessionStatus.values)
    assert all(session.minutes for session in CommissionSession.objects.filter(status=SessionStatus.DECIDED))
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
    demo_followup.seed(io.StringIO())
    assert (
        Application.objects.count(),
        ApplicationEvent.objects.count(),
        CommissionSession.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_the_demo_yearly_report_of_last_year_has_content(django_capture_on_commit_callbacks, settings):
    from classrooms.report import yearly_report

    seed_everything(django_capture_on_commit_callbacks, settings)
    label = (
        Application.objects.filter(campaign__name=demo_followup.PAST_CAMPAIGN)
        .first()
        .campaign.school_year.label
    )
    report = yearly_report(label)
    assert (report.year.classes, report.year.evaluated, report.year.kits) == (6, 4, 2)
    assert report.municipalities_with_plan == 2 and report.b2i_rate is not None
    assert report.year.days_lent > 0
