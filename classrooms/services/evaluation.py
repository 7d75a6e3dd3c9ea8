"""A class's evaluation: the B2i figures and the teacher's evaluation (the school), the
municipality's outcome (the resource teacher). A returned class whose three parts are in
is ``evaluated``."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.models import User

from ..models import ApplicationStatus, ClassFollowUp, EventKind
from .common import ClassroomError, lock, move, record
from .followup import followup_locked, require_resource_teacher, require_school_member

A = ApplicationStatus

ERROR_EVALUATION_STATE = _("The evaluation is entered from the loan's start until the class is evaluated.")
ERROR_VALIDATED_ABOVE_ASSESSED = _("There cannot be more pupils validated than pupils assessed.")
ERROR_EVALUATION_EMPTY = _("Write the teacher's evaluation.")
ERROR_PLAN_ANSWER = _("Say whether the municipality started an equipment plan.")

#: States in which the parts of the evaluation are entered or corrected.
EVALUATION_STATES = frozenset({A.IN_PROGRESS, A.PRESENTED, A.RETURNED})


def _open_followup(application, by: User) -> tuple[object, ClassFollowUp]:
    application = lock(application)
    if application.status not in EVALUATION_STATES:
        raise ClassroomError(ERROR_EVALUATION_STATE)
    return application, followup_locked(application)


def _part_entered(application, followup: ClassFollowUp, *, by: User, part: str) -> ClassFollowUp:
    record(application, kind=EventKind.EVALUATION_PART, by=by, message=part)
    evaluation_complete_if_ready(application=application, followup=followup, by=by)
    return followup


@transaction.atomic
def evaluation_record_b2i(*, application, by: User, assessed: int, validated: int) -> ClassFollowUp:
    """The school enters how many pupils were assessed and validated in the B2i competences.

    Effects: the figures (a previous check by the resource teacher is cleared); a timeline
    event; the class becomes ``evaluated`` when it is back and the three parts are in.
    """
    require_school_member(application, by)
    if validated > assessed:
        raise ClassroomError(ERROR_VALIDATED_ABOVE_ASSESSED)
    application, followup = _open_followup(application, by)
    followup.pupils_assessed, followup.pupils_validated = assessed, validated
    followup.b2i_recorded_at = timezone.now()
    followup.b2i_checked_by, followup.b2i_checked_at = None, None
    followup.save(
        update_fields=[
            "pupils_assessed",
            "pupils_validated",
            "b2i_recorded_at",
            "b2i_checked_by",
            "b2i_checked_at",
        ]
    )
    return _part_entered(application, followup, by=by, part=str(_("B2i figures")))


@transaction.atomic
def evaluation_check_b2i(*, application, by: User) -> ClassFollowUp:
    """The class's resource teacher confirms the school's B2i figures."""
    followup = followup_locked(application)
    require_resource_teacher(followup, by)
    if not followup.b2i_in:
        raise ClassroomError(ERROR_EVALUATION_STATE)
    followup.b2i_checked_by, followup.b2i_checked_at = by, timezone.now()
    followup.save(update_fields=["b2i_checked_by", "b2i_checked_at"])
    return followup


@transaction.atomic
def evaluation_record_teacher(*, application, by: User, text: str) -> ClassFollowUp:
    """The school enters the teacher's short evaluation.

    Effects: the text; a timeline event; ``evaluated`` when the class is back and complete.
    """
    require_school_member(application, by)
    if not text.strip():
        raise ClassroomError(ERROR_EVALUATION_EMPTY)
    application, followup = _open_followup(application, by)
    followup.teacher_evaluation = text.strip()
    followup.teacher_evaluation_at = timezone.now()
    followup.save(update_fields=["teacher_evaluation", "teacher_evaluation_at"])
    return _part_entered(application, followup, by=by, part=str(_("Teacher's evaluation")))


@transaction.atomic
def municipality_record(  # noqa: PLR0913 - the outcome's fields, all keyword-only
    *,
    application,
    by: User,
    contacted_on: datetime.date | None,
    notes: str,
    plan_started: bool | None,
    plan_on: datetime.date | None = None,
    description: str = "",
    amount: Decimal | None = None,
) -> ClassFollowUp:
    """The class's resource teacher records the contact with the municipality and its outcome.

    Effects: the outcome; a timeline event; ``evaluated`` when the class is back and complete.
    """
    if plan_started is None:
        raise ClassroomError(ERROR_PLAN_ANSWER)
    application, followup = _open_followup(application, by)
    require_resource_teacher(followup, by)
    followup.municipality_contacted_on = contacted_on
    followup.municipality_contact_notes = notes.strip()
    followup.equipment_plan = plan_started
    followup.equipment_plan_on = plan_on if plan_started else None
    followup.equipment_plan_description = description.strip() if plan_started else ""
    followup.equipment_plan_amount = amount if plan_started else None
    followup.municipality_recorded_at = timezone.now()
    followup.save(
        update_fields=[
            "municipality_contacted_on",
            "municipality_contact_notes",
            "equipment_plan",
            "equipment_plan_on",
            "equipment_plan_description",
            "equipment_plan_amount",
            "municipality_recorded_at",
        ]
    )
    return _part_entered(application, followup, by=by, part=str(_("Municipality's outcome")))


def evaluation_complete_if_ready(
    *, application, followup: ClassFollowUp | None = None, by: User | None
) -> bool:
    """Move a returned class whose three parts are in to ``evaluated`` (inside the caller's
    transaction, the application locked). Also to call when the kit comes back."""
    if application.status != A.RETURNED:
        return False
    followup = followup or ClassFollowUp.objects.filter(application=application).first()
    if followup is None or not followup.evaluation_complete:
        return False
    move(application, target=A.EVALUATED, by=by, kind=EventKind.EVALUATED)
    followup.evaluated_at = timezone.now()
    followup.save(update_fields=["evaluated_at"])
    return True
