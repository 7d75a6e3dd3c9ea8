"""Writes to connection cases. One function owns each state change.

Every function locks the case row, checks the change against ``TRANSITIONS``, writes the
case and its timeline event in one transaction, and sends e-mails only once that
transaction has committed. Callers pass a case they fetched; they get back the fresh,
locked copy that was changed.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
import datetime
from functools import partial

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
import filetype

from classcontact.errors import DomainError
from classcontact.numbering import counter_reserve
from classcontact.tasks_util import enqueue_on_commit
from classcontact.workflow import InvalidTransition, check_transition
from schools.models import Language, School, SchoolClass, User
from schools.selectors import user_is_staff_member

from .models import (
    CASE_NUMBER_SCOPE,
    CLOSED_STATES,
    DIRECTOR_WITHDRAW_STATES,
    SCHOOL_REQUEST_STATES,
    TRANSITIONS,
    CaseEvent,
    CaseStatus,
    ConnectionCase,
    EligibilityDecision,
    EventKind,
    Guardian,
    HealthDataAccess,
    HealthField,
    SchoolRequest,
    format_case_number,
    school_year_label,
)

ERROR_NOT_DRAFT = _("This request has already been submitted: it can no longer be changed here.")
ERROR_INCOMPLETE = _("The request is not complete yet. Missing: %(fields)s.")
ERROR_REASON_REQUIRED = _("Give a reason.")
ERROR_ELIGIBLE_NEEDS_CHECKS = _(
    "A case can only be declared eligible when every rule of the checklist is met."
)
ERROR_DIRECTOR_CANNOT_WITHDRAW = _(
    "The kit is installed: tell us instead that it is no longer needed, so that we can retrieve it."
)
ERROR_REQUEST_NOT_POSSIBLE = _("This cannot be asked at this stage of the case.")
ERROR_ALREADY_REQUESTED = _("This has already been asked for; the ClassContact team will contact you.")
ERROR_NOT_REQUESTED = _("Nothing of this kind is waiting to be handled.")
ERROR_CLASS_OTHER_SCHOOL = _("This class belongs to another school.")
ERROR_DATE_IN_PAST = _("This date is in the past.")
ERROR_STAFF_ONLY = _("Only the ClassContact team can do this.")


class CaseError(DomainError):
    """A request that the rules refuse; ``message`` is shown to the person as it is."""


@dataclass
class GuardianData:
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    language: str = Language.FR


@dataclass
class CaseRequestData:
    """What a school fills in when asking for a connection."""

    pupil_first_name: str = ""
    pupil_last_name: str = ""
    pupil_birth_date: datetime.date | None = None
    school_class: SchoolClass | None = None
    new_class_name: str = ""
    teachers: list[User] = field(default_factory=list)
    teacher_names: str = ""
    absence_start: datetime.date | None = None
    absence_end: datetime.date | None = None
    absence_end_unknown: bool = False
    reason_category: str = ""
    certificate: UploadedFile | None = None
    remove_certificate: bool = False
    home_street: str = ""
    home_postcode: str = ""
    home_city: str = ""
    home_has_internet: bool | None = None
    guardian_count: int = 1
    guardians: list[GuardianData] = field(default_factory=list)
    guardians_agree: bool = False
    school_note: str = ""


# Fields copied as they are from the request data onto the case.
REQUEST_FIELDS = [
    "pupil_first_name",
    "pupil_last_name",
    "pupil_birth_date",
    "teacher_names",
    "absence_start",
    "absence_end",
    "absence_end_unknown",
    "reason_category",
    "home_street",
    "home_postcode",
    "home_city",
    "home_has_internet",
    "guardian_count",
    "guardians_agree",
    "school_note",
]

# Events that lead to e-mails (see ``loans.notifications``).
MAILED_EVENTS = frozenset(
    {
        EventKind.SUBMITTED,
        EventKind.DECLARED_ELIGIBLE,
        EventKind.DECLARED_INELIGIBLE,
        EventKind.WITHDRAWN,
        EventKind.END_REQUESTED,
        EventKind.PRESENTATION_REQUESTED,
        EventKind.CLASSMATES_LETTER_REQUESTED,
    }
)


_notifications_on: ContextVar[bool] = ContextVar("loans_notifications_on", default=True)


@contextmanager
def notifications_off() -> Iterator[None]:
    """Record events without e-mailing anyone (demo data, imports of past cases)."""
    token = _notifications_on.set(False)
    try:
        yield
    finally:
        _notifications_on.reset(token)


def _lock(case: ConnectionCase) -> ConnectionCase:
    return ConnectionCase.objects.select_for_update().get(pk=case.pk)


def _record(
    case: ConnectionCase,
    *,
    kind: str,
    by: User | None,
    message: str = "",
    public: bool = True,
    from_status: str = "",
    to_status: str = "",
    acting_for_parent: bool = False,
) -> CaseEvent:
    notify = _notifications_on.get()
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=by,
        message=message,
        is_public=public,
        from_status=from_status,
        to_status=to_status,
        acting_for_parent=acting_for_parent,
        notified_at=None if notify else timezone.now(),
    )
    if notify and kind in MAILED_EVENTS:
        from .tasks import send_case_event_mail

        enqueue_on_commit(send_case_event_mail, event_id=event.pk)
    return event


def _change_state(
    case: ConnectionCase,
    *,
    target: str,
    by: User | None,
    kind: str,
    message: str = "",
    fields: tuple[str, ...] = (),
    acting_for_parent: bool = False,
) -> CaseEvent:
    """Move a locked case to ``target`` (checked), save ``fields`` with it, record the event."""
    check_transition(TRANSITIONS, case.status, target)
    previous = case.status
    now = timezone.now()
    case.status = target
    case.status_changed_at = now
    update = ["status", "status_changed_at", *fields]
    if target in CLOSED_STATES:
        case.closed_at = now
        update.append("closed_at")
    case._history_user = by
    case.save(update_fields=update)
    return _record(
        case,
        kind=kind,
        by=by,
        message=message,
        from_status=previous,
        to_status=target,
        acting_for_parent=acting_for_parent,
    )


def _require_from(case: ConnectionCase, target: str, *sources: str) -> None:
    """For a state reached by several services (active), each owns only its own way in."""
    if case.status not in sources:
        raise InvalidTransition(case.status, target)


def _forget_certificate(case: ConnectionCase) -> tuple[str, ...]:
    """Clear the certificate of a locked case; its file is deleted once the change commits.

    Returns the fields to save with the case (none when there was no certificate); the
    caller records ``CERTIFICATE_DELETED`` in the timeline.
    """
    if not case.certificate:
        return ()
    storage, name = case.certificate.storage, case.certificate.name
    case.certificate = ""
    case.certificate_deleted_at = timezone.now()
    transaction.on_commit(partial(storage.delete, name))
    return ("certificate", "certificate_deleted_at")


def allocate_case_number(*, year: int) -> str:
    """The next case number of ``year`` (CC-2026-0042).

    The year's counter row stays locked until the caller's transaction ends, so two
    submissions at the same moment queue up instead of taking the same number.
    """
    while True:
        number = format_case_number(year, counter_reserve(scope=CASE_NUMBER_SCOPE, year=year))
        # Numbers loaded by other means (imports) are skipped rather than reused.
        if not ConnectionCase.objects.filter(number=number).exists():
            return number


def missing_request_fields(case: ConnectionCase) -> list[str]:
    """Labels of what a school still has to fill in before the request can be submitted."""
    meta = ConnectionCase._meta
    missing = []
    for name in (
        "pupil_first_name",
        "pupil_last_name",
        "pupil_birth_date",
        "school_class",
        "absence_start",
        "reason_category",
        "home_street",
        "home_postcode",
        "home_city",
    ):
        if not getattr(case, name):
            missing.append(str(meta.get_field(name).verbose_name))
    if not case.teacher_names.strip() and not case.teachers.exists():
        missing.append(str(meta.get_field("teacher_names").verbose_name))
    if not case.absence_end and not case.absence_end_unknown:
        missing.append(str(meta.get_field("absence_end").verbose_name))
    guardians = {g.position: g for g in case.guardians.all()}
    for position in range(1, case.guardian_count + 1):
        guardian = guardians.get(position)
        if guardian is None or not (guardian.first_name and guardian.last_name and guardian.email):
            missing.append(gettext("parent or guardian %(n)s") % {"n": position})
    if not case.guardians_agree:
        missing.append(str(meta.get_field("guardians_agree").verbose_name))
    return missing


@transaction.atomic
def case_save_draft(
    *, by: User, school: School, data: CaseRequestData, case: ConnectionCase | None = None
) -> ConnectionCase:
    """Create or update a request that is still a draft.

    Effects: the case's fields, its class (created in the school when a new name is given),
    its teachers and its parents or guardians; the certificate stored privately (a replaced
    or removed one is deleted after commit); a "request started" event for a new case.
    """
    today = timezone.localdate()
    created = case is None
    if created:
        case = ConnectionCase(school=school, created_by=by)
    else:
        case = _lock(case)
        if case.status != CaseStatus.DRAFT:
            raise CaseError(ERROR_NOT_DRAFT)
        if case.school_id != school.pk:
            raise ValueError("The case belongs to another school.")
    school_class = data.school_class
    if data.new_class_name.strip():
        school_class, _created = SchoolClass.objects.get_or_create(
            school=school, name=data.new_class_name.strip(), school_year=school_year_label(today)
        )
    elif school_class is not None and school_class.school_id != school.pk:
        raise CaseError(ERROR_CLASS_OTHER_SCHOOL)
    for name in REQUEST_FIELDS:
        setattr(case, name, getattr(data, name))
    if case.absence_end_unknown:
        case.absence_end = None
    case.school_class = school_class

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

    case._history_user = by
    if created:
        case.save()
        _record(case, kind=EventKind.CREATED, by=by)
    else:
        case.save(update_fields=[*REQUEST_FIELDS, "school_class", "certificate"])
    case.teachers.set(data.teachers)

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
    return case


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
def case_start_review(*, case: ConnectionCase, by: User) -> ConnectionCase:
    """Staff start checking eligibility; the reviewer becomes the case's coordinator if it has none."""
    case = _lock(case)
    fields = ()
    if case.coordinator_id is None:
        case.coordinator = by
        fields = ("coordinator",)
    _change_state(case, target=CaseStatus.UNDER_REVIEW, by=by, kind=EventKind.REVIEW_STARTED, fields=fields)
    return case


