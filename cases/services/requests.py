"""The school's side of a case: the request, its withdrawal, and what the school asks later."""

import datetime
from functools import partial

from django.db import connection, transaction
from django.utils import timezone
import filetype

from classcontact.workflow import check_transition
from schools.models import Language, School, SchoolClass, User
from schools.selectors import user_is_staff_member

from ..models import (
    DIRECTOR_WITHDRAW_STATES,
    SCHOOL_REQUEST_STATES,
    TRANSITIONS,
    CaseStatus,
    ConnectionCase,
    EventKind,
    Guardian,
    HealthDataAccess,
    HealthField,
    SchoolRequest,
    school_year_label,
)
from .common import (
    ERROR_ALREADY_REQUESTED,
    ERROR_CLASS_OTHER_SCHOOL,
    ERROR_DIRECTOR_CANNOT_WITHDRAW,
    ERROR_INCOMPLETE,
    ERROR_NOT_DRAFT,
    ERROR_NOT_REQUESTED,
    ERROR_REASON_REQUIRED,
    ERROR_REQUEST_NOT_POSSIBLE,
    ERROR_STAFF_ONLY,
    REQUEST_FIELDS,
    CaseError,
    CaseRequestData,
    _change_state,
    _forget_certificate,
    _lock,
    _record,
    allocate_case_number,
    missing_request_fields,
)
from .logistics import case_release_kit


@transaction.atomic
def case_save_draft(
    *, by: User, school: School, data: CaseRequestData, case: ConnectionCase | None = None
) -> ConnectionCase:
    """Create or update a request that is still a draft.

    Effects: the case's fields, its class (created in the school when a new name is given),
    its teachers and its parents or guardians; the certificate stored privately (a replaced
    or removed one is deleted after commit); a "request started" event for a new case.
    """
    created = case is None
    if created:
        case = ConnectionCase(school=school, created_by=by)
    else:
        case = _lock(case)
        if case.status != CaseStatus.DRAFT:
            raise CaseError(ERROR_NOT_DRAFT)
        if case.school_id != school.pk:
            raise ValueError("The case belongs to another school.")
    school_class = _draft_class(school=school, data=data)
    for name in REQUEST_FIELDS:
        setattr(case, name, getattr(data, name))
    if case.absence_end_unknown:
        case.absence_end = None
    case.school_class = school_class
    _draft_certificate(case=case, data=data)

    case._history_user = by
    if created:
        case.save()
        _record(case, kind=EventKind.CREATED, by=by)
    else:
        case.save(update_fields=[*REQUEST_FIELDS, "school_class", "certificate"])
    case.teachers.set(data.teachers)
    _draft_guardians(case=case, data=data)
    return case


def _draft_class(*, school: School, data: CaseRequestData) -> SchoolClass | None:
    """The pupil's class: one of the school's, or a new one of this school year by its name."""
    if data.new_class_name.strip():
        school_class, _created = SchoolClass.objects.get_or_create(
            school=school,
            name=data.new_class_name.strip(),
            school_year=school_year_label(timezone.localdate()),
        )
        return school_class
    if data.school_class is not None and data.school_class.school_id != school.pk:
        raise CaseError(ERROR_CLASS_OTHER_SCHOOL)
    return data.school_class


def _draft_certificate(*, case: ConnectionCase, data: CaseRequestData) -> None:
    """Store a new certificate, or forget a removed one; the old file goes after commit."""
    old_certificate = None
    if data.certificate is not None:
        old_certificate = case.certificate.name or None
        data.certificate.seek(0)
        kind = filetype.guess(data.certificate.read(8192))
        data.certificate.seek(0)
        case.certificate.save(
            f"certificate.{kind.extension if kind else 'bin'}", data.certificate, save=False
        )
    elif data.remove_certificate and case.certificate:
        old_certificate = case.certificate.name
        case.certificate = ""
    if old_certificate:
        transaction.on_commit(partial(case.certificate.storage.delete, old_certificate))


def _draft_guardians(*, case: ConnectionCase, data: CaseRequestData) -> None:
    """The case's parents or guardians, as many as it says it has, in the order given."""
    keep = data.guardians[: case.guardian_count]
    for position, guardian in enumerate(keep, start=1):
        Guardian.objects.update_or_create(
            case=case,
            position=position,
            defaults={
                "first_name": guardian.first_name,
                "last_name": guardian.last_name,
                "email": guardian.email,
                "phone": guardian.phone,
                "language": guardian.language or Language.FR,
            },
        )
    for extra in case.guardians.filter(position__gt=len(keep)):
        extra.delete()


