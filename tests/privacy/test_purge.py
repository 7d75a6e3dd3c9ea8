"""The daily purge: what it erases, when, and what it keeps."""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone
import pytest

from cases import retention
from cases.dashboard import Period, programme_figures
from cases.models import CaseEvent, CaseStatus, ConnectionCase, PupilExport
from cases.services import pupil_export_start
from cases.tasks import purge_expired
from classcontact.retention import ERASED
from conventions.models import DocumentFile
from helpdesk.models import Ticket
from tests.builders.cases import make_case
from tests.builders.privacy import SECRETS, lived_case, tables_containing

pytestmark = pytest.mark.django_db

SEARCHED = (SECRETS["last_name"], SECRETS["street"], SECRETS["guardian_email"])


def _close_on(case, day: datetime.date) -> ConnectionCase:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(15, 0)))
    ConnectionCase.objects.filter(pk=case.pk).update(closed_at=moment)
    return ConnectionCase.objects.get(pk=case.pk)


def _expired(case, months: int = 12) -> ConnectionCase:
    return _close_on(case, timezone.localdate() - relativedelta(months=months) - datetime.timedelta(days=1))


@pytest.fixture
def lived(school_a, director_a, coordinator, technician, django_capture_on_commit_callbacks):
    return lived_case(school_a, director_a, coordinator, technician, django_capture_on_commit_callbacks)


