from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from classcontact.decorators import staff_required
from classcontact.export_views import export_download
from classcontact.paging import paginate
from classcontact.storage import private_download
from classcontact.workflow import InvalidTransition
from schools.selectors import managed_school_ids, user_is_staff_member

from . import services
from .access import access_article, access_attachment, access_member_ticket, access_ticket
from .exports import TICKETS
from .forms import (
    ArticleSearchForm,
    AssignForm,
    MergeForm,
    QueueFilterForm,
    ReplyForm,
    SchoolTicketFilterForm,
    StaffReplyForm,
    StatusForm,
    TicketLinkForm,
    TicketOpenForm,
    TriageForm,
)
from .hours import calendar_for_request
from .models import Status, Ticket, Visibility
from .selectors import (
    HELPDESK_ROLES,
    TargetState,
    articles_search,
    articles_similar,
    canned_replies,
    case_label,
    conversation,
    due_soon_threshold,
    helpdesk_staff,
    helpdesk_status,
    queue_tickets,
    school_ticket_list,
    schools_for_tickets,
    ticket_history,
    ticket_target_state,
    ticket_targets,
    user_works_helpdesk,
    with_target_states,
)

SUGGESTION_LIMIT = 5


def _clock(request: HttpRequest):
    """Now, the "due soon" limit and the calendar, loaded once for the whole page."""
    calendar = calendar_for_request(request)
    now = timezone.now()
    return now, due_soon_threshold(now, calendar), calendar


def _target_state_context(ticket: Ticket, now, soon) -> dict:
    state = ticket_target_state(ticket, now=now, soon=soon)
    return {"target_state": state, "target_state_label": TargetState(state).label}


def _conversation_context(user, ticket: Ticket) -> dict:
    return {"conversation": conversation(user, ticket)}


def _link_context(ticket: Ticket) -> dict:
    """How the ticket's case is named on its pages (no health-related data)."""
    return {"case_label": case_label(ticket.case) if ticket.case_id else ""}


# ---------------------------------------------------------------- schools' side


@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    """A school's tickets, the helpdesk's opening hours and the way to open a ticket."""
    if user_is_staff_member(request.user):
        return redirect("helpdesk:staff_queue")
    form = SchoolTicketFilterForm(request.GET or None)
    filters = form.filters()
    tickets = school_ticket_list(request.user, state=filters["state"], query=filters["query"])
    page = paginate(request, tickets)
    now, soon, calendar = _clock(request)
    page.object_list = with_target_states(page.object_list, now=now, soon=soon)
    context = {
        "form": form,
        "page_obj": page,
        "status": helpdesk_status(calendar, now),
        "article_form": ArticleSearchForm(),
    }
    return render(request, "helpdesk/ticket_list.html", context)


@login_required
def ticket_open(request: HttpRequest) -> HttpResponse:
    if user_is_staff_member(request.user):
        return redirect("helpdesk:staff_queue")
    schools = schools_for_tickets(request.user)
    form = TicketOpenForm(request.POST or None, request.FILES or None, schools=schools, person=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.ticket_open(
                school=form.cleaned_data["school"],
                opened_by=request.user,
                subject=form.cleaned_data["subject"],
                category=form.cleaned_data["category"],
                description=form.cleaned_data["description"],
                attachments=form.cleaned_data["attachments"],
                case=form.cleaned_data["case"],
                kit=form.cleaned_data["kit"],
                calendar=calendar_for_request(request),
            )
        except services.HelpdeskError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                _("Ticket %(reference)s is open. We answer during helpdesk hours.")
                % {"reference": ticket.reference},
            )
            return redirect("helpdesk:ticket_detail", ticket_id=ticket.pk)
    now, _soon, calendar = _clock(request)
    context = {
        "form": form,
        "has_school": schools.exists(),
        "status": helpdesk_status(calendar, now),
        "files_lost": request.method == "POST" and bool(request.FILES) and bool(form.errors),
    }
    return render(request, "helpdesk/ticket_open.html", context, status=400 if form.errors else 200)


def _school_detail(
    request: HttpRequest, ticket: Ticket, reply_form: ReplyForm, status: int = 200
) -> HttpResponse:
    now, soon, calendar = _clock(request)
    context = {
        "ticket": ticket,
        **_link_context(ticket),
        # Directors and delegates follow their cases in the portal; teachers only read the number.
        "case_page": bool(ticket.case_id) and ticket.school_id in managed_school_ids(request.user),
        **_conversation_context(request.user, ticket),
        "targets": ticket_targets(ticket, now=now, soon=soon),
        **_target_state_context(ticket, now, soon),
        "status": helpdesk_status(calendar, now),
        "similar_articles": articles_similar(ticket.subject) if ticket.status == Status.NEW else [],
        "form": reply_form,
    }
    return render(request, "helpdesk/ticket_detail.html", context, status=status)