@transaction.atomic
def case_submit(*, case: ConnectionCase, by: User) -> ConnectionCase:
    """Send a complete draft to the ClassContact team.

    Effects: a case number (CC-<year>-<n>, unique), the submission time and programme year,
    state draft → submitted, a timeline event, a confirmation e-mail to the school's
    directors after commit.
    """
    case = _lock(case)
    check_transition(TRANSITIONS, case.status, CaseStatus.SUBMITTED)
    missing = missing_request_fields(case)
    if missing:
        raise CaseError(ERROR_INCOMPLETE % {"fields": ", ".join(missing)})
    now = timezone.now()
    case.number = allocate_case_number(year=timezone.localdate(now).year)
    case.submitted_at = now
    case.programme_year = school_year_label(timezone.localdate(now))
    _change_state(
        case,
        target=CaseStatus.SUBMITTED,
        by=by,
        kind=EventKind.SUBMITTED,
        fields=("number", "submitted_at", "programme_year"),
    )
    return case


@transaction.atomic
def case_withdraw(*, case: ConnectionCase, by: User, reason: str) -> ConnectionCase:
    """Withdraw a request (any open state for staff; before installation for the school).

    Effects: the reason, state → withdrawn (closed), a certificate still held is deleted,
    a kit only reserved for the case is released, e-mails after commit (the school's directors; the team when the school withdrew).
    """
    case = _lock(case)
    check_transition(TRANSITIONS, case.status, CaseStatus.WITHDRAWN)
    if not user_is_staff_member(by) and case.status not in DIRECTOR_WITHDRAW_STATES:
        raise CaseError(ERROR_DIRECTOR_CANNOT_WITHDRAW)
    reason = reason.strip()
    if not reason:
        raise CaseError(ERROR_REASON_REQUIRED)
    case.withdrawal_reason = reason
    case.planned_date = None
    certificate_fields = _forget_certificate(case)
    _change_state(
        case,
        target=CaseStatus.WITHDRAWN,
        by=by,
        kind=EventKind.WITHDRAWN,
        message=reason,
        fields=("withdrawal_reason", "planned_date", *certificate_fields),
    )
    if certificate_fields:
        _record(case, kind=EventKind.CERTIFICATE_DELETED, by=by)
    # A kit only reserved for this case becomes free again (one handed over comes back
    # through a retrieval and a check-in).
    case_release_kit(case=case, by=by, reason=reason)
    return case


@transaction.atomic
def case_request_end(
    *,
    case: ConnectionCase,
    by: User | None,
    last_day: datetime.date,
    for_parent: bool = False,
    note: str = "",
) -> ConnectionCase:
    """The kit is no longer needed: active → end_requested, with the last day of use.

    ``by`` is the director, a staff member taking a parent's call (``for_parent``), or
    None when a parent says so through their personal link. Effects: the last day and the
    time of the request, a timeline event, e-mails after commit (the school's directors;
    the team unless staff recorded it).
    """
    case = _lock(case)
    if for_parent and by is not None and not user_is_staff_member(by):
        raise CaseError(ERROR_STAFF_ONLY)
    case.last_day_of_use = last_day
    case.end_requested_at = timezone.now()
    _change_state(
        case,
        target=CaseStatus.END_REQUESTED,
        by=by,
        kind=EventKind.END_REQUESTED,
        message=note.strip(),
        fields=("last_day_of_use", "end_requested_at"),
        acting_for_parent=for_parent or by is None,
    )
    return case


_REQUESTS = {
    SchoolRequest.PRESENTATION: (
        "presentation_requested_at",
        "presentation_handled_at",
        EventKind.PRESENTATION_REQUESTED,
        EventKind.PRESENTATION_HANDLED,
    ),
    SchoolRequest.CLASSMATES_LETTER: (
        "classmates_letter_requested_at",
        "classmates_letter_handled_at",
        EventKind.CLASSMATES_LETTER_REQUESTED,
        EventKind.CLASSMATES_LETTER_SENT,
    ),
}


