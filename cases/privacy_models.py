"""A pupil's export: everything held about one pupil, made by a worker for a coordinator."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from classcontact.import_models import ImportStatus as JobStatus
from classcontact.storage import get_private_storage


class PupilExport(models.Model):
    """A ZIP of one case (JSON and a PDF summary) for a parent's request. Only coordinators
    download it; it is deleted ``PUPIL_EXPORT_KEEP_DAYS`` days after it was asked for."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.ConnectionCase", on_delete=models.CASCADE, related_name="exports", verbose_name=_("case")
    )
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), storage=get_private_storage, upload_to="pupil-exports/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked by")
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("pupil's export")
        verbose_name_plural = _("pupils' exports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], name="pupilexport_created_idx")]

    def __str__(self):
        return f"{self.case_id} ({self.status})"
