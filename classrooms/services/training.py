"""Training sessions: registering a teacher of an accepted class, cancelling, attendance.

The database holds the seats: a registration with a seat has a number unique in its session
and within its seats, so two teachers never get the last seat. Registering takes the lowest
free seat and tries the next one when somebody was faster; with no seat left, the teacher
is told the session is full and may join its waiting list, which moves up on cancellation.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classcontact.emails import send_templated_mail
from classcontact.notifying import notifying
from schools.models import Membership, Trimester, User

from .. import roles
from ..ical import training_invitation
from ..models import (
    Application,
    ApplicationStatus,
    Campaign,
    EventKind,
    RegistrationStatus,
    TrainingRegistration,
    TrainingSession,
)
from .common import ERROR_NOT_ALLOWED, ClassroomError, lock, move

A = ApplicationStatus
R = RegistrationStatus

ERROR_SESSION_FULL = _("This session is full. You may join its waiting list.")
ERROR_SESSION_PAST = _("This session has already taken place.")
ERROR_CLASS_NOT_ACCEPTED = _("Only the teachers of an accepted class can register.")
ERROR_NOT_TEACHER = _("Only a teacher of the class's school can register.")
ERROR_OTHER_CAMPAIGN = _("This session prepares another campaign.")
ERROR_ALREADY_REGISTERED = _("You are already registered for this session.")
ERROR_NOT_CANCELLABLE = _("This registration is already cancelled.")
ERROR_SEATS_REQUIRED = _("A session has at least one seat.")

#: The states of a class whose teachers may register for a training session.
TRAINABLE = frozenset({A.ACCEPTED, A.TRAINING_REGISTERED, A.DELIVERED, A.IN_PROGRESS})


class SessionFull(ClassroomError):
    """No seat left: the view offers the waiting list."""


@transaction.atomic
def training_session_create(
    *,
    campaign: Campaign,
    trimester: Trimester,
    title: str,
    starts_at: datetime.datetime,
    place: str,
    trainer: User,
    seats: int,
    by: User | None,
    duration_minutes: int = 180,
) -> TrainingSession:
    """A session preparing a trimester of the campaign."""
    if by is not None and not roles.plans_deployment(by):
        raise ClassroomError(ERROR_NOT_ALLOWED)
    if seats < 1:
        raise ClassroomError(ERROR_SEATS_REQUIRED)
    session = TrainingSession(
        campaign=campaign,
        trimester=trimester,
        title=title.strip(),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place.strip(),
        trainer=trainer,
        seats=seats,
    )
    session._history_user = by
    session.save()
    return session


def _check_may_register(session: TrainingSession, application: Application, teacher: User) -> None:
    if session.starts_at <= timezone.now():
        raise ClassroomError(ERROR_SESSION_PAST)
    if session.campaign_id != application.campaign_id:
        raise ClassroomError(ERROR_OTHER_CAMPAIGN)
    if application.status not in TRAINABLE:
        raise ClassroomError(ERROR_CLASS_NOT_ACCEPTED)
    if not Membership.objects.filter(user=teacher, school_id=application.school_id).exists():
        raise ClassroomError(ERROR_NOT_TEACHER)
    active = session.registrations.filter(teacher=teacher).exclude(status=R.CANCELLED)
    if active.exists():
        raise ClassroomError(ERROR_ALREADY_REGISTERED)


def _free_seats(session: TrainingSession) -> list[int]:
    taken = set(session.registrations.filter(seat__isnull=False).values_list("seat", flat=True))
    return [seat for seat in range(1, session.seats + 1) if seat not in taken]


def _take_seat(registration: TrainingRegistration) -> bool:
    """Save the registration on the lowest free seat; False when none is left.

    When another registration takes the same seat first, the database refuses this one
    (each try in its own savepoint) and the next free seat is tried.
    """
    new = registration.pk is None
    while True:
        free = _free_seats(registration.session)
        if not free:
            return False
        registration.seat, registration.status = free[0], R.REGISTERED
        try:
            with transaction.atomic():
                registration.save()
            return True
        except IntegrityError as error:
            if "trainingreg_one_per_seat" not in str(error) and "trainingreg_seat" not in str(error):
                raise
            if new:
                registration.pk = None


def _mail(registration: TrainingRegistration, *, name: str, cancelled: bool = False) -> None:
    if not notifying():
        return
    session = registration.session
    context = {
        "title": session.title,
        "starts_at": timezone.localtime(session.starts_at),
        "place": session.place,
        "trainer": str(session.trainer),
        "class_name": registration.application.class_display,
        "school_name": registration.application.school.name,
        "waiting": registration.status == R.WAITING,
    }
    attachments = []
    if registration.status == R.REGISTERED or cancelled:
        attachments = [
            ("formation.ics", training_invitation(registration, cancelled=cancelled), "text/calendar")
        ]
    send_templated_mail(
        name=name,
        to=[registration.teacher.email],
        context=context,
        language=registration.teacher.language,
        attachments=attachments,
    )


def _mark_class_registered(application: Application, *, by: User | None, session: TrainingSession) -> None:
    if application.status == A.ACCEPTED:
        move(
            application,
            target=A.TRAINING_REGISTERED,
            by=by,
            kind=EventKind.TRAINING_REGISTERED,
            message=str(session),
        )


@transaction.atomic
def training_register(
    *, session: TrainingSession, application: Application, teacher: User, waiting_list: bool = False
) -> TrainingRegistration:
    """Register a teacher of an accepted class for a session, on a seat or on its waiting list.

    Effects: a registration on the lowest free seat (the database refuses a seat taken
    twice or beyond the seats); a full session raises ``SessionFull`` unless
    ``waiting_list``, then the teacher waits for a seat; an accepted class moves to
    training_registered; the teacher is e-mailed, with an iCalendar invitation for a seat.
    """
    application = lock(application)
    session = TrainingSession.objects.select_related("trainer").get(pk=session.pk)
    _check_may_register(session, application, teacher)
    registration = TrainingRegistration(
        session=session, application=application, teacher=teacher, session_seats=session.seats
    )
    registration._history_user = teacher
    if not _take_seat(registration):
        if not waiting_list:
            raise SessionFull(ERROR_SESSION_FULL)
        registration.seat, registration.status = None, R.WAITING
        registration.save()
        _mail(registration, name="classroom-training-waiting")
        return registration
    _mark_class_registered(application, by=teacher, session=session)
    _mail(registration, name="classroom-training-registered")
    return registration


def _promote_waiting(session: TrainingSession) -> TrainingRegistration | None:
    """The first teacher of the waiting list takes a freed seat and is told."""
    waiting = session.registrations.filter(status=R.WAITING).order_by("created_at", "pk").first()
    if waiting is None:
        return None
    application = lock(waiting.application)
    waiting = TrainingRegistration.objects.select_related("session__trainer", "teacher").get(pk=waiting.pk)
    if not _take_seat(waiting):
        return None
    _mark_class_registered(application, by=None, session=session)
    _mail(waiting, name="classroom-training-registered")
    return waiting


@transaction.atomic
def training_cancel(*, registration: TrainingRegistration, by: User | None) -> TrainingRegistration:
    """Cancel a registration (or leave the waiting list).

    Effects: the seat is freed and given to the first teacher of the waiting list (who is
    e-mailed an invitation); a class with no registration left goes back to accepted; the
    teacher is e-mailed the cancelled invitation.
    """
    application = lock(registration.application)
    session = TrainingSession.objects.select_for_update().get(pk=registration.session_id)
    registration = TrainingRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == R.CANCELLED:
        raise ClassroomError(ERROR_NOT_CANCELLABLE)
    had_seat = registration.status == R.REGISTERED
    registration.status, registration.seat, registration.cancelled_at = R.CANCELLED, None, timezone.now()
    registration._history_user = by
    registration.save(update_fields=["status", "seat", "cancelled_at"])
    if had_seat:
        registration.session = session
        _mail(registration, name="classroom-training-cancelled", cancelled=True)
        _promote_waiting(session)
        still = application.training_registrations.filter(status=R.REGISTERED).exists()
        if application.status == A.TRAINING_REGISTERED and not still:
            move(
                application, target=A.ACCEPTED, by=by, kind=EventKind.TRAINING_CANCELLED, message=str(session)
            )
    return registration


@transaction.atomic
def training_record_attendance(
    *, session: TrainingSession, by: User, present_ids: set[int]
) -> list[TrainingRegistration]:
    """The trainer (or the programme's planners) ticks who came; everyone else registered was absent."""
    if by.pk != session.trainer_id and not roles.plans_deployment(by):
        raise ClassroomError(ERROR_NOT_ALLOWED)
    registrations = list(session.registrations.select_for_update().filter(status=R.REGISTERED))
    for registration in registrations:
        registration.attended = registration.pk in present_ids
        registration._history_user = by
        registration.save(update_fields=["attended"])
    return registrations
