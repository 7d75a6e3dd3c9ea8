"""Connection cases: one pupil connected to their class, from the director's request to closing.

The portal stores a reason *category* and the expected dates, never a diagnosis. The
medical certificate, when one is sent, is private, seen only by staff, and deleted once
eligibility is decided.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from classcontact.choices import ChoiceLabels
from classcontact.indexes import upper_trigram_index
from classcontact.storage import FileContentValidator, get_private_storage
from loans.models import Loan, holder_filter
from schools.models import Language, Region

from .states import (  # noqa: F401 - the states are part of the models' vocabulary
    CASE_STATES,
    CLOSED_STATES,
    DIRECTOR_WITHDRAW,
    DIRECTOR_WITHDRAW_STATES,
    OPEN_STATES,
    SCHOOL_REQUEST,
    SCHOOL_REQUEST_STATES,
    STAFF_ACTION_STATES,
    TRANSITIONS,
    CaseStatus,
    S,
)

CERTIFICATE_TYPES = ("application/pdf", "image/jpeg", "image/png")
CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024
CASE_NUMBER_PREFIX = "CC"


class ReasonCategory(models.TextChoices):
    """Why the pupil cannot attend. A category only: the portal never stores a diagnosis."""

    PHYSICAL_ILLNESS = "physical_illness", _("Physical illness")
    PSYCHOLOGICAL_ILLNESS = "psychological_illness", _("Psychological illness")
    DISABILITY = "disability", _("Disability")
    ACCIDENT = "accident", _("Accident")
    OTHER = "other", _("Other medical reason")


class EligibilityDecision(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")


class SchoolRequest(models.TextChoices):
    """What a school may ask for besides the kit itself."""

    PRESENTATION = "presentation", _("Presentation of the kit to the teaching team")
    CLASSMATES_LETTER = "classmates_letter", _("Letter for classmates and their parents")


def school_year_label(day: datetime.date) -> str:
    """The school year a date falls in, as the calendars label it (``2025-2026``)."""
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{first + 1}"


CASE_NUMBER_SCOPE = "case"  # its counter in classcontact.YearlyCounter


def format_case_number(year: int, value: int) -> str:
    return f"{CASE_NUMBER_PREFIX}-{year}-{value:04d}"


def certificate_path(instance, filename: str) -> str:
    """A random name in a folder of the case: the pupil's name never appears on disk."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"cases/{instance.public_id}/certificate-{uuid.uuid4().hex}.{extension}"


# Cases still running: neither a draft nor closed (the board's "open" filter, as it writes it).
OPEN_CASES = ~models.Q(status=CaseStatus.DRAFT) & ~models.Q(status__in=CLOSED_STATES)

# The coordinators' home lines (cases.homes), each read oldest first through its own index.
TO_REVIEW = (S.SUBMITTED, S.UNDER_REVIEW)
VISIT_TO_PLAN = (S.DOCUMENTS_SIGNED, S.END_REQUESTED)
#: States in which the kit is at the pupil's and still needed, as far as we know.
KIT_IN_USE = (S.ACTIVE, S.PAUSED)


