"""The daily purge of what the portal no longer needs to keep about a pupil.

A closed or withdrawn case keeps the pupil's identity, home address and guardians for
``RETENTION_CASE_MONTHS`` months after it closed; its signed documents and their evidence
for ``RETENTION_DOCUMENT_YEARS`` years. A coordinator's legal hold stops both. Each app says
what it erases through ``classcontact.retention.purge_register`` (this module registers the
cases' own part, ``case_identity_purge``). Erased cases keep their number, dates, states and
figures, so that yearly statistics stay true. The run logs counts, never values.
"""

from collections import Counter
import datetime
import logging

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classcontact.errors import DomainError
from classcontact.export_jobs import jobs_delete
from classcontact.retention import (
    ERASED,
    Known,
    delete_files,
    document_purgers,
    identity_purgers,
    overwrite,
    scrub,
    sweeps,
    text_field_names,
)
from loans.models import HeldBy, holder_filter
from schools.models import StaffRole
from schools.reminder_models import ReminderSent
from schools.selectors import user_has_staff_role

from .models import CLOSED_STATES, CaseEvent, ConnectionCase, Guardian, PupilExport


class RetentionError(DomainError):
    pass


ERROR_HOLD_COORDINATORS = _("Only coordinators put a case on legal hold or release it.")
ERROR_HOLD_REASON = _("Give the reason for the legal hold.")
ERROR_ALREADY_PURGED = _("This case has already been erased: there is nothing left to hold.")

logger = logging.getLogger("cases.retention")

# What an erased case keeps of the pupil: nothing that names them or says why they are absent.
ERASED_CASE = {
    "pupil_first_name": "",
    "pupil_last_name": ERASED,
    "pupil_birth_date": None,
    "home_street": "",
    "home_postcode": "",
    "home_city": "",
    "teacher_names": "",
    "school_note": "",
    "internal_notes": "",
    "reason_category": "",
    "eligibility_reason": "",
    "withdrawal_reason": "",
    "certificate": "",
}
ERASED_GUARDIAN = {"first_name": ERASED, "last_name": "", "email": "", "phone": ""}


def _closed_on(case: ConnectionCase) -> datetime.date | None:
    if case.status not in CLOSED_STATES or case.closed_at is None:
        return None
    return timezone.localdate(case.closed_at)


def purge_date(case: ConnectionCase) -> datetime.date | None:
    """The day the pupil's identity is erased (None while the case is open)."""
    closed = _closed_on(case)
    return closed + relativedelta(months=settings.RETENTION_CASE_MONTHS) if closed else None


def documents_purge_date(case: ConnectionCase) -> datetime.date | None:
    """The day the signed documents and their evidence are deleted."""
    closed = _closed_on(case)
    return closed + relativedelta(years=settings.RETENTION_DOCUMENT_YEARS) if closed else None


def _hold_change(*, case: ConnectionCase, by, reason: str, at) -> ConnectionCase:
    if not user_has_staff_role(by, StaffRole.COORDINATOR):
        raise RetentionError(ERROR_HOLD_COORDINATORS)
    case = ConnectionCase.objects.select_for_update().get(pk=case.pk)
    if case.purged_at and at is not None:
        raise RetentionError(ERROR_ALREADY_PURGED)
    case.legal_hold_reason, case.legal_hold_at = reason, at
    case.legal_hold_by = by if at is not None else None
    case._history_user = by
    case.save(update_fields=["legal_hold_reason", "legal_hold_at", "legal_hold_by"])
    return case


@transaction.atomic
def case_legal_hold(*, case: ConnectionCase, by, reason: str) -> ConnectionCase:
    """A coordinator stops the purge of a case, with a reason (kept in the case's history)."""
    if not reason.strip():
        raise RetentionError(ERROR_HOLD_REASON)
    return _hold_change(case=case, by=by, reason=reason.strip(), at=timezone.now())


@transaction.atomic
def case_legal_hold_release(*, case: ConnectionCase, by) -> ConnectionCase:
    """A coordinator lifts the hold: the next daily run purges the case if its time has come."""
    return _hold_change(case=case, by=by, reason="", at=None)


def _due(today: datetime.date, *, done_field: str, when, limit: int) -> list[int]:
    """Ids of closed cases, not held, not done, whose day ``when(case)`` has come (oldest first)."""
    candidates = (
        ConnectionCase.objects.filter(
            status__in=CLOSED_STATES, closed_at__isnull=False, legal_hold_at__isnull=True
        )
        .filter(**{f"{done_field}__isnull": True})
        .order_by("closed_at", "pk")
        .only("pk", "status", "closed_at")
    )
    due = []
    for case in candidates.iterator(chunk_size=200):
        if when(case) > today:
            break  # ordered by closing: the next ones are later still
        due.append(case.pk)
        if len(due) >= limit:
            break
    return due


