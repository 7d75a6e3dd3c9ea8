"""The yearly departmental report's PDF, made by a worker for the person who asked for it."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from classcontact.export_models import JobStatus
from classcontact.storage import get_private_storage


class ReportJob(models.Model):
    """One PDF of the yearly report of a school year; only its asker downloads it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school_year = models.CharField(_("school year"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    file = models.FileField(
        _("file"), storage=get_private_storage, upload_to="classrooms/reports/", blank=True
    )
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("asked by")
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    seconds = models.FloatField(_("build time (s)"), null=True, blank=True)

    class Meta:
        verbose_name = _("yearly report PDF")
        verbose_name_plural = _("yearly report PDFs")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.school_year} ({self.status})"

    @property
    def filename(self) -> str:
        return f"bilan-classes-mobiles-{self.school_year}.pdf"
