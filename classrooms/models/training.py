"""Training sessions before each loan period, and the teachers registered for them.

The database guarantees a session never has more registrations than seats: each
registration holding a seat carries a seat number, unique in its session and between 1
and the session's seats (copied onto the row, so that a check constraint can read it).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TrainingSession(models.Model):
    """A training session ("RDV Canopé") preparing the classes of one campaign's trimester."""

    campaign = models.ForeignKey(
        "classrooms.Campaign",
        on_delete=models.PROTECT,
        related_name="training_sessions",
        verbose_name=_("campaign"),
    )
    trimester = models.ForeignKey(
        "schools.Trimester",
        on_delete=models.PROTECT,
        related_name="classroom_training_sessions",
        verbose_name=_("trimester prepared"),
    )
    title = models.CharField(_("title"), max_length=160)
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=180)
    place = models.CharField(_("place"), max_length=200)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="classroom_trainings_given",
        verbose_name=_("trainer"),
    )
    seats = models.PositiveSmallIntegerField(_("seats"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["campaign", "trimester", "starts_at"], name="training_campaign_idx"),
            models.Index(fields=["trainer", "starts_at"], name="training_trainer_idx"),
            models.Index(fields=["starts_at"], name="training_starts_idx"),
        ]
        constraints = [models.CheckConstraint(condition=Q(seats__gte=1), name="training_seats_positive")]

    def __str__(self):
        return f"{self.title} – {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class TrainingRegistration(models.Model):
    """A teacher of an accepted class registered for a session (or waiting for a seat)."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("session")
    )
    application = models.ForeignKey(
        "classrooms.Application",
        on_delete=models.CASCADE,
        related_name="training_registrations",
        verbose_name=_("class"),
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="classroom_training_registrations",
        verbose_name=_("teacher"),
    )
    status = models.CharField(
        _("state"), max_length=12, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    # Set while the registration holds a seat; the session's seats copied for the check constraint.
    seat = models.PositiveSmallIntegerField(_("seat"), null=True, blank=True, editable=False)
    session_seats = models.PositiveSmallIntegerField(editable=False)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("training registration")
        verbose_name_plural = _("training registrations")
        ordering = ["session", "created_at", "pk"]
        indexes = [
            models.Index(fields=["teacher", "status"], name="trainingreg_teacher_idx"),
            models.Index(fields=["application", "status"], name="trainingreg_application_idx"),
            models.Index(fields=["session", "status", "created_at"], name="trainingreg_session_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "seat"], condition=Q(seat__isnull=False), name="trainingreg_one_per_seat"
            ),
            models.CheckConstraint(
                condition=Q(seat__isnull=True) | Q(seat__gte=1, seat__lte=F("session_seats")),
                name="trainingreg_seat_within_seats",
            ),
            models.CheckConstraint(
                condition=Q(status=RegistrationStatus.REGISTERED, seat__isnull=False)
                | (~Q(status=RegistrationStatus.REGISTERED) & Q(seat__isnull=True)),
                name="trainingreg_seat_iff_registered",
            ),
            models.UniqueConstraint(
                fields=["session", "teacher"],
                condition=~Q(status=RegistrationStatus.CANCELLED),
                name="trainingreg_once_per_teacher",
            ),
        ]

    def __str__(self):
        return f"{self.teacher} – {self.session}"
