"""An export of a long staff list made by a worker: its progress, its file, and when it goes."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .import_models import ImportStatus as JobStatus
from .storage import get_private_storage


class ExportJob(models.Model):
    """A spreadsheet made in the background; only the person who asked for it may download
    it, and it is deleted after ``EXPORT_KEEP_DAYS`` days (``classcontact.purge_export_jobs``)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.SlugField(_("list"), max_length=20)
    format = models.CharField(_("format"), max_length=4, choices=[("csv", "CSV"), ("xlsx", "XLSX")])
    params = models.JSONField(_("filters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), storage=get_private_storage, upload_to="exports/", blank=True)
    filename = models.CharField(_("file name"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("asked by")
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], name="exportjob_created_idx")]

    def __str__(self):
        return f"{self.kind}.{self.format} ({self.status})"
