"""The e-mails kept by django-post-office that spoke of an expired pupil.

They are found by the pupil's anchors (the case number, the full name, the guardians'
addresses) in their recipients, subject or body; the known values are replaced in them, and
their attached files (signed copies of the documents: the legal copy stays with the
document) are deleted from storage with their attachment rows.
"""

from django.db.models import Q
from post_office.models import Attachment, Email, Log

from .retention import Known, delete_files, scrub

MAIL_TEXT = ["to", "cc", "bcc", "subject", "message", "html_message", "headers"]


def mails_about(known: Known):
    if not known.anchors:
        return Email.objects.none()
    condition = Q()
    for field in ("to", "cc", "bcc", "subject", "message"):
        condition |= Q(**{f"{field}__iregex": known.anchor_pattern})
    return Email.objects.filter(condition)


def mails_purge(case, known: Known) -> dict[str, int]:  # noqa: ARG001 - mails know no case
    mails = list(mails_about(known).values_list("pk", flat=True))
    if not mails:
        return {"mails": 0}
    rows = Email.objects.filter(pk__in=mails)
    attachments = Attachment.objects.filter(emails__in=mails).distinct()
    only_here = [a for a in attachments if not a.emails.exclude(pk__in=mails).exists()]
    files = delete_files(a.file for a in only_here)
    Attachment.objects.filter(pk__in=[a.pk for a in only_here]).delete()
    scrub(Log.objects.filter(email__in=mails), ["message"], known, history=False)
    changed = scrub(rows, MAIL_TEXT, known, history=False)
    return {"mails": changed, "mail attachments": files}