@transaction.atomic
def case_decide_eligibility(
    *,
    case: ConnectionCase,
    by: User,
    school_in_fwb: bool,
    medical_reason: bool,
    eligible: bool,
    reason: str,
) -> ConnectionCase:
    """Record the eligibility checklist and decision.

    Effects: the checklist (staff only), the decision and its reason (seen by the school),
    state under_review → eligible or ineligible (closed), the medical certificate deleted
    (file removed after commit, "certificate deleted" in the timeline), an e-mail to the
    school's directors after commit.
    """
    case = _lock(case)
    target = CaseStatus.ELIGIBLE if eligible else CaseStatus.INELIGIBLE
    check_transition(TRANSITIONS, case.status, target)
    reason = reason.strip()
    if eligible and not (school_in_fwb and medical_reason):
        raise CaseError(ERROR_ELIGIBLE_NEEDS_CHECKS)
    if not eligible and not reason:
        raise CaseError(ERROR_REASON_REQUIRED)
    case.check_school_in_fwb = school_in_fwb
    case.check_medical_reason = medical_reason
    case.eligibility_decision = EligibilityDecision.ELIGIBLE if eligible else EligibilityDecision.INELIGIBLE
    case.eligibility_reason = reason
    case.decided_at = timezone.now()
    case.decided_by = by
    if case.coordinator_id is None:
        case.coordinator = by
    fields = [
        "check_school_in_fwb",
        "check_medical_reason",
        "eligibility_decision",
        "eligibility_reason",
        "decided_at",
        "decided_by",
        "coordinator",
    ]
    certificate_fields = _forget_certificate(case)
    _change_state(
        case,
        target=target,
        by=by,
        kind=EventKind.DECLARED_ELIGIBLE if eligible else EventKind.DECLARED_INELIGIBLE,
        message=reason,
        fields=(*fields, *certificate_fields),
    )
    if certificate_fields:
        _record(case, kind=EventKind.CERTIFICATE_DELETED, by=by)
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
    from .kit_services import loans_release_for_case

    loans_release_for_case(case=case, by=by, reason=reason)
    return case


