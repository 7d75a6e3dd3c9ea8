"""Private file storage and upload checks.

Files live under ``PRIVATE_ROOT``, never under a folder served as static or media, and
have no public URL: a view that has checked access streams them with ``private_download``.
"""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _
import filetype

ERROR_FILE_TOO_LARGE = _("The file is too large (at most %(limit)s MB).")
ERROR_FILE_TYPE = _("This file type is not accepted. Accepted: %(accepted)s.")
ERROR_FILE_EMPTY = _("The file is empty.")

KNOWN_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
}


class PrivateStorage(FileSystemStorage):
    def __init__(self, **kwargs):
        kwargs.setdefault("location", settings.PRIVATE_ROOT)
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    def url(self, name):  # noqa: ARG002 - no file here has a public address
        raise NotImplementedError("Private files have no URL; use a download view.")


class _LazyPrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = PrivateStorage()


private_storage = _LazyPrivateStorage()


def get_private_storage():
    """Callable for ``FileField(storage=...)``: keeps the path out of migrations."""
    return private_storage


@deconstructible
class FileContentValidator:
    """Accept a file only if its bytes (not its name) are one of ``mimetypes``."""

    def __init__(self, mimetypes: tuple[str, ...], max_bytes: int | None = None):
        self.mimetypes = tuple(mimetypes)
        self.max_bytes = max_bytes

    def __call__(self, upload) -> None:
        limit = self.max_bytes or settings.UPLOAD_MAX_BYTES
        if upload.size == 0:
            raise ValidationError(ERROR_FILE_EMPTY, code="empty")
        if upload.size > limit:
            raise ValidationError(
                ERROR_FILE_TOO_LARGE, code="too_large", params={"limit": limit // (1024 * 1024)}
            )
        upload.seek(0)
        head = upload.read(8192)
        upload.seek(0)
        kind = filetype.guess(head)
        if kind is None or kind.mime not in self.mimetypes:
            accepted = ", ".join(KNOWN_TYPES.get(m, m) for m in self.mimetypes)
            raise ValidationError(ERROR_FILE_TYPE, code="file_type", params={"accepted": accepted})

    def __eq__(self, other):
        return (
            isinstance(other, FileContentValidator)
            and self.mimetypes == other.mimetypes
            and self.max_bytes == other.max_bytes
        )


# Types a browser may show in the page (our PDFs, drawn signatures, photos); anything else
# is downloaded.
INLINE_TYPES = ("application/pdf", "image/png", "image/jpeg")


def content_type_of(handle) -> str:
    """The type found from the file's first bytes, never from the name someone gave it."""
    head = handle.read(8192)
    handle.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind is not None else "application/octet-stream"


def private_download(field_file, *, filename: str | None = None, inline: bool = False):
    """Stream a private file. The caller has already checked that the user may see it.

    Its Content-Type comes from its content; only a PDF or an image may be shown inline.
    """
    if not field_file or not field_file.storage.exists(field_file.name):
        raise Http404
    handle = field_file.storage.open(field_file.name, "rb")
    content_type = content_type_of(handle)
    response = FileResponse(
        handle,
        as_attachment=not (inline and content_type in INLINE_TYPES),
        filename=filename or field_file.name.rsplit("/", 1)[-1],
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class MailAttachmentStorage(FileSystemStorage):
    """Files attached to queued mails, under ``PRIVATE_ROOT/mail`` (read at each use)."""

    @property
    def base_location(self):
        return os.path.join(str(settings.PRIVATE_ROOT), "mail")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):  # noqa: ARG002 - no file here has a public address
        raise NotImplementedError("Private files have no URL.")
