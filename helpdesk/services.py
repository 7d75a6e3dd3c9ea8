"""Writes to the helpdesk: every change to a ticket goes through one of these functions."""

from collections.abc import Sequence
import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import ConnectionCase
from classcontact.errors import DomainError
from classcontact.numbering import counter_reserve
from classcontact.storage import FileContentValidator
from classcontact.tasks_util import enqueue_on_commit
from classcontact.workflow import change_state
from loans.models import Kit
from schools.models import Membership
from schools.selectors import user_is_staff_member

from .figures import ticket_figures_refresh
from .hours import TZ, HelpdeskCalendar, HelpdeskHoursUnavailable
from .models import (
    ACTIVE_STATUSES,
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    DEFAULT_PRIORITY,
    TICKET_REFERENCE_SCOPE,
    TRANSITIONS,
    Category,
    Priority,
    Status,
    Target,
    Ticket,
    TicketAttachment,
    TicketMessage,
    Visibility,
    default_targets,
    format_reference,
)
from .selectors import kit_case_ids, linkable_cases, user_works_helpdesk

ERROR_NOT_A_MEMBER = _("You can only open tickets for a school you belong to.")
ERROR_TICKET_CLOSED = _("This ticket is closed. Open a new ticket if the problem comes back.")
ERROR_EMPTY_MESSAGE = _("Write a message.")
ERROR_NOT_AN_AGENT = _("Tickets can only be assigned to helpdesk agents and coordinators.")
ERROR_NOT_HELPDESK_STAFF = _("Only helpdesk agents and coordinators can do this.")
ERROR_MERGE_ITSELF = _("A ticket cannot be merged into itself.")
ERROR_MERGE_OTHER_SCHOOL = _("Only tickets of the same school can be merged.")
ERROR_MERGE_CLOSED = _("Closed tickets cannot be merged.")
ERROR_CASE_OTHER_SCHOOL = _("Choose one of the current cases of the ticket's school.")
ERROR_KIT_OTHER_SCHOOL = _("Choose a kit lent or reserved to one of the ticket's school's cases.")
ERROR_KIT_NOT_OF_CASE = _("This kit is not lent or reserved to the chosen case.")

AUTO_CLOSE_DAYS_DEFAULT = 7


