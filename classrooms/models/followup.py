"""After the decision: a class's follow-up by its resource teacher, its presentation day,
the pupils' productions, the municipality's outcome and the class's evaluation."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from classcontact.storage import FileContentValidator, get_private_storage

from .applications import ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES, Application

PRODUCTION_TYPES = ATTACHMENT_TYPES
PRODUCTION_MAX_BYTES = 4 * ATTACHMENT_MAX_BYTES


class Invitee(models.TextChoices):
    PARENTS = "parents", _("Parents")
    ELECTED = "elected", _("Elected officials")
    PARTNERS = "partners", _("Partners")
    PRESS = "press", _("Press")


def letter_path(instance, filename: str) -> str:
    return f"classrooms/{instance.application.public_id}/letters/{uuid.uuid4().hex}.pdf"


class ClassFollowUp(models.Model):
    """What happens to an accepted class after the decision, one row per application.

    Three parts make the evaluation: the B2i figures (the school), the teacher's evaluation
    (the school) and the municipality's outcome (the resource teacher). The services fill
    them; the class becomes ``evaluated`` once its kit is back and the three are in.
    """

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="followup", verbose_name=_("application")
    )
    resource_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="classroom_followups",
        verbose_name=_("resource teacher (ER-TUIC)"),
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)

    # The presentation day (the last day of the loan).
    presentation_on = models.DateField(_("presentation day"), null=True, blank=True)
    presentation_place = models.CharField(_("place"), max_length=200, blank=True)
    invitees = models.JSONField(_("invited"), default=list, blank=True)
    letter_municipality = models.FileField(
        _("invitation letter for the municipality"),
        storage=get_private_storage,
        upload_to=letter_path,
        max_length=200,
        blank=True,
    )
    letter_parents = models.FileField(
        _("invitation letter for the parents"),
        storage=get_private_storage,
        upload_to=letter_path,
        max_length=200,
        blank=True,
    )
    letters_made_at = models.DateTimeField(_("letters made"), null=True, blank=True)
    presentation_shown = models.TextField(_("what was shown"), blank=True)
    presentation_attendance = models.TextField(_("who came"), blank=True)
    presentation_visitors = models.PositiveSmallIntegerField(_("number of visitors"), null=True, blank=True)
    presented_at = models.DateTimeField(_("presentation recorded"), null=True, blank=True)

    # The municipality's outcome (the resource teacher, after the trimester).
    municipality_contacted_on = models.DateField(_("municipality contacted on"), null=True, blank=True)
    municipality_contact_notes = models.TextField(_("contact with the municipality"), blank=True)
    equipment_plan = models.BooleanField(_("equipment plan started"), null=True, blank=True)
    equipment_plan_on = models.DateField(_("equipment plan started on"), null=True, blank=True)
    equipment_plan_description = models.TextField(_("equipment plan"), blank=True)
    equipment_plan_amount = models.DecimalField(
        _("amount (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    municipality_recorded_at = models.DateTimeField(
        _("municipality's outcome recorded"), null=True, blank=True
    )

    # The class's evaluation: B2i figures (the school, checked by the resource teacher) and
    # the teacher's short evaluation.
    pupils_assessed = models.PositiveSmallIntegerField(_("pupils assessed in B2i"), null=True, blank=True)
    pupils_validated = models.PositiveSmallIntegerField(_("pupils validated in B2i"), null=True, blank=True)
    b2i_recorded_at = models.DateTimeField(_("B2i figures entered"), null=True, blank=True)
    b2i_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("B2i figures checked by"),
    )
    b2i_checked_at = models.DateTimeField(_("B2i figures checked"), null=True, blank=True)
    teacher_evaluation = models.TextField(_("teacher's evaluation"), blank=True)
    teacher_evaluation_at = models.DateTimeField(_("teacher's evaluation entered"), null=True, blank=True)
    evaluated_at = models.DateTimeField(_("evaluated"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("class follow-up")
        verbose_name_plural = _("class follow-ups")
        indexes = [models.Index(fields=["resource_teacher", "application"], name="mcfollow_teacher_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(pupils_validated__isnull=True)
                | Q(pupils_assessed__isnull=False, pupils_validated__lte=models.F("pupils_assessed")),
                name="mcfollow_validated_not_above_assessed",
            ),
        ]

    def __str__(self):
        return str(self.application)

    @property
    def b2i_in(self) -> bool:
        return self.pupils_assessed is not None and self.pupils_validated is not None

    @property
    def teacher_in(self) -> bool:
        return bool(self.teacher_evaluation.strip())

    @property
    def municipality_in(self) -> bool:
        return self.equipment_plan is not None

    @property
    def evaluation_complete(self) -> bool:
        return self.b2i_in and self.teacher_in and self.municipality_in

    @property
    def b2i_rate(self) -> float | None:
        if not self.pupils_assessed or self.pupils_validated is None:
            return None
        return round(100 * self.pupils_validated / self.pupils_assessed, 1)

    def invitee_labels(self) -> list[str]:
        return [str(Invitee(value).label) for value in self.invitees if value in Invitee.values]


class NoteKind(models.TextChoices):
    NOTE = "note", _("Note")
    VISIT = "visit", _("Visit to the class")


class FollowUpNote(models.Model):
    """A note or a visit of the resource teacher; append-only."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="followup_notes", verbose_name=_("application")
    )
    kind = models.CharField(_("kind"), max_length=5, choices=NoteKind.choices, default=NoteKind.NOTE)
    on = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("follow-up note")
        verbose_name_plural = _("follow-up notes")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["application", "-on"], name="mcnote_application_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"


def production_path(instance, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"classrooms/{instance.application.public_id}/productions/{uuid.uuid4().hex}.{extension}"


class Production(models.Model):
    """A pupils' production (a file or a link), shown for promotion only with the school's consent."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="productions", verbose_name=_("application")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        storage=get_private_storage,
        upload_to=production_path,
        max_length=200,
        blank=True,
        validators=[FileContentValidator(PRODUCTION_TYPES, max_bytes=PRODUCTION_MAX_BYTES)],
    )
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    link = models.URLField(_("link"), blank=True)
    publication_consent = models.BooleanField(
        _("the school agrees to its publication"),
        default=False,
        help_text=_("With the parents' agreement for any pupil shown."),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("pupils' production")
        verbose_name_plural = _("pupils' productions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(file="") | ~Q(link=""), name="mcproduction_file_or_link"),
        ]

    def __str__(self):
        return self.title
