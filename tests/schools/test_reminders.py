"""The reminder engine: school days of the school's calendar, once per step, silenced per
case, in the recipient's language; and the rules of documents, visits and loans."""

import datetime

from django.core import mail
from django.utils import timezone
import pytest

from conventions.models import Document, SigningLink
from schools.models import Calendar, CalendarKind, Holiday, ReminderSent, SchoolYear
from schools.reminders import RULES, reminders_of, reminders_silence, run_reminders, subject_of
from tests.builders.conventions import make_ready_case, send

pytestmark = pytest.mark.django_db
D = datetime.date
SENT_ON = D(2026, 11, 5)  # a Thursday


@pytest.fixture(autouse=True)
def _wording(db):
    from conventions.services import ensure_default_templates

    ensure_default_templates()


@pytest.fixture
def calendar(db):
    """School days: weekdays of 2026-2027 but Tuesday 10 and Wednesday 11 November 2026."""
    Calendar.objects.filter(is_default=True).update(is_default=False)
    calendar = Calendar.objects.create(
        name="Rappels", code="reminders", kind=CalendarKind.FWB, is_default=True
    )
    SchoolYear.objects.create(calendar=calendar, label="2026-2027", start=D(2026, 8, 31), end=D(2027, 7, 2))
    Holiday.objects.create(calendar=calendar, name="Congé", start=D(2026, 11, 10), end=D(2026, 11, 11))
    return calendar


@pytest.fixture
def waiting_case(calendar, school_a, director_a, coordinator, django_capture_on_commit_callbacks):
    director_a.language = "fr"
    director_a.save(update_fields=["language"])
    case = make_ready_case(school_a, director_a, coordinator, guardians=1)
    send(case, coordinator, django_capture_on_commit_callbacks)
    sent_at = timezone.make_aware(datetime.datetime(2026, 11, 5, 10, 0))
    Document.objects.filter(case=case).update(status_changed_at=sent_at)
    mail.outbox.clear()
    return case


def _run(capture, day) -> list:
    mail.outbox.clear()
    with capture(execute=True):
        run_reminders(today=day)
    return [(m.extra_headers.get("X-ClassContact-Mail"), m.to[0], m.subject) for m in mail.outbox]


def test_signers_are_reminded_after_2_and_5_school_days_then_the_coordinator(
    waiting_case, director_a, coordinator, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    assert _run(capture, D(2026, 11, 6)) == []  # one school day only
    monday = _run(capture, D(2026, 11, 9))  # Fri 6, Mon 9: two school days
    again = _run(capture, D(2026, 11, 9))
    holiday = _run(capture, D(2026, 11, 11))
    saturday = _run(capture, D(2026, 11, 14))
    fifth = _run(capture, D(2026, 11, 16))  # Thu 12, Fri 13, Mon 16 (10 and 11 are holidays)
    sixth = _run(capture, D(2026, 11, 17))

    assert sorted(name for name, _to, _subject in monday) == ["reminder-signature", "signature-link"]
    [director_mail] = [m for m in monday if m[0] == "reminder-signature"]
    assert director_mail[1] == director_a.email
    assert director_mail[2].startswith("Rappel")  # in the director's language, French
    assert again == holiday == saturday == []
    assert sorted(name for name, _to, _subject in fifth) == ["reminder-signature", "signature-link"]
    # One alert per document still waiting (the convention and the engagement).
    assert [(name, to) for name, to, _subject in sixth] == [("reminder-escalation", coordinator.email)] * 2
    assert ReminderSent.objects.count() == 6
    # The parent's reminder is a new working link; the first one died once it was sent.
    assert SigningLink.objects.filter(revoked_at__isnull=True, used_at__isnull=True).count() == 1


def test_silenced_case_gets_no_reminder_and_staff_see_what_is_planned(
    waiting_case, coordinator, django_capture_on_commit_callbacks
):
    subject = subject_of(waiting_case)
    planned = reminders_of(subject, today=D(2026, 11, 6))
    reminders_silence(subject=subject, by=coordinator)

    assert _run(django_capture_on_commit_callbacks, D(2026, 11, 9)) == []
    dates = sorted({row["date"] for row in planned["planned"]})
    assert dates == [D(2026, 11, 9), D(2026, 11, 16), D(2026, 11, 17)]
    assert reminders_of(subject)["silence"].silenced_by == coordinator


def test_every_app_rule_is_registered():
    assert {
        "conventions.signature_waiting",
        "conventions.absence_ended",
        "loans.visit_tomorrow",
        "loans.loan_overdue",
    } <= set(RULES)
