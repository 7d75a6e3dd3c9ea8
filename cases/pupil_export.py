"""Everything held about one pupil, in one ZIP: readable JSON and a PDF summary.

A coordinator asks for it on a parent's request (``services.pupil_export_start``, logged in the case's
access log); a worker makes it (``pupil_export_run``), section by section, noting its
progress in the cache. Other apps add their sections (documents, tickets) once in their
``ready`` through ``export_section_register``: each returns what it holds about *this* case
only. The file is private, for coordinators, and deleted after ``PUPIL_EXPORT_KEEP_DAYS``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
import datetime
import io
import json
import zipfile

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classcontact.export_jobs import jobs_delete
from classcontact.pdf import render_pdf

from .models import ConnectionCase, PupilExport
from .privacy_models import JobStatus

FAILED_UNEXPECTEDLY = _("The export stopped on an unexpected error. Try again, or tell the team.")


@dataclass
class ExportSection:
    """One part of the export: ``data`` becomes ``<name>.json``; ``files`` are copied as they are."""

    name: str
    title: str
    data: dict
    files: list[tuple[str, object]] = field(default_factory=list)  # (name in the ZIP, FieldFile)


Section = Callable[[ConnectionCase], ExportSection]
_SECTIONS: list[Section] = []


def export_section_register(section: Section) -> None:
    if section not in _SECTIONS:
        _SECTIONS.append(section)


def export_sections() -> list[Section]:
    return list(_SECTIONS)


def _progress_key(export_id: int) -> str:
    return f"pupil-export:{export_id}:progress"


def pupil_export_progress(export: PupilExport) -> tuple[int, int]:
    total = len(_SECTIONS) + 1
    if export.status in (JobStatus.DONE, JobStatus.FAILED):
        return total, total
    return cache.get(_progress_key(export.pk)) or (0, total)


def _json(data) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")


def _text(value) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return "" if value is None else str(value)


def _readable(part: ExportSection) -> dict:
    """A section as the PDF shows it: headings, and rows of (label, value)."""
    blocks = []
    for key, value in part.data.items():
        rows = value if isinstance(value, list) else [value]
        blocks.append({"heading": key, "rows": [[(k, _text(v)) for k, v in row.items()] for row in rows]})
    return {"title": part.title, "blocks": blocks, "files": [name for name, _file in part.files]}


def _write(export: PupilExport) -> bytes:
    case = export.case
    total = len(_SECTIONS) + 1
    sections = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, section in enumerate(export_sections(), start=1):
            part = section(case)
            sections.append(part)
            archive.writestr(f"{part.name}.json", _json(part.data))
            for name, field_file in part.files:
                if field_file and field_file.storage.exists(field_file.name):
                    with field_file.open("rb") as handle:
                        archive.writestr(f"{part.name}/{name}", handle.read())
            cache.set(_progress_key(export.pk), (number, total), timeout=6 * 3600)
        context = {
            "case": case,
            "sections": [_readable(part) for part in sections],
            "made_at": timezone.now(),
        }
        archive.writestr("summary.pdf", render_pdf("pdf/pupil_export.html", context))
    return buffer.getvalue()


def pupil_export_run(*, export_id: int) -> PupilExport | None:
    """Make the ZIP of a queued export (safe to run twice: a job not queued is left alone).

    Effects: the file in private storage; the export done (or failed).
    """
    if not PupilExport.objects.filter(pk=export_id, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING):
        return None
    export = PupilExport.objects.select_related("case", "case__school").get(pk=export_id)
    try:
        content = _write(export)
    except Exception:
        _finish(export, status=JobStatus.FAILED, error=str(FAILED_UNEXPECTEDLY))
        raise
    name = f"{export.case.number or 'case'}-{export.public_id.hex[:8]}.zip"
    export.file.save(name, ContentFile(content), save=False)
    return _finish(export, status=JobStatus.DONE)


def _finish(export: PupilExport, *, status: str, error: str = "") -> PupilExport:
    export.status, export.error, export.finished_at = status, error, timezone.now()
    export.save(update_fields=["status", "error", "finished_at", "file"])
    return export


def pupil_exports_purge(now: datetime.datetime) -> dict[str, int]:
    """Delete the exports asked for more than ``PUPIL_EXPORT_KEEP_DAYS`` days ago, files included."""
    old = PupilExport.objects.filter(
        created_at__lt=now - datetime.timedelta(days=settings.PUPIL_EXPORT_KEEP_DAYS)
    )
    count = jobs_delete(old)
    return {"pupil exports deleted": count} if count else {}
