"""Templated e-mails through the database mail queue (django-post-office).

Each mail is three templates, subject, text body and HTML body. ``send_templated_mail``
queues the rendered mail in the caller's transaction and records its delivery as outbox
work: the worker sends it, the mail is marked sent only once the server accepted it, and a
refusal is logged (post_office's attempt log) and tried again with backoff.
``send_templated_mail_now`` sends at once and says whether the server accepted it: for a
mail whose content must exist only if it was really sent (a parent's personal link).
"""

from collections.abc import Sequence
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import make_msgid
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation
from post_office.models import PRIORITY, STATUS, Email
from post_office.utils import create_attachments

from .outbox import TryLater
from .tasks_util import enqueue_on_commit

DELIVER_TASK = "classcontact.deliver_mail"


class MailNotAccepted(Exception):  # noqa: N818 - the server's answer, not our error
    """The mail server did not accept a mail; the message is the server's reason."""


def _build(*, name: str, to: Sequence[str], context: dict, language: str | None, status) -> Email:
    language = language or settings.LANGUAGE_CODE
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(_render_plain(f"emails/{name}-subject.txt", context).split())
        text = _render_plain(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    return Email.objects.create(
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        subject=subject[:989],
        message=text,
        html_message=html,
        status=status,
        priority=PRIORITY.medium,
        headers={"X-ClassContact-Mail": name},
        message_id=make_msgid(domain=DNS_NAME),  # the same on every attempt: duplicates show
    )


def _attach(email: Email, attachments: Sequence[tuple[str, bytes, str]]) -> None:
    if attachments:
        files = {
            name: {"file": ContentFile(content), "mimetype": mime} for name, content, mime in attachments
        }
        email.attachments.add(*create_attachments(files))


def send_templated_mail(
    *,
    name: str,
    to: Sequence[str],
    context: dict,
    language: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> Email:
    """Render ``emails/<name>-subject.txt|-body.txt|-body.html`` in ``language`` and queue it.

    The mail and its delivery are written in the current transaction: a rollback sends nothing.
    """
    email = _build(name=name, to=to, context=context, language=language, status=STATUS.queued)
    _attach(email, attachments)
    enqueue_on_commit(DELIVER_TASK, outbox_key=f"mail:{email.pk}", email_id=email.pk)
    return email


def send_templated_mail_now(
    *,
    name: str,
    to: Sequence[str],
    context: dict,
    language: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> Email:
    """Render and send at once; ``MailNotAccepted`` (with the server's reason) if refused."""
    email = _build(name=name, to=to, context=context, language=language, status=STATUS.queued)
    _attach(email, attachments)
    status = email.dispatch(log_level=2)
    if status != STATUS.sent:
        raise MailNotAccepted(_last_reason(email))
    return email


def redact(email: Email, secret: str, replacement: str = "[link sent]") -> None:
    """Take a secret (a link's token) out of a mail that has been sent: only its hash is kept."""
    email.message = email.message.replace(secret, replacement)
    email.html_message = email.html_message.replace(secret, replacement)
    email.save(update_fields=["message", "html_message"])


def _last_reason(email: Email) -> str:
    log = email.logs.order_by("-date", "-pk").first()
    return log.message if log is not None else ""


def mail_deliver(*, email_id: int) -> None:
    """Send one queued mail unless it was sent already; ``TryLater`` when refused.

    The attempt and the server's reason stay in the mail's log; the outbox tries again.
    """
    with transaction.atomic():
        email = Email.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status == STATUS.sent:
            return
        status = email.dispatch(log_level=2)
    if status != STATUS.sent:
        raise TryLater(_last_reason(email))


@transaction.atomic
def mail_retry(*, email: Email) -> Email:
    """Staff: send a failed (or still queued) mail again, as new outbox work."""
    email = Email.objects.select_for_update().get(pk=email.pk)
    if email.status != STATUS.sent:
        email.status = STATUS.queued
        email.save(update_fields=["status"])
        enqueue_on_commit(
            DELIVER_TASK, outbox_key=f"mail:{email.pk}:retry:{uuid.uuid4().hex}", email_id=email.pk
        )
    return email


def _render_plain(template_name: str, context: dict) -> str:
    """Render a plain-text template without HTML escaping (an apostrophe stays an apostrophe)."""
    return get_template(template_name).template.render(Context(context, autoescape=False))