class HelpdeskError(DomainError):
    """A request the helpdesk rules refuse; ``message`` is shown to the user, next to the
    form's ``field`` when there is one."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.field = field


def ticket_link_errors(
    *, school_id: int, case: ConnectionCase | None, kit: Kit | None, ticket: Ticket | None = None, person=None
) -> dict[str, str]:
    """What is wrong with linking a ticket of ``school_id`` to ``case`` and ``kit`` (either
    may be None), by form field; empty when the link is fine.

    The case must be a current (submitted, not closed) case of that school; the kit must be
    lent or reserved to one of its cases, and to ``case`` itself when both are given. A
    ticket may keep the case or kit it is already linked to, even once closed or returned.
    Forms show these errors; the services refuse the same links.
    """
    errors: dict[str, str] = {}
    keeps_case = ticket is not None and case is not None and case.pk == ticket.case_id
    linkable = linkable_cases([school_id], person=person)
    if case is not None and not keeps_case and not linkable.filter(pk=case.pk).exists():
        errors["case"] = ERROR_CASE_OTHER_SCHOOL
    if kit is not None:
        lent_to = kit_case_ids(kit, school_id, person=person)
        keeps_kit = ticket is not None and kit.pk == ticket.kit_id
        if not lent_to and not keeps_kit:
            errors["kit"] = ERROR_KIT_OTHER_SCHOOL
        elif lent_to and case is not None and "case" not in errors and case.pk not in lent_to:
            errors["kit"] = ERROR_KIT_NOT_OF_CASE
    return errors


def _checked_case_id(
    *, school_id: int, case: ConnectionCase | None, kit: Kit | None, ticket: Ticket | None = None, person=None
) -> int | None:
    """The case to store for this link (a kit alone brings the case it is lent to), or
    HelpdeskError naming the field at fault. ``person``: a school member limited to the
    cases they may see (a teacher: their classes')."""
    errors = ticket_link_errors(school_id=school_id, case=case, kit=kit, ticket=ticket, person=person)
    if errors:
        field, message = next(iter(errors.items()))
        raise HelpdeskError(message, field=field)
    if case is not None:
        return case.pk
    if kit is not None:
        lent_to = kit_case_ids(kit, school_id, person=person)
        return lent_to[0] if lent_to else None
    return None


def targets_ensure_defaults() -> None:
    """Create the default target of every (category, priority) that has none yet."""
    existing = set(Target.objects.values_list("category", "priority"))
    Target.objects.bulk_create(
        [
            Target(
                category=category, priority=priority, first_response_hours=first, resolution_hours=resolution
            )
            for (category, priority), (first, resolution) in default_targets().items()
            if (category, priority) not in existing
        ]
    )


def targets_ensure_defaults_after_migrate(sender, **kwargs) -> None:
    targets_ensure_defaults()


def target_table() -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    """(first answer, resolution) hours for every (category, priority): the admin's rows
    over the defaults. One query."""
    table = default_targets()
    for target in Target.objects.all():
        table[(target.category, target.priority)] = (target.first_response_hours, target.resolution_hours)
    return table


def due_times(
    *,
    opened_at: datetime.datetime,
    category: str,
    priority: str,
    calendar: HelpdeskCalendar,
    targets: dict | None = None,
) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """When the first answer and the resolution are due, counted in helpdesk hours.

    (None, None) when the calendar has no opening ahead (no school year set up yet): the
    ticket then has no target rather than a wrong one.
    """
    first, resolution = (targets or target_table())[(category, priority)]
    try:
        return calendar.add(opened_at, first), calendar.add(opened_at, resolution)
    except HelpdeskHoursUnavailable:
        return None, None


def _set_due_times(ticket: Ticket, calendar: HelpdeskCalendar | None) -> None:
    ticket.first_response_due, ticket.resolution_due = due_times(
        opened_at=ticket.created_at,
        category=ticket.category,
        priority=ticket.priority,
        calendar=calendar or HelpdeskCalendar(),
    )


def _store_attachments(
    *, ticket: Ticket, message: TicketMessage | None, files: Sequence, by
) -> list[TicketAttachment]:
    validate = FileContentValidator(ATTACHMENT_TYPES, max_bytes=ATTACHMENT_MAX_BYTES)
    stored = []
    for upload in files:
        validate(upload)  # forms check first; a file never reaches storage unchecked
        attachment = TicketAttachment(
            ticket=ticket,
            message=message,
            filename=(upload.name or "file").rsplit("/", 1)[-1][:200],
            size=upload.size,
            uploaded_by=by,
        )
        attachment.file.save(upload.name or "file", upload, save=False)
        attachment._history_user = by
        attachment.save()
        stored.append(attachment)
    return stored


def _notify(ticket: Ticket, event: str, **kwargs) -> None:
    # By name: ``helpdesk.tasks`` calls these services back.
    enqueue_on_commit("helpdesk.send_ticket_mail", ticket_id=ticket.pk, event=event, **kwargs)


def _lock(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def _set_status(ticket: Ticket, status: str, *, by, fields: tuple[str, ...] = ()) -> None:
    """Move a locked ticket along the table, saving ``fields`` with it.

    Effects: the resolved or closed time recorded (reopening clears the resolved time), a
    history row naming ``by``, the dashboard's figures brought up to date.
    """
    now = timezone.now()
    if status == Status.RESOLVED:
        changes = {"resolved_at": now}
    elif status == Status.CLOSED:
        changes = {"closed_at": now}
    elif ticket.status == Status.RESOLVED and status in ACTIVE_STATUSES:
        changes = {"resolved_at": None}
    else:
        changes = {}
    change_state(ticket, status, table=TRANSITIONS, by=by, changes=changes, fields=fields, now=now)
    ticket_figures_refresh(ticket_id=ticket.pk)


@transaction.atomic
def ticket_open(
    *,
    school,
    opened_by,
    subject: str,
    category: str,
    description: str,
    attachments: Sequence = (),
    case: ConnectionCase | None = None,
    kit: Kit | None = None,
    calendar: HelpdeskCalendar | None = None,
) -> Ticket:
    """Open a ticket for ``school``, optionally about one of its cases or a kit lent to one.

    Effects: a new ticket numbered HD-<year>-<n> with its category's usual priority and its
    first-answer and resolution due times counted in helpdesk hours; linked to ``case``
    and ``kit`` (a kit alone brings its case; another school's case or kit is refused);
    its attachments in private storage; counted in the dashboard's figures; after commit, an
    e-mail to the helpdesk agents (or the assignee).
    """
    if (
        not user_is_staff_member(opened_by)
        and not Membership.objects.filter(user=opened_by, school=school).exists()
    ):
        raise HelpdeskError(ERROR_NOT_A_MEMBER)
    member = None if user_is_staff_member(opened_by) else opened_by
    case_id = _checked_case_id(school_id=school.pk, case=case, kit=kit, person=member)
    now = timezone.now()
    year = now.astimezone(TZ).year
    ticket = Ticket(
        reference=format_reference(year, counter_reserve(scope=TICKET_REFERENCE_SCOPE, year=year)),
        school=school,
        opened_by=opened_by,
        subject=subject.strip(),
        category=category,
        priority=DEFAULT_PRIORITY.get(category, Priority.NORMAL),
        description=description.strip(),
        case_id=case_id,
        kit=kit,
        created_at=now,
    )
    _set_due_times(ticket, calendar)
    ticket._history_user = opened_by
    ticket.save()
    ticket_figures_refresh(ticket_id=ticket.pk)
    _store_attachments(ticket=ticket, message=None, files=attachments, by=opened_by)
    _notify(ticket, "opened")
    return ticket


@transaction.atomic
def ticket_reply(
    *, ticket: Ticket, author, body: str, attachments: Sequence = (), status: str = ""
) -> TicketMessage:
    """Add a public reply, seen by the school and the helpdesk.

    From staff: records the first answer, gives an unassigned ticket to the agent who
    answers it, moves a new ticket to open (or to ``status`` when given: waiting for the
    school, resolved...) and e-mails the school.
    From the school: reopens a resolved ticket or one waiting for the school, and
    e-mails the agents. A closed ticket takes no reply.
    """
    if not body.strip():
        raise HelpdeskError(ERROR_EMPTY_MESSAGE)
    ticket = _lock(ticket)
    if ticket.status == Status.CLOSED:
        raise HelpdeskError(ERROR_TICKET_CLOSED)
    from_staff = user_is_staff_member(author)
    if from_staff and not user_works_helpdesk(author):
        raise HelpdeskError(ERROR_NOT_HELPDESK_STAFF)
    now = timezone.now()
    message = TicketMessage(
        ticket=ticket,
        author=author,
        body=body.strip(),
        visibility=Visibility.PUBLIC,
        from_staff=from_staff,
        created_at=now,
    )
    message._history_user = author
    message.save()
    _store_attachments(ticket=ticket, message=message, files=attachments, by=author)
    changed: tuple[str, ...] = ()
    target = ""
    if from_staff:
        if ticket.first_responded_at is None:
            ticket.first_responded_at = now
            changed = ("first_responded_at",)
        if ticket.assignee_id is None:
            ticket.assignee = author  # who answers an unassigned ticket takes it
            changed = (*changed, "assignee")
        target = status or (Status.OPEN if ticket.status == Status.NEW else "")
    elif ticket.status in (Status.RESOLVED, Status.WAITING):
        target = Status.OPEN
    if target and target != ticket.status:
        _set_status(ticket, target, by=author, fields=changed)
    elif changed:
        ticket._history_user = author
        ticket.save(update_fields=changed)
        ticket_figures_refresh(ticket_id=ticket.pk)
    _notify(ticket, "staff_reply" if from_staff else "school_reply", message_id=message.pk)
    return message


@transaction.atomic
def ticket_add_note(*, ticket: Ticket, author, body: str) -> TicketMessage:
    """Add an internal note: staff only, never shown or e-mailed to the school."""
    if not user_works_helpdesk(author):
        raise HelpdeskError(ERROR_NOT_HELPDESK_STAFF)
    if not body.strip():
        raise HelpdeskError(ERROR_EMPTY_MESSAGE)
    message = TicketMessage(
        ticket=ticket, author=author, body=body.strip(), visibility=Visibility.INTERNAL, from_staff=True
    )
    message._history_user = author
    message.save()
    return message


@transaction.atomic
def ticket_assign(*, ticket: Ticket, assignee, by) -> Ticket:
    """Give the ticket to a helpdesk agent or coordinator (or to nobody with None)."""
    if assignee is not None and not user_works_helpdesk(assignee):
        raise HelpdeskError(ERROR_NOT_AN_AGENT)
    ticket = _lock(ticket)
    ticket.assignee = assignee
    ticket._history_user = by
    ticket.save(update_fields=["assignee"])
    return ticket


@transaction.atomic
def ticket_link(*, ticket: Ticket, case: ConnectionCase | None, kit: Kit | None, by) -> Ticket:
    """Link the ticket to one of its school's cases and/or a kit lent to one (None unlinks).

    Effects: the case and kit set, with the same rules as when a ticket is opened (a kit
    alone brings its case; another school's case or kit is refused; the current link may
    stay); a history row naming ``by`` when anything changed.
    """
    if not user_works_helpdesk(by):
        raise HelpdeskError(ERROR_NOT_HELPDESK_STAFF)
    ticket = _lock(ticket)
    case_id = _checked_case_id(school_id=ticket.school_id, case=case, kit=kit, ticket=ticket)
    kit_id = kit.pk if kit is not None else None
    if (ticket.case_id, ticket.kit_id) == (case_id, kit_id):
        return ticket
    ticket.case_id, ticket.kit_id = case_id, kit_id
    ticket._history_user = by
    ticket.save(update_fields=["case", "kit"])
    return ticket


@transaction.atomic
def ticket_set_status(*, ticket: Ticket, status: str, by) -> Ticket:
    """Change the status along the transition table.

    Effects: resolved/closed times recorded (reopening clears the resolved time), a
    history row naming ``by`` (None for the automatic closing), and after commit an
    e-mail to the school.
    """
    ticket = _lock(ticket)
    old_status = ticket.status
    _set_status(ticket, status, by=by)
    _notify(ticket, "status_changed", old_status=old_status)
    return ticket


@transaction.atomic
def ticket_triage(
    *, ticket: Ticket, category: str, priority: str, by, calendar: HelpdeskCalendar | None = None
) -> Ticket:
    """Change category and priority; the due times are counted again from the opening."""
    ticket = _lock(ticket)
    ticket.category = Category(category)
    ticket.priority = Priority(priority)
    _set_due_times(ticket, calendar)
    ticket._history_user = by
    ticket.save(update_fields=["category", "priority", "first_response_due", "resolution_due"])
    ticket_figures_refresh(ticket_id=ticket.pk)
    return ticket


def ticket_merge_refusal(*, ticket: Ticket, into: Ticket) -> str | None:
    """Why ``ticket`` cannot be merged into ``into`` (asked before the merge is confirmed)."""
    if ticket.pk == into.pk:
        return ERROR_MERGE_ITSELF
    if ticket.school_id != into.school_id:
        return ERROR_MERGE_OTHER_SCHOOL
    if Status.CLOSED in (ticket.status, into.status):
        return ERROR_MERGE_CLOSED
    return None


@transaction.atomic
def ticket_merge(*, ticket: Ticket, into: Ticket, by) -> Ticket:
    """Close ``ticket`` as a duplicate of ``into`` (same school only).

    Effects: ``ticket`` closed with ``merged_into`` set (history names ``by``), an
    internal note on ``into`` pointing to it, and after commit an e-mail to the school
    saying where the conversation continues.
    """
    if ticket.pk == into.pk:
        raise HelpdeskError(ERROR_MERGE_ITSELF)
    # Lock both in a fixed order, so that two merges at once cannot deadlock.
    locked = {
        t.pk: t for t in Ticket.objects.select_for_update().filter(pk__in=[ticket.pk, into.pk]).order_by("pk")
    }
    ticket, into = locked[ticket.pk], locked[into.pk]
    refusal = ticket_merge_refusal(ticket=ticket, into=into)
    if refusal:
        raise HelpdeskError(refusal)
    old_status = ticket.status
    ticket.merged_into = into
    _set_status(ticket, Status.CLOSED, by=by, fields=("merged_into",))
    note = TicketMessage(
        ticket=into,
        author=by,
        body=str(_("%(reference)s (%(subject)s) was merged into this ticket."))
        % {"reference": ticket.reference, "subject": ticket.subject},
        visibility=Visibility.INTERNAL,
        from_staff=True,
    )
    note._history_user = by
    note.save()
    _notify(ticket, "status_changed", old_status=old_status)
    return ticket
