"""The school's side of an application: drafts, files, sending, withdrawal; and invitations."""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
import filetype

from classcontact.workflow import check_transition
from schools.models import School, Trimester, User

from .. import roles
from ..models import (
    TRANSITIONS,
    Application,
    ApplicationAttachment,
    ApplicationStatus,
    Campaign,
    EventKind,
    Origin,
)
from ..selectors import member_school_ids, schools_invitable_by
from .common import (
    ERROR_CAMPAIGN_CLOSED,
    ERROR_DIRECTOR_ONLY,
    ERROR_INCOMPLETE,
    ERROR_NOT_ALLOWED,
    ERROR_NOT_DRAFT,
    ERROR_REASON_REQUIRED,
    ERROR_SCHOOL_NOT_IN_PROGRAMME,
    ERROR_TRIMESTER_NOT_OFFERED,
    ClassroomError,
    allocate_application_number,
    lock,
    move,
    record,
)

A = ApplicationStatus

#: Fields copied as they are from the form's data onto the application.
APPLICATION_FIELDS = [
    "class_name",
    "level",
    "pupil_count",
    "teacher_names",
    "objectives",
    "activities",
    "b2i_link",
    "municipality_information",
    "equipment",
    "municipality_contact",
    "municipality_email",
    "municipality_phone",
]
#: What an application needs before it is sent (teachers: with an account or by name).
REQUIRED_TO_SUBMIT = [
    "class_name",
    "level",
    "pupil_count",
    "objectives",
    "activities",
    "b2i_link",
    "municipality_information",
    "equipment",
    "municipality_contact",
]


@dataclass
class ApplicationData:
    """What the school fills in."""

    class_name: str = ""
    level: str = ""
    pupil_count: int | None = None
    teachers: list[User] = field(default_factory=list)
    teacher_names: str = ""
    objectives: str = ""
    activities: str = ""
    b2i_link: str = ""
    municipality_information: str = ""
    equipment: str = ""
    municipality_contact: str = ""
    municipality_email: str = ""
    municipality_phone: str = ""
    preferred_trimesters: list[Trimester] = field(default_factory=list)


def missing_fields(application: Application) -> list[str]:
    """Labels of what the school still has to fill in before the application is sent."""
    meta = Application._meta
    missing = []
    for name in REQUIRED_TO_SUBMIT:
        value = getattr(application, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(str(meta.get_field(name).verbose_name))
    if not application.teacher_names.strip() and not application.teachers.exists():
        missing.append(str(meta.get_field("teacher_names").verbose_name))
    if not application.preferred_trimesters.exists():
        missing.append(str(meta.get_field("preferred_trimesters").verbose_name))
    return missing


def _check_member(by: User, school: School) -> None:
    if school.pk not in member_school_ids(by):
        raise ClassroomError(ERROR_NOT_ALLOWED)
    if not school.eligible_mobile_classroom:
        raise ClassroomError(ERROR_SCHOOL_NOT_IN_PROGRAMME)


def _check_trimesters(campaign: Campaign, trimesters: list[Trimester]) -> None:
    offered = set(campaign.trimesters.values_list("pk", flat=True))
    if any(trimester.pk not in offered for trimester in trimesters):
        raise ClassroomError(ERROR_TRIMESTER_NOT_OFFERED)


@transaction.atomic
def application_save_draft(
    *,
    by: User,
    data: ApplicationData,
    school: School | None = None,
    campaign: Campaign | None = None,
    application: Application | None = None,
) -> Application:
    """Create a draft (``school`` and ``campaign``) or update one (``application``).

    Effects: the application's fields, teachers and preferred trimesters; an "application
    started" event for a new one. Any member of the school (director, delegate, teacher)
    may write the draft; a new one needs an open campaign.
    """
    if application is None:
        _check_member(by, school)
        if not campaign.is_open_on(timezone.localdate()):
            raise ClassroomError(ERROR_CAMPAIGN_CLOSED)
        application = Application(school=school, campaign=campaign, created_by=by)
    else:
        application = lock(application)
        _check_member(by, application.school)
        if application.status != A.DRAFT:
            raise ClassroomError(ERROR_NOT_DRAFT)
    _check_trimesters(application.campaign, data.preferred_trimesters)
    for name in APPLICATION_FIELDS:
        value = getattr(data, name)
        setattr(application, name, value.strip() if isinstance(value, str) else value)
    application._history_user = by
    if application.pk is None:
        application.save()
        record(application, kind=EventKind.CREATED, by=by)
    else:
        application.save(update_fields=APPLICATION_FIELDS)
    application.teachers.set(data.teachers)
    application.preferred_trimesters.set(data.preferred_trimesters)
    return application


@transaction.atomic
def application_submit(*, application: Application, by: User) -> Application:
    """The director sends a complete draft to the district inspector.

    Effects: a number (CM-<year>-<n>), the time of sending, state draft → submitted, a
    timeline event, an e-mail to the district's inspector after commit.
    """
    application = lock(application)
    check_transition(TRANSITIONS, application.status, A.SUBMITTED)
    if not roles.manages_school(by, application.school_id):
        raise ClassroomError(ERROR_DIRECTOR_ONLY)
    missing = missing_fields(application)
    if missing:
        raise ClassroomError(ERROR_INCOMPLETE % {"fields": ", ".join(missing)})
    now = timezone.now()
    application.number = allocate_application_number(year=timezone.localdate(now).year)
    application.submitted_at = now
    move(application, target=A.SUBMITTED, by=by, kind=EventKind.SUBMITTED, fields=("number", "submitted_at"))
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by: User, reason: str) -> Application:
    """The director withdraws the application, any time before the decision.

    Effects: the reason, state → withdrawn (closed), a timeline event, an e-mail to the
    inspector (and the adviser once the inspector gave an opinion) after commit.
    """
    application = lock(application)
    check_transition(TRANSITIONS, application.status, A.WITHDRAWN)
    if not roles.manages_school(by, application.school_id):
        raise ClassroomError(ERROR_DIRECTOR_ONLY)
    reason = reason.strip()
    if not reason:
        raise ClassroomError(ERROR_REASON_REQUIRED)
    application.withdrawal_reason = reason
    move(
        application,
        target=A.WITHDRAWN,
        by=by,
        kind=EventKind.WITHDRAWN,
        message=reason,
        fields=("withdrawal_reason",),
    )
    return application


