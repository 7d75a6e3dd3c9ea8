"""Commission sessions and their proposals, which the decision maker accepts or refuses."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from classcontact.storage import get_private_storage

from ..states import SESSION_STATES, SESSION_TRANSITIONS, SessionStatus
from .applications import Application, Campaign


def minutes_path(instance, filename: str) -> str:  # noqa: ARG001 - the name is ours
    return f"classrooms/sessions/{instance.pk}/minutes-{timezone.now():%Y%m%d%H%M%S}.pdf"


class CommissionSession(models.Model):
    """One meeting of the commission: the applications examined, ranked and proposed."""

    TRANSITIONS = SESSION_TRANSITIONS
    STATES = SESSION_STATES

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("campaign")
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="classroom_sessions",
        verbose_name=_("members invited"),
    )
    present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("members present")
    )
    status = models.CharField(
        _("state"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    status_changed_at = models.DateTimeField(_("state changed"), default=timezone.now)
    notes = models.TextField(_("notes of the session"), blank=True)
    minutes = models.FileField(
        _("minutes"), storage=get_private_storage, upload_to=minutes_path, blank=True, max_length=200
    )
    minutes_sha256 = models.CharField(_("SHA-256 of the minutes"), max_length=64, blank=True)
    minutes_rendered_at = models.DateTimeField(_("minutes made"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["status_changed_at"])

    class Meta:
        verbose_name = _("commission session")
        verbose_name_plural = _("commission sessions")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["status", "held_on"], name="mcsession_status_idx")]

    def __str__(self):
        return _("Commission of %(day)s") % {"day": f"{self.held_on:%d/%m/%Y}"}


class ProposalOutcome(models.TextChoices):
    ACCEPT = "accept", _("Accept for a trimester")
    WAITING_LIST = "waiting_list", _("Waiting list")
    REFUSE = "refuse", _("Refuse")


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Proposal accepted")
    REFUSED = "refused", _("Proposal refused")


class Proposal(models.Model):
    """What the commission proposes for one application it examined, and the decision on it."""

    session = models.ForeignKey(
        CommissionSession, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("session")
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("application")
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    outcome = models.CharField(_("proposal"), max_length=12, choices=ProposalOutcome.choices, blank=True)
    trimester = models.ForeignKey(
        "schools.Trimester",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trimester"),
    )
    kit_type = models.ForeignKey(
        "loans.KitType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kit type"),
    )
    reason = models.TextField(_("reason"), blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commission proposal")
        verbose_name_plural = _("commission proposals")
        ordering = ["session", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "application"], name="proposal_one_per_session"),
            models.CheckConstraint(
                condition=~Q(outcome="accept") | Q(trimester__isnull=False, kit_type__isnull=False),
                name="proposal_accept_has_trimester_and_kit_type",
            ),
        ]
        indexes = [models.Index(fields=["trimester", "kit_type", "outcome"], name="proposal_slot_idx")]

    def __str__(self):
        return f"{self.session} – {self.application}"
