"""The expected end of absence has passed and the kit is still installed: the directors are
asked, and each parent gets their "no longer needed" link, once per step."""

import datetime

from django.core import mail
import pytest

from cases.models import CaseStatus, ConnectionCase
from conventions.models import LinkPurpose, SigningLink
from schools.calendars import SchoolDays
from schools.reminders import run_reminders
from tests.builders.helpdesk import build_calendar
from tests.builders.loans import installed_case

pytestmark = pytest.mark.django_db


def test_after_the_absence_directors_are_asked_and_parents_get_their_end_link(
    school_a, director_a, coordinator, technician, django_capture_on_commit_callbacks
):
    days = SchoolDays(build_calendar())
    case, _loan = installed_case(school_a, director_a, coordinator, technician)
    assert case.status == CaseStatus.ACTIVE
    end = datetime.date(2026, 11, 13)
    ConnectionCase.objects.filter(pk=case.pk).update(
        absence_start=end - datetime.timedelta(days=60), absence_end=end, absence_end_unknown=False
    )
    next_day = days.next_school_day(end)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run_reminders(today=end)  # the last day of absence itself: nothing yet
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        run_reminders(today=next_day)
    sent = sorted((m.extra_headers["X-ClassContact-Mail"], m.to[0]) for m in mail.outbox)

    assert ("reminder-absence-end", director_a.email) in sent
    assert ("signature-end-link", "sophie@example.org") in sent
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run_reminders(today=next_day)  # the second run sends nothing more
    assert mail.outbox == []
    assert SigningLink.objects.filter(purpose=LinkPurpose.END, revoked_at__isnull=True).count() == 1
