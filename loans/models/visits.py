"""Technicians' visits, internet referrals and the calendar feeds that publish visits."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from classcontact.workflow import StateCatalogue, StateInfo

from .holders import HeldBy
from .lending import Loan


class VisitKind(models.TextChoices):
    INSTALLATION = "installation", _("Installation in the classroom")
    HOME_SETUP = "home_setup", _("Set-up at home")
    INTERNET_EVALUATION = "internet_evaluation", _("Internet evaluation")
    TEAM_PRESENTATION = "team_presentation", _("Presentation to the teaching team")
    TRAINING = "training", _("Training")
    RETRIEVAL = "retrieval", _("Retrieval of the kit")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


VISIT_TRANSITIONS: dict[str, frozenset[str]] = {
    VisitStatus.PLANNED: frozenset({VisitStatus.DONE, VisitStatus.CANCELLED}),
    VisitStatus.DONE: frozenset(),
    VisitStatus.CANCELLED: frozenset(),
}

VISIT_STATES = StateCatalogue(
    VisitStatus,
    {
        VisitStatus.PLANNED: StateInfo(badge="text-bg-info"),
        VisitStatus.DONE: StateInfo(badge="text-bg-success", closed=True),
        VisitStatus.CANCELLED: StateInfo(badge="text-bg-light border", closed=True),
    },
)


class VisitOutcome(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    PARTLY = "partly", _("Partly done: another visit is needed")
    NOT_DONE = "not_done", _("Could not be done")


#: What a technician ticks off during each kind of visit (key, label).
VISIT_CHECKLISTS: dict[str, list[tuple[str, str]]] = {
    VisitKind.INSTALLATION: [
        ("kit_complete", _("Every item of the kit is there (serial numbers checked)")),
        ("classroom_installed", _("Camera, speakerphone and computer installed in the classroom")),
        ("network_tested", _("School network tested")),
        ("call_tested", _("Test call between the classroom and home")),
    ],
    VisitKind.HOME_SETUP: [
        ("home_installed", _("Home computer set up")),
        ("home_network_tested", _("Home internet tested")),
        ("call_tested", _("Test call with the classroom")),
        ("contact_given", _("Helpdesk contact given to the family")),
    ],
    VisitKind.INTERNET_EVALUATION: [
        ("speed_measured", _("Upload and download speed measured")),
        ("wifi_coverage", _("Wi-Fi coverage of the classroom checked")),
        ("firewall_checked", _("Firewall and video-conference ports checked")),
    ],
    VisitKind.TEAM_PRESENTATION: [
        ("kit_shown", _("Kit shown to the teaching team")),
        ("rules_explained", _("Rules of use explained (no recording of lessons)")),
        ("questions_answered", _("Questions answered")),
    ],
    VisitKind.TRAINING: [
        ("teachers_trained", _("Teachers trained")),
        ("guide_given", _("User guide handed over")),
    ],
    VisitKind.RETRIEVAL: [
        ("kit_collected", _("Kit collected from the classroom")),
        ("home_collected", _("Home equipment collected")),
        ("accounts_closed", _("Accounts and licences closed")),
    ],
}


def checklist_for(kind: str) -> list[tuple[str, str]]:
    return VISIT_CHECKLISTS.get(kind, [])


class Visit(HeldBy):
    """A technician's visit: an installation, a set-up at home, an evaluation, a retrieval…"""

    TRANSITIONS = VISIT_TRANSITIONS
    STATES = VISIT_STATES

    kind = models.CharField(_("kind of visit"), max_length=24, choices=VisitKind.choices)
    status = models.CharField(
        _("state"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="kit_visits", verbose_name=_("school")
    )
    loan = models.ForeignKey(
        Loan, on_delete=models.PROTECT, null=True, blank=True, related_name="visits", verbose_name=_("loan")
    )
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=90)
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="kit_visits",
        verbose_name=_("technician"),
    )
    address = models.TextField(_("address"))
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=VisitOutcome.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    training_given = models.BooleanField(_("training given"), default=False)
    user_guide_handed_over = models.BooleanField(_("user guide handed over"), default=False)
    done_at = models.DateTimeField(_("marked done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked done by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(_("planned"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    # Bumped whenever the date or the state changes, so calendar apps update their copy.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # The sequence last e-mailed to the technician and the school: a mail goes out once per change.
    mailed_sequence = models.IntegerField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta(HeldBy.Meta):
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["technician", "starts_at"], name="visit_technician_idx"),
            models.Index(fields=["school", "starts_at"], name="visit_school_idx"),
            models.Index(fields=["status", "starts_at"], name="visit_status_idx"),
            models.Index(fields=["holder_type", "holder_id", "starts_at"], name="visit_holder_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def checklist_items(self) -> list[tuple[str, str, bool]]:
        """(key, label, ticked) for this kind of visit, in the order of the checklist."""
        ticked = self.checklist or {}
        return [(key, label, bool(ticked.get(key))) for key, label in checklist_for(self.kind)]

    @property
    def is_planned(self) -> bool:
        return self.status == VisitStatus.PLANNED


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("Referred to the provider")
    IN_PROGRESS = "in_progress", _("In progress at the provider")
    FIXED = "fixed", _("Connection fixed")
    NOT_POSSIBLE = "not_possible", _("Not possible")
    CANCELLED = "cancelled", _("Cancelled")


REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.REFERRED: frozenset(
        {
            ReferralStatus.IN_PROGRESS,
            ReferralStatus.FIXED,
            ReferralStatus.NOT_POSSIBLE,
            ReferralStatus.CANCELLED,
        }
    ),
    ReferralStatus.IN_PROGRESS: frozenset(
        {ReferralStatus.FIXED, ReferralStatus.NOT_POSSIBLE, ReferralStatus.CANCELLED}
    ),
    ReferralStatus.FIXED: frozenset(),
    ReferralStatus.NOT_POSSIBLE: frozenset(),
    ReferralStatus.CANCELLED: frozenset(),
}

REFERRAL_STATES = StateCatalogue(
    ReferralStatus,
    {
        ReferralStatus.REFERRED: StateInfo(badge="text-bg-info"),
        ReferralStatus.IN_PROGRESS: StateInfo(badge="text-bg-primary"),
        ReferralStatus.FIXED: StateInfo(badge="text-bg-success", closed=True),
        ReferralStatus.NOT_POSSIBLE: StateInfo(badge="text-bg-danger", closed=True),
        ReferralStatus.CANCELLED: StateInfo(badge="text-bg-light border", closed=True),
    },
)


class InternetReferral(HeldBy):
    """A school or home whose internet is too weak, referred to the partner internet provider."""

    TRANSITIONS = REFERRAL_TRANSITIONS
    STATES = REFERRAL_STATES

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="internet_referrals",
        verbose_name=_("school"),
    )
    visit = models.ForeignKey(
        Visit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("evaluation visit"),
    )
    referred_on = models.DateField(_("referred on"))
    provider_reference = models.CharField(_("provider's reference"), max_length=80, blank=True)
    status = models.CharField(
        _("state"), max_length=14, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED
    )
    outcome = models.TextField(_("outcome"), blank=True)
    fixed_on = models.DateField(_("fixed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta(HeldBy.Meta):
        verbose_name = _("internet referral")
        verbose_name_plural = _("internet referrals")
        ordering = ["-referred_on", "-pk"]
        indexes = [models.Index(fields=["status", "-referred_on"], name="referral_status_idx")]

    def __str__(self):
        return f"{self.provider_reference or _('referral')} – {self.get_status_display()}"


class CalendarFeed(models.Model):
    """A private iCalendar address of visits, for a technician or for a school.

    Only the SHA-256 of the token is stored: the address is shown once, when it is made;
    revoking it makes the address answer 404 like any unknown one.
    """

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="visit_feeds",
        verbose_name=_("technician"),
    )
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="visit_feeds",
        verbose_name=_("school"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last read"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token_hash", "last_used_at"])

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(user__isnull=False, school__isnull=True) | Q(user__isnull=True, school__isnull=False)
                ),
                name="calendarfeed_one_owner",
            )
        ]

    def __str__(self):
        return str(self.user or self.school)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
