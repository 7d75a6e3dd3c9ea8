"""What every change of a case shares: its errors, its request data, its lock, its timeline."""

from dataclasses import dataclass, field
import datetime
from functools import partial

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from classcontact.errors import DomainError
from classcontact.notifying import notifying
from classcontact.numbering import counter_reserve
from classcontact.tasks_util import enqueue_on_commit
from classcontact.workflow import InvalidTransition, change_state
from schools.models import Language, SchoolClass, User

from ..figures import case_figures_refresh
from ..models import (
    CASE_NUMBER_SCOPE,
    CLOSED_STATES,
    TRANSITIONS,
    CaseEvent,
    CaseStatus,
    ConnectionCase,
    EventKind,
    format_case_number,
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
    notify = notifying()
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
    if to_status:
        # The dashboard's figures follow each change of state (its connections and ends too).
        case_figures_refresh(case_id=case.pk)
    if notify and kind in MAILED_EVENTS:
        from ..tasks import send_case_event_mail

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
    """Move a locked case to ``target`` (checked), save ``fields`` with it, record the event.

    A case that closes also gets its closing time.
    """
    now = timezone.now()
    return change_state(
        case,
        target,
        table=TRANSITIONS,
        by=by,
        changes={"closed_at": now} if target in CLOSED_STATES else None,
        fields=fields,
        now=now,
        record=lambda change: _record(
            case,
            kind=kind,
            by=by,
            message=message,
            from_status=change.previous,
            to_status=change.target,
            acting_for_parent=acting_for_parent,
        ),
    )


def _require_from(case: ConnectionCase, target: str, *sources: str) -> None:
    """For a state reached by several services (active), each owns only its own way in."""
    if case.status not in sources:
        raise InvalidTransition(CaseStatus(case.status), target)


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


#: What a request needs before it can be submitted, by field of ``CaseRequestData``
#: (``school_class`` may be a new class, ``teacher_names`` may be teachers with an account,
#: ``absence_end`` may be "not known yet"; internet at home may stay unknown).
REQUIRED_TO_SUBMIT = (
    "pupil_first_name",
    "pupil_last_name",
    "pupil_birth_date",
    "school_class",
    "teacher_names",
    "absence_start",
    "absence_end",
    "reason_category",
    "home_street",
    "home_postcode",
    "home_city",
)
GUARDIAN_REQUIRED = ("first_name", "last_name", "email")


def request_missing(data: CaseRequestData) -> dict[str, str]:
    """What a school still has to fill in before submitting: {field of the request: label}.

    The one rule of a complete request: ``case_submit`` enforces it on the saved draft, and
    the request form shows its answer next to the fields (guardians' fields are named
    ``guardian<n>_<part>``, as in the form).
    """
    meta = ConnectionCase._meta
    present = {
        "school_class": data.school_class or data.new_class_name.strip(),
        "teacher_names": data.teachers or data.teacher_names.strip(),
        "absence_end": data.absence_end or data.absence_end_unknown,
    }
    missing = {}
    for name in REQUIRED_TO_SUBMIT:
        value = present[name] if name in present else getattr(data, name)
        if isinstance(value, str):
            value = value.strip()
        if not value:
            missing[name] = str(meta.get_field(name).verbose_name)
    for position in range(1, data.guardian_count + 1):
        guardian = data.guardians[position - 1] if len(data.guardians) >= position else GuardianData()
        for part in GUARDIAN_REQUIRED:
            if not getattr(guardian, part).strip():
                missing[f"guardian{position}_{part}"] = gettext("parent or guardian %(n)s") % {"n": position}
    if not data.guardians_agree:
        missing["guardians_agree"] = str(meta.get_field("guardians_agree").verbose_name)
    return missing


def request_data_of(case: ConnectionCase) -> CaseRequestData:
    """The request as a saved case holds it (what ``request_missing`` reads)."""
    by_position = {guardian.position: guardian for guardian in case.guardians.all()}
    guardians = []
    for position in (1, 2):
        guardian = by_position.get(position)
        guardians.append(
            GuardianData(**{part: getattr(guardian, part) for part in GUARDIAN_REQUIRED})
            if guardian
            else GuardianData()
        )
    return CaseRequestData(
        **{name: getattr(case, name) for name in REQUEST_FIELDS},
        school_class=case.school_class,
        teachers=list(case.teachers.all()),
        guardians=guardians,
    )


def missing_request_fields(case: ConnectionCase) -> list[str]:
    """Labels of what a school still has to fill in before the request can be submitted."""
    return list(dict.fromkeys(request_missing(request_data_of(case)).values()))