@transaction.atomic
def attachment_add(*, application: Application, by: User, upload: UploadedFile) -> ApplicationAttachment:
    """A file joined to a draft (checked by the form's validators); a timeline event."""
    application = lock(application)
    _check_member(by, application.school)
    if application.status != A.DRAFT:
        raise ClassroomError(ERROR_NOT_DRAFT)
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    attachment = ApplicationAttachment(
        application=application, filename=upload.name[:200], size=upload.size, uploaded_by=by
    )
    attachment.file.save(f"file.{kind.extension if kind else 'bin'}", upload, save=False)
    attachment.save()
    record(application, kind=EventKind.ATTACHMENT_ADDED, by=by, message=attachment.filename)
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: ApplicationAttachment, by: User) -> None:
    """A file taken off a draft; the file is deleted once the change commits."""
    application = lock(attachment.application)
    _check_member(by, application.school)
    if application.status != A.DRAFT:
        raise ClassroomError(ERROR_NOT_DRAFT)
    storage, name, filename = attachment.file.storage, attachment.file.name, attachment.filename
    attachment.delete()
    transaction.on_commit(partial(storage.delete, name))
    record(application, kind=EventKind.ATTACHMENT_REMOVED, by=by, message=filename)


@transaction.atomic
def application_invite(
    *, campaign: Campaign, school: School, by: User, reason: str, b2i_rate: Decimal | None = None
) -> Application:
    """An inspector (or an adviser, or a resource teacher) invites a school to apply.

    Effects: a draft made for the school, marked invited (by whom, when, why, the school's
    B2i rate); a timeline event; an e-mail to the school's directors with the link to the
    pre-filled application, after commit.
    """
    if not schools_invitable_by(by).filter(pk=school.pk).exists():
        raise ClassroomError(ERROR_NOT_ALLOWED)
    if not campaign.is_open_on(timezone.localdate()):
        raise ClassroomError(ERROR_CAMPAIGN_CLOSED)
    reason = reason.strip()
    if not reason:
        raise ClassroomError(ERROR_REASON_REQUIRED)
    application = Application(
        campaign=campaign,
        school=school,
        origin=Origin.INVITED,
        invited_by=by,
        invited_at=timezone.now(),
        invitation_reason=reason,
        b2i_rate=b2i_rate,
        created_by=by,
    )
    application._history_user = by
    application.save()
    record(application, kind=EventKind.INVITED, by=by, message=reason)
    return application
