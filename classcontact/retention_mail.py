"""The e-mails kept by django-post-office: those that spoke of an expired pupil, and old ones.

Those of a pupil are found by the pupil's anchors (the case number, the full name, the
guardians' addresses) in their recipients, subject or body; the known values are replaced in
them, and their attached files (signed copies of the documents: the legal copy stays with the
document) are deleted from storage with their attachment rows.

Every day, e-mails sent (or given up on) more than ``RETENTION_MAIL_DAYS`` days ago are
deleted with their attempts and the files only they carried: their bodies hold personal links
(invitations, signing and end-of-loan links) that nobody needs once delivered.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from post_office.models import STATUS, Attachment, Email, Log

from .retention import Known, delete_files, scrub

MAIL_TEXT = ["to", "cc", "bcc", "subject", "message", "html_message", "headers"]


def mails_about(known: Known):
    if not known.anchors:
        return Email.objects.none()
    condition = Q()
    for field in ("to", "cc", "bcc", "subject", "message"):
        condition |= Q(**{f"{field}__iregex": known.anchor_pattern})
    return Email.objects.filter(condition)


def _drop_attachments_of(mails: list[int]) -> int:
    """Delete the attachments carried by these mails only, files first; returns files removed."""
    attachments = Attachment.objects.filter(emails__in=mails).distinct()
    only_here = [a for a in attachments if not a.emails.exclude(pk__in=mails).exists()]
    files = delete_files(a.file for a in only_here)
    Attachment.objects.filter(pk__in=[a.pk for a in only_here]).delete()
    return files


def mails_purge(case, known: Known) -> dict[str, int]:  # noqa: ARG001 - mails know no case
    mails = list(mails_about(known).values_list("pk", flat=True))
    if not mails:
        return {"mails": 0}
    rows = Email.objects.filter(pk__in=mails)
    files = _drop_attachments_of(mails)
    scrub(Log.objects.filter(email__in=mails), ["message"], known, history=False)
    changed = scrub(rows, MAIL_TEXT, known, history=False)
    return {"mails": changed, "mail attachments": files}


def mails_sweep(now: datetime.datetime) -> dict[str, int]:
    """Delete the e-mails sent or failed more than ``RETENTION_MAIL_DAYS`` days ago, their
    attempts and the files only they carried; queued ones wait for delivery. Safe to run twice."""
    limit = now - datetime.timedelta(days=settings.RETENTION_MAIL_DAYS)
    old = Email.objects.filter(created__lt=limit, status__in=[STATUS.sent, STATUS.failed])
    deleted = files = 0
    while mails := list(old.values_list("pk", flat=True)[: settings.RETENTION_BATCH_SIZE * 20]):
        files += _drop_attachments_of(mails)
        Email.objects.filter(pk__in=mails).delete()
        deleted += len(mails)
    return {"old mails": deleted, "old mail attachments": files} if deleted else {}
