"""Versions of the wording each kind of document is made from."""

from django.db import transaction

from schools.models import User

from ..defaults import DEFAULT_WORDING
from ..models import DocumentKind, TemplateVersion, split_clauses
from ..selectors import current_version
from .common import ERROR_NO_CLAUSES, ERROR_NO_WORDING, DocumentError, _require_coordinator


@transaction.atomic
def template_version_publish(
    *,
    kind: str,
    language: str,
    title: str,
    introduction: str,
    clauses: str,
    consent_text: str = "",
    closing: str = "",
    change_note: str = "",
    by: User,
) -> TemplateVersion:
    """Publish new wording for a kind of document in one language, as the next version.

    Documents already created keep the version they were made from; new documents use this
    one. The newest version row is locked so two people publishing at once get two numbers.
    """
    _require_coordinator(by)
    if not split_clauses(clauses):
        raise DocumentError(ERROR_NO_CLAUSES)
    latest = (
        TemplateVersion.objects.select_for_update()
        .filter(kind=kind, language=language)
        .order_by("-number")
        .first()
    )
    version = TemplateVersion(
        kind=kind,
        language=language,
        number=(latest.number + 1) if latest else 1,
        title=title.strip(),
        introduction=introduction.strip(),
        clauses=clauses.strip().replace("\r\n", "\n"),
        consent_text=consent_text.strip() if kind == DocumentKind.CONVENTION else "",
        closing=closing.strip(),
        change_note=change_note.strip(),
        created_by=by,
    )
    version._history_user = by
    version.save()
    return version


def ensure_default_templates() -> int:
    """Create version 1 of every kind and language that has no wording yet; returns how many."""
    created = 0
    for (kind, language), wording in DEFAULT_WORDING.items():
        if not TemplateVersion.objects.filter(kind=kind, language=language).exists():
            TemplateVersion.objects.create(kind=kind, language=language, number=1, **wording)
            created += 1
    return created


def _version_for(kind: str, language: str) -> TemplateVersion:
    version = current_version(kind, language)
    if version is None:
        raise DocumentError(
            ERROR_NO_WORDING % {"kind": DocumentKind(kind).label, "language": language.upper()}
        )
    return version
