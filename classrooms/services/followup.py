"""A class's follow-up after the decision: its resource teacher, notes and visits, the
presentation day with its invitation letters, and the pupils' productions."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classcontact.tasks_util import enqueue_on_commit
from schools.models import User

from .. import roles
from ..models import (
    DEPLOYMENT_STATES,
    ApplicationStatus,
    ClassFollowUp,
    EventKind,
    FollowUpNote,
    Invitee,
    Production,
)
from ..selectors import member_school_ids
from .common import ERROR_NOT_ALLOWED, ClassroomError, lock, move, record

A = ApplicationStatus

ERROR_NOT_RESOURCE_TEACHER = _("Choose a resource teacher (ER-TUIC) of the programme.")
ERROR_PRESENTATION_STATE = _(
    "The presentation day is prepared once the class is accepted, and recorded during the loan."
)
ERROR_PRESENTATION_NOT_PLANNED = _("Enter the date and place of the presentation day first.")
ERROR_PRODUCTION_EMPTY = _("Join a file or give a link.")
ERROR_NOTE_EMPTY = _("Write the note.")

#: States in which the school prepares its presentation day (date, place, invitations).
PRESENTATION_PLAN_STATES = frozenset({A.ACCEPTED, A.TRAINING_REGISTERED, A.DELIVERED, A.IN_PROGRESS})
#: States in which what was shown is recorded (from ``in_progress`` it moves to ``presented``).
PRESENTATION_RECORD_STATES = frozenset({A.IN_PROGRESS, A.PRESENTED, A.RETURNED})
#: States in which productions may be added.
PRODUCTION_STATES = frozenset({A.IN_PROGRESS, A.PRESENTED, A.RETURNED, A.EVALUATED})


def followup_locked(application) -> ClassFollowUp:
    """The class's follow-up row, created on first use and locked until the transaction ends."""
    followup, _created = ClassFollowUp.objects.get_or_create(application=application)
    return ClassFollowUp.objects.select_for_update().get(pk=followup.pk)


def require_school_member(application, by: User) -> None:
    if application.school_id not in member_school_ids(by):
        raise ClassroomError(ERROR_NOT_ALLOWED)


def require_resource_teacher(followup: ClassFollowUp, by: User) -> None:
    if followup.resource_teacher_id is None or followup.resource_teacher_id != by.pk:
        raise ClassroomError(ERROR_NOT_ALLOWED)


@transaction.atomic
def followup_assign_teacher(*, application, by: User, teacher: User) -> ClassFollowUp:
    """The adviser assigns the class's resource teacher for the trimester.

    Effects: the follow-up's resource teacher; a public timeline event.
    """
    if not roles.is_adviser(by):
        raise ClassroomError(ERROR_NOT_ALLOWED)
    if not (teacher.is_active and roles.is_resource_teacher(teacher)):
        raise ClassroomError(ERROR_NOT_RESOURCE_TEACHER)
    application = lock(application)
    if application.status not in DEPLOYMENT_STATES:
        raise ClassroomError(ERROR_NOT_ALLOWED)
    followup = followup_locked(application)
    followup.resource_teacher = teacher
    followup.assigned_at = timezone.now()
    followup.save(update_fields=["resource_teacher", "assigned_at"])
    name = teacher.get_full_name() or teacher.email
    record(application, kind=EventKind.TEACHER_ASSIGNED, by=by, message=name)
    return followup


@transaction.atomic
def followup_add_note(*, application, by: User, kind: str, on: datetime.date, text: str) -> FollowUpNote:
    """The class's resource teacher writes a note or records a visit (not shown to the school)."""
    followup = followup_locked(application)
    require_resource_teacher(followup, by)
    if not text.strip():
        raise ClassroomError(ERROR_NOTE_EMPTY)
    return FollowUpNote.objects.create(
        application=application, kind=kind, on=on, text=text.strip(), author=by
    )


@transaction.atomic
def presentation_plan(
    *, application, by: User, on: datetime.date, place: str, invitees: list[str]
) -> ClassFollowUp:
    """The school sets the presentation day's date, place and invitees.

    Effects: the follow-up's presentation fields; after commit, the task that makes the two
    invitation letters (the municipality's and the parents').
    """
    require_school_member(application, by)
    application = lock(application)
    if application.status not in PRESENTATION_PLAN_STATES:
        raise ClassroomError(ERROR_PRESENTATION_STATE)
    followup = followup_locked(application)
    followup.presentation_on = on
    followup.presentation_place = place.strip()
    followup.invitees = [value for value in Invitee.values if value in invitees]
    followup.save(update_fields=["presentation_on", "presentation_place", "invitees"])
    enqueue_on_commit("classrooms.render_presentation_letters", application_id=application.pk)
    return followup


@transaction.atomic
def presentation_store_letters(*, application_id: int, municipality: bytes, parents: bytes) -> ClassFollowUp:
    """Keep the two invitation letters made by the worker (a new run replaces them)."""
    followup = ClassFollowUp.objects.select_for_update().get(application_id=application_id)
    for field, content in (("letter_municipality", municipality), ("letter_parents", parents)):
        old = getattr(followup, field)
        if old:
            old.delete(save=False)
        getattr(followup, field).save("letter.pdf", ContentFile(content), save=False)
    followup.letters_made_at = timezone.now()
    followup.save(update_fields=["letter_municipality", "letter_parents", "letters_made_at"])
    return followup


@transaction.atomic
def presentation_record(
    *, application, by: User, shown: str, attendance: str, visitors: int | None
) -> ClassFollowUp:
    """The school records what was shown on the presentation day and who came.

    Effects: the follow-up's record; a class still in its loan moves to ``presented`` (with
    its public timeline event); a later record only corrects the text.
    """
    require_school_member(application, by)
    application = lock(application)
    if application.status not in PRESENTATION_RECORD_STATES:
        raise ClassroomError(ERROR_PRESENTATION_STATE)
    followup = followup_locked(application)
    if followup.presentation_on is None:
        raise ClassroomError(ERROR_PRESENTATION_NOT_PLANNED)
    followup.presentation_shown = shown.strip()
    followup.presentation_attendance = attendance.strip()
    followup.presentation_visitors = visitors
    followup.presented_at = followup.presented_at or timezone.now()
    followup.save(
        update_fields=[
            "presentation_shown",
            "presentation_attendance",
            "presentation_visitors",
            "presented_at",
        ]
    )
    if application.status == A.IN_PROGRESS:
        move(application, target=A.PRESENTED, by=by, kind=EventKind.PRESENTED)
    return followup


@transaction.atomic
def production_add(
    *, application, by: User, title: str, upload=None, link: str = "", consent: bool = False
) -> Production:
    """The school joins a pupils' production (a file or a link), saying whether it may be published."""
    require_school_member(application, by)
    application = lock(application)
    if application.status not in PRODUCTION_STATES:
        raise ClassroomError(ERROR_NOT_ALLOWED)
    if upload is None and not link:
        raise ClassroomError(ERROR_PRODUCTION_EMPTY)
    production = Production(
        application=application,
        title=title.strip(),
        link=link,
        publication_consent=consent,
        added_by=by,
        filename=getattr(upload, "name", "")[:200] if upload is not None else "",
    )
    if upload is not None:
        production.file.save(upload.name, upload, save=False)
    production.save()
    return production