class ConnectionCase(ChoiceLabels, models.Model):
    """One pupil who cannot attend school for a medical reason, connected to their class."""

    TRANSITIONS = TRANSITIONS
    STATES = CASE_STATES

    # Addresses use this random identifier; the number is for people, never for access.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(
        _("case number"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Given when the request is submitted, for example CC-2026-0042."),
    )
    status = models.CharField(_("state"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    status_changed_at = models.DateTimeField(_("state changed"), default=timezone.now)
    programme_year = models.CharField(
        _("programme year"),
        max_length=9,
        blank=True,
        help_text=_("School year of the request, e.g. 2026-2027."),
    )

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="connection_cases", verbose_name=_("school")
    )
    # The school's region, kept with the case (cases/school_region.py) so that the board's
    # region filter walks an index of the cases instead of joining every school.
    school_region = models.CharField(_("region"), max_length=20, choices=Region.choices, editable=False)
    school_class = models.ForeignKey(
        "schools.SchoolClass",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="connection_cases",
        verbose_name=_("class"),
    )
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="connection_cases_taught",
        verbose_name=_("teachers with a portal account"),
    )
    teacher_names = models.TextField(
        _("teachers"), blank=True, help_text=_("Names and e-mail addresses of the teachers of the class.")
    )

    pupil_first_name = models.CharField(_("pupil's first name"), max_length=100, blank=True)
    pupil_last_name = models.CharField(_("pupil's last name"), max_length=100, blank=True)
    pupil_birth_date = models.DateField(_("pupil's date of birth"), null=True, blank=True)

    absence_start = models.DateField(_("absence expected from"), null=True, blank=True)
    absence_end = models.DateField(_("absence expected until"), null=True, blank=True)
    absence_end_unknown = models.BooleanField(_("end of absence not known yet"), default=False)
    reason_category = models.CharField(_("reason"), max_length=24, choices=ReasonCategory.choices, blank=True)
    certificate = models.FileField(
        _("medical certificate"),
        storage=get_private_storage,
        upload_to=certificate_path,
        blank=True,
        max_length=200,
        validators=[FileContentValidator(CERTIFICATE_TYPES, max_bytes=CERTIFICATE_MAX_BYTES)],
    )
    certificate_deleted_at = models.DateTimeField(_("certificate deleted"), null=True, blank=True)

    home_street = models.CharField(_("street and number"), max_length=200, blank=True)
    home_postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    home_city = models.CharField(_("city"), max_length=100, blank=True)
    home_has_internet = models.BooleanField(_("internet at home"), null=True, blank=True)
    guardian_count = models.PositiveSmallIntegerField(
        _("number of parents or guardians who sign"), choices=[(1, "1"), (2, "2")], default=1
    )
    guardians_agree = models.BooleanField(_("the parents agree to the request"), default=False)
    school_note = models.TextField(_("note from the school"), blank=True)

    # Staff only: never shown to the school.
    internal_notes = models.TextField(_("internal notes"), blank=True)
    # Kept by the logistics services (cases.services.logistics), which alone reserve a kit or
    # plan a visit for a case: until then the case page reads no loan nor visit.
    logistics_started = models.BooleanField(_("a kit was reserved or a visit planned"), default=False)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_cases",
        verbose_name=_("coordinator"),
    )
    check_school_in_fwb = models.BooleanField(
        _("school of the Fédération Wallonie-Bruxelles"), null=True, blank=True
    )
    check_medical_reason = models.BooleanField(_("cannot attend for a medical reason"), null=True, blank=True)
    eligibility_decision = models.CharField(
        _("decision"), max_length=10, choices=EligibilityDecision.choices, blank=True
    )
    # Seen by the school.
    eligibility_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    planned_date = models.DateField(
        _("planned visit"),
        null=True,
        blank=True,
        help_text=_("Date of the next installation or retrieval visit."),
    )
    last_day_of_use = models.DateField(_("last day of use"), null=True, blank=True)
    end_requested_at = models.DateTimeField(_("end requested"), null=True, blank=True)
    presentation_requested_at = models.DateTimeField(_("presentation requested"), null=True, blank=True)
    presentation_handled_at = models.DateTimeField(_("presentation handled"), null=True, blank=True)
    classmates_letter_requested_at = models.DateTimeField(_("letter requested"), null=True, blank=True)
    classmates_letter_handled_at = models.DateTimeField(_("letter handled"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    # Retention (cases/retention.py): a legal hold stops the purge of an expired case.
    legal_hold_reason = models.TextField(_("reason for the legal hold"), blank=True)
    legal_hold_at = models.DateTimeField(_("legal hold since"), null=True, blank=True)
    legal_hold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("legal hold by"),
    )
    purged_at = models.DateTimeField(_("identity erased"), null=True, blank=True)
    documents_purged_at = models.DateTimeField(_("documents deleted"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("connection case")
        verbose_name_plural = _("connection cases")
        ordering = ["-status_changed_at", "-pk"]
        indexes = [
            models.Index(fields=["-status_changed_at", "-id"], name="case_changed_idx"),
            models.Index(fields=["status", "-status_changed_at"], name="case_status_changed_idx"),
            models.Index(fields=["school", "status"], name="case_school_status_idx"),
            models.Index(fields=["programme_year", "status"], name="case_year_status_idx"),
            models.Index(fields=["coordinator", "status"], name="case_coordinator_status_idx"),
            models.Index(fields=["pupil_last_name", "pupil_first_name"], name="case_pupil_idx"),
            models.Index(fields=["-submitted_at"], name="case_submitted_idx"),
            # The daily purge: closed cases not erased yet, oldest closing first.
            models.Index(
                fields=["closed_at"], name="case_to_purge_idx", condition=models.Q(purged_at__isnull=True)
            ),
            # The board's open cases (its "open" filter), newest change first, and by year.
            models.Index(
                fields=["-status_changed_at", "-id"], name="case_open_changed_idx", condition=OPEN_CASES
            ),
            models.Index(
                fields=["programme_year", "-status_changed_at", "-id"],
                name="case_open_year_idx",
                condition=OPEN_CASES,
            ),
            models.Index(
                fields=["school_region", "-status_changed_at", "-id"],
                name="case_open_region_idx",
                condition=OPEN_CASES,
            ),
            models.Index(
                fields=["school_region", "programme_year", "-status_changed_at", "-id"],
                name="case_open_region_year_idx",
                condition=OPEN_CASES,
            ),
            # The home lines: the first case of each in its order, and their count.
            models.Index(
                fields=["status_changed_at", "id"],
                name="case_to_review_idx",
                condition=models.Q(status__in=TO_REVIEW),
            ),
            models.Index(
                fields=["status_changed_at", "id"],
                name="case_visit_to_plan_idx",
                condition=models.Q(status__in=VISIT_TO_PLAN),
            ),
            models.Index(
                fields=["absence_end", "id"],
                name="case_kit_in_use_end_idx",
                condition=models.Q(status__in=KIT_IN_USE),
            ),
            # The search of the board and of the documents list (number, pupil's names).
            upper_trigram_index("number", name="case_number_trgm"),
            upper_trigram_index("pupil_last_name", name="case_last_name_trgm"),
            upper_trigram_index("pupil_first_name", name="case_first_name_trgm"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(absence_end__isnull=True)
                | models.Q(absence_start__isnull=True)
                | models.Q(absence_end__gte=models.F("absence_start")),
                name="case_absence_end_after_start",
            ),
            models.CheckConstraint(condition=models.Q(guardian_count__in=[1, 2]), name="case_guardian_count"),
        ]

    def __str__(self):
        return f"{self.number or _('draft')} – {self.pupil_display}"

    @property
    def pupil_display(self) -> str:
        return f"{self.pupil_first_name} {self.pupil_last_name}".strip() or str(_("(pupil not named yet)"))

    @property
    def number_display(self) -> str:
        return self.number or str(_("Draft"))

    @property
    def loans(self) -> models.QuerySet[Loan]:
        """The kit loans of this case (the logistics keep the link, see ``loans.holders``)."""
        return Loan.objects.filter(**holder_filter(self))

    @property
    def on_legal_hold(self) -> bool:
        return bool(self.legal_hold_at)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def has_certificate(self) -> bool:
        return bool(self.certificate)

    @property
    def presentation_pending(self) -> bool:
        return bool(self.presentation_requested_at and not self.presentation_handled_at)

    @property
    def classmates_letter_pending(self) -> bool:
        return bool(self.classmates_letter_requested_at and not self.classmates_letter_handled_at)


class Guardian(models.Model):
    """A parent or legal guardian of the pupil. Parents have no account: they sign by link."""

    case = models.ForeignKey(
        ConnectionCase, on_delete=models.CASCADE, related_name="guardians", verbose_name=_("case")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FR)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("parent or guardian")
        verbose_name_plural = _("parents or guardians")
        ordering = ["case", "position"]
        constraints = [models.UniqueConstraint(fields=["case", "position"], name="guardian_unique_position")]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip() or self.email


class EventKind(models.TextChoices):
    CREATED = "created", _("Request started")
    SUBMITTED = "submitted", _("Request submitted")
    REVIEW_STARTED = "review_started", _("Review started")
    DECLARED_ELIGIBLE = "declared_eligible", _("Declared eligible")
    DECLARED_INELIGIBLE = "declared_ineligible", _("Declared not eligible")
    CERTIFICATE_DELETED = "certificate_deleted", _("Medical certificate deleted")
    KIT_ASSIGNED = "kit_assigned", _("Kit reserved for the pupil")
    DOCUMENTS_SENT = "documents_sent", _("Convention and engagement sent for signature")
    DOCUMENTS_SIGNED = "documents_signed", _("All documents signed")
    INSTALLATION_PLANNED = "installation_planned", _("Installation planned")
    ACTIVATED = "activated", _("Kit installed: the pupil is connected")
    PAUSED = "paused", _("Paused")
    RESUMED = "resumed", _("Resumed")
    END_REQUESTED = "end_requested", _("Kit no longer needed")
    RETRIEVAL_PLANNED = "retrieval_planned", _("Retrieval of the kit planned")
    KIT_RETURNED = "kit_returned", _("Kit returned")
    CLOSED = "closed", _("Case closed")
    WITHDRAWN = "withdrawn", _("Request withdrawn")
    PRESENTATION_REQUESTED = "presentation_requested", _("Presentation to the teaching team requested")
    CLASSMATES_LETTER_REQUESTED = "classmates_letter_requested", _("Letter for classmates' parents requested")
    PRESENTATION_HANDLED = "presentation_handled", _("Presentation to the teaching team organised")
    CLASSMATES_LETTER_SENT = "classmates_letter_sent", _("Letter for classmates' parents sent")
    NOTES_UPDATED = "notes_updated", _("Internal notes updated")


class CaseEvent(ChoiceLabels, models.Model):
    """One line of a case's timeline, written in the same transaction as the change it records.

    Append-only: an event is never edited, so it has no history table of its own.
    """

    case = models.ForeignKey(ConnectionCase, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    acting_for_parent = models.BooleanField(_("on behalf of a parent"), default=False)
    kind = models.CharField(_("what"), max_length=32, choices=EventKind.choices)
    from_status = models.CharField(_("from state"), max_length=24, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to state"), max_length=24, choices=CaseStatus.choices, blank=True)
    message = models.TextField(_("message"), blank=True)
    is_public = models.BooleanField(_("seen by the school"), default=True)
    notified_at = models.DateTimeField(_("e-mails sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["case", "at"], name="caseevent_case_at_idx"),
            # The dashboard's connections: the activations and ends of every case, read from
            # the index alone (cases/dashboard.py, connection_spans).
            models.Index(fields=["kind", "case", "at"], name="caseevent_kind_case_at_idx"),
        ]

    def __str__(self):
        return f"{self.case_id} {self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"


class HealthField(models.TextChoices):
    REASON_CATEGORY = "reason_category", _("Reason category")
    CERTIFICATE = "certificate", _("Medical certificate")
    # Not a field: everything held about the pupil, exported at a parent's request.
    EXPORT = "export", _("Export of everything held about the pupil")


class HealthDataAccess(models.Model):
    """A read of a case's health-related data by staff: who, when, what, where from."""

    case = models.ForeignKey(ConnectionCase, on_delete=models.CASCADE, related_name="health_reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    field = models.CharField(_("what"), max_length=20, choices=HealthField.choices)
    context = models.CharField(_("where"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("health data read")
        verbose_name_plural = _("health data reads")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["case", "-at"], name="healthread_case_idx"),
            models.Index(fields=["user", "-at"], name="healthread_user_idx"),
            # The dashboard's unusual reads: every read of a period.
            models.Index(fields=["at"], name="healthread_at_idx"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_field_display()} · {self.at:%Y-%m-%d %H:%M}"


from .figures_models import CaseFigures, DailyFigures, WaitFigures  # noqa: E402, F401 - models of this app
from .privacy_models import PupilExport  # noqa: E402, F401 - a model of this app