@transaction.atomic
def case_pause(*, case: ConnectionCase, by: User, note: str = "") -> ConnectionCase:
    """Pause an active connection (a hospital stay, for example): active → paused."""
    case = _lock(case)
    _change_state(case, target=CaseStatus.PAUSED, by=by, kind=EventKind.PAUSED, message=note.strip())
    return case


@transaction.atomic
def case_resume(*, case: ConnectionCase, by: User, note: str = "") -> ConnectionCase:
    """Resume a paused connection: paused → active."""
    case = _lock(case)
    _require_from(case, CaseStatus.ACTIVE, CaseStatus.PAUSED)
    _change_state(case, target=CaseStatus.ACTIVE, by=by, kind=EventKind.RESUMED, message=note.strip())
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
    """Log that staff read a case's health-related data (reason category or certificate)."""
    return HealthDataAccess.objects.create(
        case=case, user=user, field=HealthField(field), context=context[:40]
    )


# Logistics. The kits, documents and visits services call these once their own work is
# done (a kit reserved, documents sent or signed, a visit planned or done).


@transaction.atomic
def case_mark_kit_assigned(*, case: ConnectionCase, by: User | None, note: str = "") -> ConnectionCase:
    """A kit is reserved for the pupil: eligible → kit_assigned."""
    case = _lock(case)
    _change_state(case, target=CaseStatus.KIT_ASSIGNED, by=by, kind=EventKind.KIT_ASSIGNED, message=note)
    return case