def test_after_the_purge_no_table_holds_the_pupils_name_address_or_guardians_email(
    lived, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = pupil_export_start(case=lived, by=coordinator)
    export.refresh_from_db()
    assert export.file and export.file.storage.exists(export.file.name)
    # The copies exist before the purge, in the live tables, their history and the mails.
    before = tables_containing(*SEARCHED)
    assert any(t.startswith("cases_historicalconnectioncase.") for t in before)
    assert any(t.startswith("post_office_email.") for t in before)
    assert any(t.startswith("helpdesk_ticketmessage.") for t in before)
    assert any(t.startswith("schools_remindersent.") for t in before)
    assert any(t.startswith("loans_visit.") for t in before)
    _expired(lived)
    kinds = list(lived.events.values_list("kind", "at"))

    counts = retention.retention_purge()

    assert counts["cases erased"] == 1
    assert tables_containing(*SEARCHED, SECRETS["first_name"], SECRETS["guardian_phone"]) == []
    case = ConnectionCase.objects.get(pk=lived.pk)
    assert case.number == lived.number and case.status == CaseStatus.CLOSED and case.purged_at
    assert case.pupil_last_name == ERASED and case.pupil_birth_date is None
    assert list(case.events.values_list("kind", "at")) == kinds
    # The pupil's export copied everything: it goes with its file.
    assert not PupilExport.objects.exists() and not export.file.storage.exists(export.file.name)


def test_the_purge_is_idempotent_and_logs_counts_only(lived, caplog):
    _expired(lived)
    with caplog.at_level("INFO", logger="cases.retention"):
        first = retention.retention_purge()
        second = retention.retention_purge()
    assert first["cases erased"] == 1 and "cases erased" not in second
    text = caplog.text
    assert "cases erased=1" in text
    for value in SECRETS.values():
        assert value not in text


@pytest.mark.parametrize(("days_after", "erased"), [(-1, False), (0, True), (1, True)])
def test_the_identity_goes_on_the_day_its_retention_ends(
    school_a, director_a, coordinator, settings, days_after, erased
):
    settings.RETENTION_CASE_MONTHS = 12
    case = make_case(school_a, director_a, coordinator, CaseStatus.WITHDRAWN, pupil_last_name="Boundary")
    today = timezone.localdate()
    case = _close_on(case, today - relativedelta(months=12) - datetime.timedelta(days=days_after))
    assert retention.purge_date(case) == today - datetime.timedelta(days=days_after)

    retention.retention_purge(today=today)

    case.refresh_from_db()
    assert (case.purged_at is not None) is erased
    assert (case.pupil_last_name == "Boundary") is not erased


def test_an_open_case_is_never_purged(school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, CaseStatus.UNDER_REVIEW)
    ConnectionCase.objects.filter(pk=case.pk).update(closed_at=timezone.now() - relativedelta(years=20))
    retention.retention_purge()
    case.refresh_from_db()
    assert case.purged_at is None and case.pupil_last_name == "Peeters"


def test_a_legal_hold_stops_the_purge(school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, CaseStatus.WITHDRAWN)
    case = _expired(case, months=200)
    retention.case_legal_hold(case=case, by=coordinator, reason="Court request of 3 March.")

    counts = retention.retention_purge()

    case.refresh_from_db()
    assert "cases erased" not in counts and case.purged_at is None and case.pupil_last_name == "Peeters"
    retention.case_legal_hold_release(case=case, by=coordinator)
    retention.retention_purge()
    case.refresh_from_db()
    assert case.purged_at is not None


def test_signed_documents_stay_for_the_legal_period_then_their_files_go(lived, settings):
    settings.RETENTION_DOCUMENT_YEARS = 10
    files = list(DocumentFile.objects.filter(document__case=lived))
    assert files and all(f.file.storage.exists(f.file.name) for f in files)
    _expired(lived)
    retention.retention_purge()
    assert all(f.file.storage.exists(f.file.name) for f in files)  # the legal record stays

    _close_on(lived, timezone.localdate() - relativedelta(years=10))
    counts = retention.retention_purge()

    assert counts["cases' documents deleted"] == 1 and counts["document files"] == len(files)
    assert not any(f.file.storage.exists(f.file.name) for f in files)
    assert not DocumentFile.objects.filter(document__case=lived).exists()


def test_yearly_statistics_are_the_same_after_the_purge(lived, school_a, director_a, coordinator):
    make_case(school_a, director_a, coordinator, CaseStatus.ACTIVE, pupil_last_name="Other")
    today = timezone.localdate()
    period = Period(start=today - relativedelta(years=2), end=today)
    _expired(lived)
    before = programme_figures(period, today=today)
    assert sum(count for _state, _label, count in before.requests_by_state) == 2

    retention.retention_purge()

    assert programme_figures(period, today=today) == before


def test_old_closed_tickets_lose_their_free_text(school_a, director_a, settings):
    from tests.builders.helpdesk import open_ticket

    ticket = open_ticket(school_a, director_a, description="Ask for Mrs Unique at 0477 00 00 01.")
    Ticket.objects.filter(pk=ticket.pk).update(closed_at=timezone.now() - relativedelta(months=13))
    settings.RETENTION_TICKET_MONTHS = 12
    purge_expired()
    ticket.refresh_from_db()
    assert ticket.description == ERASED and ticket.subject == ticket.reference
    assert tables_containing("Mrs Unique") == []


def test_the_daily_task_is_scheduled(settings):
    assert any(entry["task"] == "cases.purge_expired" for entry in settings.CELERY_BEAT_SCHEDULE.values())


def test_timeline_lines_keep_their_kind_but_lose_free_text(lived):
    assert CaseEvent.objects.filter(case=lived).exclude(message="").exists()
    _expired(lived)
    retention.retention_purge()
    assert not CaseEvent.objects.filter(case=lived).exclude(message="").exists()


def test_the_purge_works_through_every_expired_case_in_batches(school_a, director_a, coordinator, settings):
    settings.RETENTION_BATCH_SIZE = 1
    cases = [
        _expired(make_case(school_a, director_a, coordinator, CaseStatus.WITHDRAWN, pupil_last_name=name))
        for name in ("Batchone", "Batchtwo", "Batchthree")
    ]
    assert retention.retention_purge()["cases erased"] == 3
    assert all(ConnectionCase.objects.get(pk=case.pk).purged_at for case in cases)
    assert tables_containing("Batchone", "Batchtwo", "Batchthree") == []