@login_required
def ticket_detail(request: HttpRequest, ticket_id: int) -> HttpResponse:
    if user_is_staff_member(request.user):
        return redirect("helpdesk:staff_ticket_detail", ticket_id=ticket_id)
    ticket = access_member_ticket(request.user, ticket_id)
    return _school_detail(request, ticket, ReplyForm())


@login_required
def ticket_reply(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = access_member_ticket(request.user, ticket_id)
    if request.method != "POST":  # a reload or the language switch on the page shown after refused input
        return redirect("helpdesk:ticket_detail", ticket_id=ticket.pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.ticket_reply(
                ticket=ticket,
                author=request.user,
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
            )
        except services.HelpdeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your reply was sent to the helpdesk."))
            return redirect("helpdesk:ticket_detail", ticket_id=ticket.pk)
    return _school_detail(request, ticket, form, status=400)


@login_required
@require_GET
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = access_attachment(request.user, attachment_id)
    return private_download(attachment.file, filename=attachment.filename)


# ---------------------------------------------------------------- help articles


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    form = ArticleSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = Paginator(articles_search(request.user, query), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "helpdesk/article_list.html", {"form": form, "page_obj": page, "query": query})


@login_required
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = access_article(request.user, article_id)
    return render(request, "helpdesk/article_detail.html", {"article": article})


@login_required
@require_GET
def article_suggest(request: HttpRequest) -> JsonResponse:
    """Published articles matching a subject being typed (JSON for help-suggest.js)."""
    query = request.GET.get("q", "")[:200]
    results = [
        {
            "title": article.title,
            "url": reverse("helpdesk:article_detail", args=[article.pk]),
            "excerpt": Truncator(article.body).words(20),
        }
        for article in articles_similar(query, limit=SUGGESTION_LIMIT)
    ]
    return JsonResponse({"results": results})


# ---------------------------------------------------------------- staff side


@staff_required
def staff_queue(request: HttpRequest) -> HttpResponse:
    staff = list(helpdesk_staff())
    form = QueueFilterForm(request.GET or None, staff=staff)
    now, soon, _calendar = _clock(request)
    tickets = queue_tickets(user=request.user, now=now, soon=soon, **form.filters())
    page = paginate(request, tickets)
    page.object_list = with_target_states(page.object_list, now=now, soon=soon)
    return render(request, "helpdesk/ticket_queue.html", {"form": form, "page_obj": page})


@staff_required
def staff_queue_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The queue's tickets with its filters, as CSV or XLSX (a worker makes long ones)."""
    return export_download(request, TICKETS, fmt)


def _staff_detail(request: HttpRequest, ticket: Ticket, status: int = 200, **forms) -> HttpResponse:
    now, soon, _calendar = _clock(request)
    can_work = user_works_helpdesk(request.user)
    context = {
        "ticket": ticket,
        **_link_context(ticket),
        **_conversation_context(request.user, ticket),
        "targets": ticket_targets(ticket, now=now, soon=soon),
        **_target_state_context(ticket, now, soon),
        "can_work": can_work,
        # Rendered by hand (with each text for the script that inserts it): one query.
        "canned_replies": canned_replies(),
        "reply_form": forms.get("reply_form") or StaffReplyForm(),
        "assign_form": forms.get("assign_form") or AssignForm(initial={"assignee": ticket.assignee_id}),
        "status_form": forms.get("status_form") or StatusForm(ticket=ticket),
        "triage_form": forms.get("triage_form")
        or TriageForm(initial={"category": ticket.category, "priority": ticket.priority}),
        "merge_form": forms.get("merge_form") or MergeForm(),
        "merge_into": forms.get("merge_into"),
        "Visibility": Visibility,
    }
    return render(request, "helpdesk/ticket_staff_detail.html", context, status=status)


@staff_required
def staff_ticket_detail(request: HttpRequest, ticket_id: int) -> HttpResponse:
    return _staff_detail(request, access_ticket(request.user, ticket_id))


@staff_required
def staff_ticket_history(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = access_ticket(request.user, ticket_id)
    return render(
        request, "helpdesk/ticket_history.html", {"ticket": ticket, "records": ticket_history(ticket)}
    )


def _done(request: HttpRequest, ticket: Ticket, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("helpdesk:staff_ticket_detail", ticket_id=ticket.pk)


@staff_required(roles=HELPDESK_ROLES)
@require_POST
def staff_ticket_reply(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = access_ticket(request.user, ticket_id)
    form = StaffReplyForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["visibility"] == Visibility.INTERNAL:
                services.ticket_add_note(ticket=ticket, author=request.user, body=data["body"])
                done = _("Internal note added. The school does not see it.")
            else:
                services.ticket_reply(
                    ticket=ticket,
                    author=request.user,
                    body=data["body"],
                    attachments=data["attachments"],
                    status=data["status"],
                )
                done = _("Reply sent to the school.")
        except services.HelpdeskError as error:
            form.add_error(None, error.message)
        except InvalidTransition as error:
            form.add_error("status", str(error))
        else:
            return _done(request, ticket, done)
    return _staff_detail(request, ticket, status=400, reply_form=form)


@staff_required(roles=HELPDESK_ROLES)
@require_POST
def staff_ticket_assign(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = access_ticket(request.user, ticket_id)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            services.ticket_assign(ticket=ticket, assignee=form.cleaned_data["assignee"], by=request.user)
        except services.HelpdeskError as error:
            form.add_error("assignee", error.message)
        else:
            return _done(request, ticket, _("Assignment saved."))
    return _staff_detail(request, ticket, status=400, assign_form=form)


@staff_required(roles=HELPDESK_ROLES)
@require_POST
def staff_ticket_status(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = access_ticket(request.user, ticket_id)
    form = StatusForm(request.POST, ticket=ticket)
    if form.is_valid():
        try:
            ticket = services.ticket_set_status(
                ticket=ticket, status=form.cleaned_data["status"], by=request.user
            )
        except InvalidTransition:
            messages.error(request, _("The ticket changed meanwhile; here it is as it stands now."))
            return redirect("helpdesk:staff_ticket_detail", ticket_id=ticket.pk)
        return _done(
            request, ticket, _("Status changed to “%(status)s”.") % {"status": ticket.get_status_display()}
        )
    return _staff_detail(request, ticket, status=400, status_form=form)


@staff_required(roles=HELPDESK_ROLES)
@require_POST
def staff_ticket_triage(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = access_ticket(request.user, ticket_id)
    form = TriageForm(request.POST)
    if form.is_valid():
        services.ticket_triage(
            ticket=ticket,
            category=form.cleaned_data["category"],
            priority=form.cleaned_data["priority"],
            by=request.user,
            calendar=calendar_for_request(request),
        )
        return _done(request, ticket, _("Category and priority saved; the due times were counted again."))
    return _staff_detail(request, ticket, status=400, triage_form=form)


@staff_required(roles=HELPDESK_ROLES)
@require_POST
def staff_ticket_merge(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = access_ticket(request.user, ticket_id)
    form = MergeForm(request.POST)
    if form.is_valid() and not form.cleaned_data["confirm"]:
        refusal = services.ticket_merge_refusal(ticket=ticket, into=form.cleaned_data["into"])
        if refusal is None:
            # Nothing is merged yet: the page says what will happen and asks to confirm.
            return _staff_detail(request, ticket, merge_form=form, merge_into=form.cleaned_data["into"])
        form.add_error("into", refusal)
    if form.is_valid():
        into = form.cleaned_data["into"]
        try:
            services.ticket_merge(ticket=ticket, into=into, by=request.user)
        except services.HelpdeskError as error:
            form.add_error("into", error.message)
        else:
            messages.success(
                request,
                _("%(reference)s was merged into this ticket.") % {"reference": ticket.reference},
            )
            return redirect("helpdesk:staff_ticket_detail", ticket_id=into.pk)
    return _staff_detail(request, ticket, status=400, merge_form=form)


@staff_required(roles=HELPDESK_ROLES)
@require_http_methods(["GET", "POST"])
def staff_ticket_link(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """The case and kit a ticket is about, chosen on a page of their own: the options (every
    current case and kit of the school) are read only when someone wants to change them."""
    ticket = access_ticket(request.user, ticket_id)
    if request.method == "GET":
        return _link_page(request, ticket, TicketLinkForm(ticket=ticket))
    form = TicketLinkForm(request.POST, ticket=ticket)
    if form.is_valid():
        try:
            services.ticket_link(
                ticket=ticket, case=form.cleaned_data["case"], kit=form.cleaned_data["kit"], by=request.user
            )
        except services.HelpdeskError as error:
            form.add_error(error.field, error.message)
        else:
            return _done(request, ticket, _("Case and kit saved."))
    return _link_page(request, ticket, form, status=400)


def _link_page(request: HttpRequest, ticket: Ticket, form: TicketLinkForm, status: int = 200) -> HttpResponse:
    context = {"ticket": ticket, **_link_context(ticket), "link_form": form}
    return render(request, "helpdesk/ticket_link.html", context, status=status)
