"""PDF rendering: a pure function from a template and its context to the bytes of a PDF.

WeasyPrint fetches every stylesheet, image and font a document names through
``PortalFetcher``, which serves only the portal's own static files (and images handed to
it in memory, such as a drawn signature). Anything else is refused without touching the
network or the disk: other hosts, other schemes, redirects (nothing is ever requested over
HTTP, so there is nothing to follow), and ``file://`` paths outside the static folders.
Rendering is slow work: it runs in Celery tasks, never inside a request.
"""

from collections.abc import Mapping
import mimetypes
import os
from pathlib import Path
import threading
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Documents are rendered against this base address. ``.invalid`` can never resolve (RFC
# 2606), so even a bug that let a URL through could not reach anybody.
DOCUMENT_ORIGIN = "https://documents.classcontact.invalid"
DOCUMENT_BASE_URL = f"{DOCUMENT_ORIGIN}/"
ATTACHMENT_PREFIX = "/attachments/"


class RefusedURL(ValueError):
    """A document asked for something that is not one of the portal's static files."""


def attachment_url(name: str) -> str:
    """Where a document's template finds an image passed to ``render_pdf(attachments=...)``."""
    return f"{DOCUMENT_ORIGIN}{ATTACHMENT_PREFIX}{name}"


def _static_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT)]
    roots += [
        Path(entry[1] if isinstance(entry, tuple | list) else entry) for entry in settings.STATICFILES_DIRS
    ]
    return [root.resolve() for root in roots]


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def _static_file(relative: str) -> Path:
    """The file of the portal's static files called ``relative``, or refuse."""
    relative = unquote(relative)
    if not relative or relative.startswith("/") or "\\" in relative or "\x00" in relative:
        raise RefusedURL(relative)
    if any(part in ("", ".", "..") for part in relative.split("/")):
        raise RefusedURL(relative)
    roots = _static_roots()
    try:
        found = finders.find(relative)
    except Exception as error:  # SuspiciousFileOperation and friends: refuse, never serve
        raise RefusedURL(relative) from error
    candidates = [Path(found)] if found else []
    candidates.append(Path(settings.STATIC_ROOT) / relative)
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved.is_file() and _inside(resolved, roots):
            return resolved
    raise RefusedURL(relative)


class PortalFetcher(URLFetcher):
    """WeasyPrint's URL fetcher for portal documents: static files and in-memory attachments only."""

    def __init__(self, attachments: Mapping[str, bytes] | None = None):
        super().__init__(allowed_protocols=("https", "file"), allow_redirects=False, fail_on_errors=False)
        self.attachments = dict(attachments or {})

    def fetch(self, url, headers=None):  # noqa: ARG002 - no request is ever made
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "file":
            if parts.netloc not in ("", "localhost"):
                raise RefusedURL(url)
            path = Path(os.path.normpath(unquote(parts.path))).resolve()
            if not (path.is_file() and _inside(path, _static_roots())):
                raise RefusedURL(url)
            return self._response(url, path.read_bytes(), path.name)
        if f"{scheme}://{parts.netloc.lower()}" != DOCUMENT_ORIGIN or parts.username or parts.password:
            raise RefusedURL(url)
        path = parts.path
        if path.startswith(ATTACHMENT_PREFIX):
            name = unquote(path[len(ATTACHMENT_PREFIX) :])
            if name not in self.attachments:
                raise RefusedURL(url)
            return self._response(url, self.attachments[name], name)
        if path.startswith(settings.STATIC_URL):
            found = _static_file(path[len(settings.STATIC_URL) :])
            return self._response(url, found.read_bytes(), found.name)
        raise RefusedURL(url)

    def open(self, url, data=None, timeout=None):  # noqa: ARG002
        target = url.full_url if hasattr(url, "full_url") else url
        return self.fetch(target)

    @staticmethod
    def _response(url: str, body: bytes, name: str) -> URLFetcherResponse:
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if content_type.startswith("text/"):
            content_type += "; charset=utf-8"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


_fonts = threading.local()


def _font_config() -> FontConfiguration:
    """One font configuration per thread, kept from one document to the next.

    Building one loads the system's font list (several milliseconds); the portal's documents
    declare no web fonts (``@font-face``), so nothing a document does changes it.
    """
    config = getattr(_fonts, "config", None)
    if config is None:
        config = _fonts.config = FontConfiguration()
    return config


def html_to_pdf(html: str, *, attachments: Mapping[str, bytes] | None = None) -> bytes:
    """Render an HTML string to PDF bytes with the portal's fetcher."""
    document = weasyprint.HTML(
        string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=PortalFetcher(attachments)
    )
    return document.write_pdf(font_config=_font_config())


def render_html(template_name: str, context: Mapping, *, language: str | None = None) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return render_to_string(template_name, dict(context))


def render_pdf(
    template_name: str,
    context: Mapping,
    *,
    language: str | None = None,
    attachments: Mapping[str, bytes] | None = None,
) -> bytes:
    """The PDF of ``template_name`` rendered with ``context`` in ``language``. No side effect."""
    return html_to_pdf(render_html(template_name, context, language=language), attachments=attachments)
