"""Reminder rules of the documents (see schools/reminders.py for the engine).

- A document waiting for a director's or a parent's signature: reminded after 2 and 5
  school days (a parent gets a new personal link, the older one dies once it is sent),
  then the case's coordinator is alerted after 6.
- The expected end of the absence has passed and the kit is still installed: the directors
  are asked, and each parent gets their "no longer needed" link, the next school day and
  again 10 school days later.
"""

import uuid

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import CaseStatus, ConnectionCase
from cases.notifications import school_recipients, staff_recipients
from classcontact.emails import send_templated_mail
from classcontact.tasks_util import enqueue_on_commit
from schools.reminders import Occasion, Recipient, Rule, register, subject_of

from .models import DocumentKind, DocumentStatus, Signature, SignatureStatus, SignerRole
from .services.links import END_LINK_TASK, _issue_sign_link

CASE_LABEL = ConnectionCase._meta.label_lower


def _case_id(subject: str | None) -> int | None:
    """The case a subject names; -1 when it names something else (no occasion then)."""
    if subject is None:
        return None
    label, _sep, pk = subject.partition(":")
    return int(pk) if label == CASE_LABEL and pk.isdigit() else -1


def _people(users) -> list[Recipient]:
    return [Recipient(user.email, user.language) for user in users]


def _signatures_waiting(today, subject: str | None = None):
    signatures = Signature.objects.filter(
        status=SignatureStatus.PENDING,
        sent_at__isnull=False,
        role__in=[SignerRole.DIRECTOR, SignerRole.GUARDIAN],
        document__status=DocumentStatus.AWAITING_SIGNATURES,
        document__case__status=CaseStatus.DOCUMENTS_SENT,
    ).select_related("document", "document__case", "document__case__school", "guardian")
    case_id = _case_id(subject)
    if case_id is not None:
        signatures = signatures.filter(document__case_id=case_id)
    for signature in signatures.order_by("pk"):
        document, case = signature.document, signature.document.case
        if signature.role == SignerRole.DIRECTOR:
            recipients = _people(school_recipients(case))
        elif signature.guardian and signature.guardian.email:
            recipients = [Recipient(signature.guardian.email, signature.guardian.language)]
        else:
            continue
        link = settings.SITE_URL + reverse("conventions:sign", kwargs={"document_id": document.public_id})
        yield Occasion(
            key=f"signature:{signature.pk}",
            since=timezone.localdate(document.status_changed_at),
            school=case.school,
            recipients=recipients,
            context={
                "case_number": case.number,
                "school_name": case.school.name,
                "pupil_first_name": case.pupil_first_name,
                "kind": DocumentKind(document.kind).label,  # lazy: in each recipient's language
                "link": link,
                "case_link": settings.SITE_URL
                + reverse("conventions:case", kwargs={"case_id": case.public_id}),
            },
            subject=subject_of(case),
            escalate_to=_people(staff_recipients(case)),
            payload=signature,
        )


def _remind_signer(occasion: Occasion, recipient: Recipient, step: int) -> None:
    signature = occasion.payload
    if signature.role == SignerRole.GUARDIAN:
        _issue_sign_link(signature, by=None, occasion=f"reminder-{step}")  # a new link, sent by mail
        return
    send_templated_mail(
        name="reminder-signature",
        to=[recipient.email],
        context={**occasion.context, "step": step},
        language=recipient.language,
    )


def _absences_ended(today, subject: str | None = None):
    cases = ConnectionCase.objects.filter(
        status__in=[CaseStatus.ACTIVE, CaseStatus.PAUSED], absence_end__lt=today, absence_end_unknown=False
    ).select_related("school", "coordinator")
    case_id = _case_id(subject)
    if case_id is not None:
        cases = cases.filter(pk=case_id)
    for case in cases.order_by("pk"):
        parents = [g for g in case.guardians.order_by("position")[: case.guardian_count] if g.email]
        yield Occasion(
            key=f"absence-end:{case.pk}:{case.absence_end.isoformat()}",
            since=case.absence_end,
            school=case.school,
            recipients=_people(school_recipients(case)) + [Recipient(g.email, g.language) for g in parents],
            context={
                "case_number": case.number,
                "school_name": case.school.name,
                "pupil_first_name": case.pupil_first_name,
                "absence_end": case.absence_end,
                "link": settings.SITE_URL + reverse("cases:detail", kwargs={"case_id": case.public_id}),
            },
            subject=subject_of(case),
            payload={g.email.lower(): g for g in parents},
        )


def _remind_absence_end(occasion: Occasion, recipient: Recipient, step: int) -> None:
    guardian = occasion.payload.get(recipient.email.lower())
    if guardian is not None:  # a parent answers through their personal "no longer needed" link
        enqueue_on_commit(
            END_LINK_TASK, outbox_key=f"end-link:{guardian.pk}:{uuid.uuid4().hex}", guardian_id=guardian.pk
        )
        return
    send_templated_mail(
        name="reminder-absence-end",
        to=[recipient.email],
        context={**occasion.context, "step": step},
        language=recipient.language,
    )


register(
    Rule(
        name="conventions.signature_waiting",
        label=_("Document waiting for a signature"),
        occasions=_signatures_waiting,
        steps=(2, 5),
        escalate_after=6,
        escalation_mail="reminder-escalation",
        send=_remind_signer,
    )
)
register(
    Rule(
        name="conventions.absence_ended",
        label=_("End of absence passed, kit still installed"),
        occasions=_absences_ended,
        steps=(1, 10),
        send=_remind_absence_end,
    )
)
