"""A ticket's conversation as its pages show it, prepared before drawing.

Dates, paragraphs, file sizes and download links are worked out here, once per message, so
that the template only places them: a ticket of twenty messages draws in a fraction of what
per-message filters and includes cost.
"""

from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

from classcontact.moments import MomentFormat
from schools.models import User

from ..models import Ticket, TicketAttachment, Visibility
from .visibility import attachments_by_message, messages_visible_to

# What an entry shows of a message and of its author.
MESSAGE_FIELDS = (
    "pk",
    "body",
    "visibility",
    "from_staff",
    "created_at",
    "author_id",
    "author__first_name",
    "author__last_name",
    "author__email",
)


@dataclass(frozen=True)
class ShownFile:
    url: str
    name: str
    size: str


@dataclass(frozen=True)
class ShownMessage:
    """One entry of the conversation: the opening of the ticket or a message."""

    author: str
    sent_iso: str
    sent: str
    body: SafeString
    files: list[ShownFile]
    opening: bool = False
    internal: bool = False
    from_staff: bool = False


def _files(attachments: list[TicketAttachment]) -> list[ShownFile]:
    return [
        ShownFile(
            reverse("helpdesk:attachment_download", kwargs={"attachment_id": attachment.pk}),
            attachment.filename,
            filesizeformat(attachment.size),
        )
        for attachment in attachments
    ]


def _person(author_id, first_name, last_name, email) -> str:
    """As ``str(user)`` names a person; a dash for a deleted account."""
    if author_id is None:
        return "—"
    return User.display_name(first_name, last_name, email)


def _paragraphs(text: str) -> SafeString:
    """The ``linebreaks`` filter: the text escaped, in paragraphs."""
    return mark_safe(linebreaks(text, autoescape=True))  # noqa: S308 - escaped by linebreaks


def _when(moment, written: MomentFormat) -> dict:
    local = written.local(moment)
    return {"sent_iso": local.isoformat(), "sent": written.write(local)}


def conversation(user, ticket: Ticket) -> list[ShownMessage]:
    """The opening of the ticket, then each message the user may read, with its files: two
    queries (the ticket's author comes with the ticket), nothing left to look up while drawing."""
    attachments = attachments_by_message(user, ticket)
    written = MomentFormat("DATETIME_FORMAT")  # the language's, prepared once
    shown = [
        ShownMessage(
            author=str(ticket.opened_by or "—"),
            body=_paragraphs(ticket.description),
            files=_files(attachments.get(None, [])),
            opening=True,
            **_when(ticket.created_at, written),
        )
    ]
    # Rows rather than objects: twenty messages and their authors, only to be shown.
    for pk, body, visibility, from_staff, sent, *author in messages_visible_to(user, ticket).values_list(
        *MESSAGE_FIELDS
    ):
        shown.append(
            ShownMessage(
                author=_person(*author),
                body=_paragraphs(body),
                files=_files(attachments.get(pk, [])),
                internal=visibility == Visibility.INTERNAL,
                from_staff=from_staff,
                **_when(sent, written),
            )
        )
    return shown