@transaction.atomic
def case_mark_documents_sent(*, case: ConnectionCase, by: User | None, note: str = "") -> ConnectionCase:
    """The convention and the parents' engagement are out for signature: kit_assigned → documents_sent."""
    case = _lock(case)
    _change_state(case, target=CaseStatus.DOCUMENTS_SENT, by=by, kind=EventKind.DOCUMENTS_SENT, message=note)
    return case


@transaction.atomic
def case_mark_documents_signed(*, case: ConnectionCase, by: User | None, note: str = "") -> ConnectionCase:
    """Every signature is in: documents_sent → documents_signed."""
    case = _lock(case)
    _change_state(
        case, target=CaseStatus.DOCUMENTS_SIGNED, by=by, kind=EventKind.DOCUMENTS_SIGNED, message=note
    )
    return case


def _check_future(day: datetime.date) -> None:
    if day < timezone.localdate():
        raise CaseError(ERROR_DATE_IN_PAST)


@transaction.atomic
def case_plan_installation(
    *, case: ConnectionCase, by: User | None, date: datetime.date, note: str = ""
) -> ConnectionCase:
    """The installation visit has a date: documents_signed → installation_planned."""
    case = _lock(case)
    check_transition(TRANSITIONS, case.status, CaseStatus.INSTALLATION_PLANNED)
    _check_future(date)
    case.planned_date = date
    _change_state(
        case,
        target=CaseStatus.INSTALLATION_PLANNED,
        by=by,
        kind=EventKind.INSTALLATION_PLANNED,
        message=note,
        fields=("planned_date",),
    )
    return case


@transaction.atomic
def case_activate(*, case: ConnectionCase, by: User | None, note: str = "") -> ConnectionCase:
    """The kit is installed and the users trained: installation_planned → active."""
    case = _lock(case)
    _require_from(case, CaseStatus.ACTIVE, CaseStatus.INSTALLATION_PLANNED)
    case.planned_date = None
    _change_state(
        case,
        target=CaseStatus.ACTIVE,
        by=by,
        kind=EventKind.ACTIVATED,
        message=note,
        fields=("planned_date",),
    )
    return case


@transaction.atomic
def case_plan_retrieval(
    *, case: ConnectionCase, by: User | None, date: datetime.date, note: str = ""
) -> ConnectionCase:
    """The retrieval visit has a date: end_requested → retrieval_planned."""
    case = _lock(case)
    check_transition(TRANSITIONS, case.status, CaseStatus.RETRIEVAL_PLANNED)
    _check_future(date)
    case.planned_date = date
    _change_state(
        case,
        target=CaseStatus.RETRIEVAL_PLANNED,
        by=by,
        kind=EventKind.RETRIEVAL_PLANNED,
        message=note,
        fields=("planned_date",),
    )
    return case


@transaction.atomic
def case_mark_kit_returned(*, case: ConnectionCase, by: User | None, note: str = "") -> ConnectionCase:
    """The kit is back and checked: retrieval_planned → kit_returned."""
    case = _lock(case)
    case.planned_date = None
    _change_state(
        case,
        target=CaseStatus.KIT_RETURNED,
        by=by,
        kind=EventKind.KIT_RETURNED,
        message=note,
        fields=("planned_date",),
    )
    return case


@transaction.atomic
def case_close(*, case: ConnectionCase, by: User | None, note: str = "") -> ConnectionCase:
    """Close a case whose kit came back: kit_returned → closed; a certificate left is deleted."""
    case = _lock(case)
    check_transition(TRANSITIONS, case.status, CaseStatus.CLOSED)
    certificate_fields = _forget_certificate(case)
    _change_state(
        case, target=CaseStatus.CLOSED, by=by, kind=EventKind.CLOSED, message=note, fields=certificate_fields
    )
    if certificate_fields:
        _record(case, kind=EventKind.CERTIFICATE_DELETED, by=by)
    return case