def known_of(case: ConnectionCase) -> Known:
    """The values that name this pupil and their guardians, past versions included."""
    people = case.history.values_list(
        "pupil_first_name", "pupil_last_name", "home_street", "pupil_birth_date"
    )
    guardians = Guardian.history.filter(case_id=case.pk).values_list(
        "first_name", "last_name", "email", "phone"
    )
    values, anchors = [], [case.number]
    for first, last, street, born in people:
        values += [first, last, street]
        anchors += [f"{first} {last}", f"{last} {first}"]
        if born:
            values += [born.strftime("%d/%m/%Y"), born.isoformat()]
    for first, last, email, phone in guardians:
        values += [first, last, email, phone]
        anchors += [email, f"{first} {last}"]
    return Known.of(values, anchors=[a for a in anchors if a and a.strip()])


def _held_models() -> list:
    """The logistics' records held by a programme (loans, visits, referrals)."""
    from django.apps import apps

    return [m for m in apps.get_app_config("loans").get_models() if issubclass(m, HeldBy)]


def case_identity_purge(case: ConnectionCase, known: Known) -> dict[str, int]:
    """The cases' own part: the case and its guardians pseudonymised (history included), the
    timeline's free text blanked (its kinds, states and dates stay), the certificate file
    deleted, reminder rows pointed at no address, admin log lines scrubbed."""
    files = delete_files([case.certificate])
    exports = jobs_delete(PupilExport.objects.filter(case=case))  # they copy everything
    cases = overwrite(ConnectionCase.objects.filter(pk=case.pk), ERASED_CASE)
    scrub(ConnectionCase.history.filter(id=case.pk), ["history_change_reason"], known, history=False)
    guardians = Guardian.history.filter(case_id=case.pk).update(**ERASED_GUARDIAN)
    guardians += Guardian.objects.filter(case=case).update(**ERASED_GUARDIAN)
    events = CaseEvent.objects.filter(case=case).exclude(message="").update(message="")
    # Reminders keep their proof of sending, but no longer the guardians' addresses.
    emails = [v.lower() for v in known.anchors if "@" in v]
    reminders = ReminderSent.objects.filter(recipient__in=emails)
    reminded = reminders.update(
        recipient=Concat(
            Value("erased-"),
            Cast("pk", output_field=ReminderSent._meta.get_field("recipient")),
            Value("@invalid"),
        )
    )
    logistics = sum(
        scrub(model.objects.filter(**holder_filter(case)), text_field_names(model), known)
        for model in _held_models()
    )
    logs = scrub(
        LogEntry.objects.filter(
            content_type__in=ContentType.objects.get_for_models(ConnectionCase, Guardian).values()
        ).filter(Q(object_repr__iregex=known.pattern) | Q(change_message__iregex=known.pattern)),
        ["object_repr", "change_message"],
        known,
        history=False,
    )
    return {
        "cases": cases,
        "guardians": guardians,
        "timeline lines": events,
        "certificates": files,
        "pupil exports deleted": exports,
        "reminders": reminded,
        "admin log lines": logs,
        "loans and visits": logistics,
    }


def case_purge_identity(*, case_id: int, now: datetime.datetime | None = None) -> dict[str, int]:
    """Erase one expired case's identity in every app (safe to run twice: done is skipped).

    Effects: each registered purger runs in one transaction; the case's ``purged_at`` is set.
    """
    now = now or timezone.now()
    with transaction.atomic():
        case = ConnectionCase.objects.select_for_update().filter(pk=case_id).first()
        if case is None or case.purged_at or case.legal_hold_at:
            return {}
        known = known_of(case)
        counts = Counter()
        for _name, purger in identity_purgers():
            counts.update(purger(case, known))
        ConnectionCase.objects.filter(pk=case.pk).update(purged_at=now)
    return dict(counts)


def case_purge_documents(*, case_id: int, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete one case's signed documents and evidence once their legal period has ended."""
    now = now or timezone.now()
    with transaction.atomic():
        case = ConnectionCase.objects.select_for_update().filter(pk=case_id).first()
        if case is None or case.documents_purged_at or case.legal_hold_at:
            return {}
        counts = Counter()
        for _name, purger in document_purgers():
            counts.update(purger(case, Known.of([])))
        ConnectionCase.objects.filter(pk=case.pk).update(documents_purged_at=now)
    return dict(counts)


def retention_purge(*, today: datetime.date | None = None, batch_size: int | None = None) -> dict[str, int]:
    """The daily run: every expired case in batches, then each app's own sweep.

    Effects: see ``case_purge_identity``, ``case_purge_documents`` and the registered
    sweeps; one log line with the counts (never a value). Running it twice changes nothing.
    """
    now = timezone.now()
    today = today or timezone.localdate(now)
    batch_size = batch_size or settings.RETENTION_BATCH_SIZE
    totals = Counter()
    while ids := _due(today, done_field="purged_at", when=purge_date, limit=batch_size):
        for case_id in ids:
            totals.update(case_purge_identity(case_id=case_id, now=now))
        totals["cases erased"] += len(ids)
    while ids := _due(today, done_field="documents_purged_at", when=documents_purge_date, limit=batch_size):
        for case_id in ids:
            totals.update(case_purge_documents(case_id=case_id, now=now))
        totals["cases' documents deleted"] += len(ids)
    for _name, sweep in sweeps():
        totals.update(sweep(now))
    logger.info(
        "Retention purge: %s", ", ".join(f"{k}={v}" for k, v in sorted(totals.items())) or "nothing due"
    )
    return dict(totals)