def _school_request(case: ConnectionCase, *, by: User, request: str, note: str) -> ConnectionCase:
    requested_field, handled_field, kind, _handled_kind = _REQUESTS[request]
    case = _lock(case)
    if case.status not in SCHOOL_REQUEST_STATES:
        raise CaseError(ERROR_REQUEST_NOT_POSSIBLE)
    if getattr(case, requested_field) and not getattr(case, handled_field):
        raise CaseError(ERROR_ALREADY_REQUESTED)
    setattr(case, requested_field, timezone.now())
    setattr(case, handled_field, None)
    case._history_user = by
    case.save(update_fields=[requested_field, handled_field])
    _record(case, kind=kind, by=by, message=note.strip())
    return case


@transaction.atomic
def case_request_presentation(*, case: ConnectionCase, by: User, note: str = "") -> ConnectionCase:
    """The school asks for a presentation of the kit to its teaching team.

    Effects: the time of the request, a timeline event, an e-mail to the team after commit.
    """
    return _school_request(case, by=by, request=SchoolRequest.PRESENTATION, note=note)


@transaction.atomic
def case_request_classmates_letter(*, case: ConnectionCase, by: User, note: str = "") -> ConnectionCase:
    """The school asks for the letter template for classmates and their parents.

    Effects: the time of the request, a timeline event, an e-mail to the team after commit.
    """
    return _school_request(case, by=by, request=SchoolRequest.CLASSMATES_LETTER, note=note)


@transaction.atomic
def case_mark_request_handled(
    *, case: ConnectionCase, by: User, request: str, note: str = ""
) -> ConnectionCase:
    """Staff have organised the presentation or sent the letter the school asked for."""
    requested_field, handled_field, _kind, handled_kind = _REQUESTS[SchoolRequest(request)]
    case = _lock(case)
    if not getattr(case, requested_field) or getattr(case, handled_field):
        raise CaseError(ERROR_NOT_REQUESTED)
    setattr(case, handled_field, timezone.now())
    case._history_user = by
    case.save(update_fields=[handled_field])
    _record(case, kind=handled_kind, by=by, message=note.strip())
    return case


@transaction.atomic
def case_update_internal_notes(*, case: ConnectionCase, by: User, notes: str) -> ConnectionCase:
    """Staff's own notes on the case; the school never sees them nor the event."""
    if not user_is_staff_member(by):
        raise CaseError(ERROR_STAFF_ONLY)
    case = _lock(case)
    case.internal_notes = notes.strip()
    case._history_user = by
    case.save(update_fields=["internal_notes"])
    _record(case, kind=EventKind.NOTES_UPDATED, by=by, public=False)
    return case


def health_read_record(*, user: User, case: ConnectionCase, field: str, context: str) -> HealthDataAccess:
    """Log that staff read a case's health-related data (reason category or certificate).

    A page that only reads writes this row alone, in one statement whose commit does not wait
    for the disk (PostgreSQL's asynchronous commit, set for that statement's own transaction):
    waiting would cost each such page more than the rest of its work. A crash of the database
    server may lose the last fraction of a second of these rows; it never leaves a half-written
    one. A row written inside a larger transaction (an export, an admin change) is committed as
    that transaction is.
    """
    record = HealthDataAccess(case=case, user=user, field=HealthField(field), context=context[:40])
    if connection.in_atomic_block or connection.vendor != "postgresql":
        record.save()
        return record
    with connection.cursor() as cursor:
        cursor.execute(_ASYNCHRONOUS_READ_INSERT, [case.pk, user.pk, record.at, record.field, record.context])
        record.pk = cursor.fetchone()[0]
    return record


# The table's name from the model; the values travel as parameters. Outside a transaction,
# the statement is its own: ``set_config(…, true)`` holds until its commit, which is when
# PostgreSQL reads it.
_ASYNCHRONOUS_READ_INSERT = (
    f"INSERT INTO {HealthDataAccess._meta.db_table} (case_id, user_id, at, field, context) "  # noqa: S608
    "SELECT %s, %s, %s, %s, %s FROM (SELECT set_config('synchronous_commit', 'off', true)) AS asynchronous "
    "RETURNING id"
)


# Logistics. The kits, documents and visits services call these once their own work is
# done (a kit reserved, documents sent or signed, a visit planned or done).
