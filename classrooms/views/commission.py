"""The commission's pages: sessions, their agenda, ranking and proposals beside the calendar grid."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from classcontact.storage import private_download
from classcontact.tasks_util import enqueue_on_commit

from .. import roles, services
from ..access import access_proposal_to_prepare, access_session, access_session_to_prepare
from ..forms import AgendaForm, PresenceForm, ProposalForm, ProposalOptions, SessionForm
from ..models import SessionStatus
from ..selectors import applications_ready_for, calendar_grid, session_list, session_proposals
from .common import ERROR_FORM, attempt, post_only, programme_page


@programme_page
def sessions(request: HttpRequest) -> HttpResponse:
    if not roles.reads_sessions(request.user):
        raise Http404
    context = {"sessions": session_list(request.user), "can_prepare": roles.prepares_sessions(request.user)}
    return render(request, "classrooms/session_list.html", context)


@programme_page
def session_new(request: HttpRequest) -> HttpResponse:
    if not roles.prepares_sessions(request.user):
        raise Http404
    form = SessionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            session = services.session_create(
                campaign=data["campaign"],
                by=request.user,
                held_on=data["held_on"],
                place=data["place"],
                chair=data["chair"],
                members=list(data["members"]),
            )
            messages.success(
                request, _("The session is planned. Put the applications with an opinion on its agenda.")
            )
            return redirect("classrooms:session", session_id=session.pk)
        messages.error(request, ERROR_FORM)
    return render(request, "classrooms/session_form.html", {"form": form}, status=400 if form.errors else 200)


def _session_page(request: HttpRequest, session, *, status: int = 200, forms=None) -> HttpResponse:
    forms = forms or {}
    proposals = session_proposals(session)
    preparing = roles.prepares_sessions(request.user) and session.status == SessionStatus.OPEN
    members = session.members.order_by("last_name", "first_name")
    rows = [(p, None) for p in proposals]
    if preparing:
        options = ProposalOptions(session.campaign)
        rows = [
            (p, forms.get(p.pk) or ProposalForm(prefix=f"p{p.pk}", options=options, initial=_initial(p)))
            for p in proposals
        ]
    context = {
        "session": session,
        "rows": rows,
        "preparing": preparing,
        "grid": calendar_grid(session.campaign),
        "agenda_form": AgendaForm(queryset=applications_ready_for(session)) if preparing else None,
        "presence_form": PresenceForm(
            members=members, initial={"present": list(session.present.all()), "notes": session.notes}
        )
        if preparing
        else None,
        "present": [] if preparing else list(session.present.order_by("last_name", "first_name")),
    }
    return render(request, "classrooms/session_detail.html", context, status=status)


def _initial(proposal) -> dict:
    return {
        "rank": proposal.rank,
        "outcome": proposal.outcome,
        "trimester": proposal.trimester_id,
        "kit_type": proposal.kit_type_id,
        "reason": proposal.reason,
    }


@programme_page
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    return _session_page(request, access_session(request.user, session_id))


@programme_page
@post_only("classrooms:session", "session_id")
def session_agenda(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session_to_prepare(request.user, session_id)
    form = AgendaForm(request.POST, queryset=applications_ready_for(session))
    if form.is_valid():
        attempt(
            request,
            lambda: services.session_add_applications(
                session=session, by=request.user, applications=list(form.cleaned_data["applications"])
            ),
            _("The applications are on the agenda."),
        )
    else:
        messages.error(request, _("Choose at least one application."))
    return redirect("classrooms:session", session_id=session.pk)


@programme_page
@post_only("classrooms:session", "session_id")
def session_presence(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session_to_prepare(request.user, session_id)
    form = PresenceForm(request.POST, members=session.members.all())
    if form.is_valid():
        attempt(
            request,
            lambda: services.session_record_presence(
                session=session,
                by=request.user,
                present=list(form.cleaned_data["present"]),
                notes=form.cleaned_data["notes"],
            ),
            _("The members present are recorded."),
        )
    return redirect("classrooms:session", session_id=session.pk)


@programme_page
@require_POST
def proposal_save(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access_proposal_to_prepare(request.user, proposal_id)
    session = proposal.session
    form = ProposalForm(request.POST, prefix=f"p{proposal.pk}", options=ProposalOptions(session.campaign))
    if not form.is_valid():
        messages.error(request, ERROR_FORM)
        return _session_page(
            request, access_session(request.user, session.pk), status=400, forms={proposal.pk: form}
        )
    data = form.cleaned_data
    attempt(
        request,
        lambda: services.proposal_record(
            proposal=proposal,
            by=request.user,
            rank=data["rank"],
            outcome=data["outcome"],
            trimester=data["trimester"],
            kit_type=data["kit_type"],
            reason=data["reason"],
        ),
        _("The proposal for %(number)s is recorded.") % {"number": proposal.application.number_display},
    )
    return redirect(
        reverse("classrooms:session", kwargs={"session_id": session.pk}) + f"#proposal-{proposal.pk}"
    )


@programme_page
@require_POST
def proposal_remove(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access_proposal_to_prepare(request.user, proposal_id)
    session_id = proposal.session_id
    attempt(
        request,
        lambda: services.session_remove_application(proposal=proposal, by=request.user),
        _("The application is taken off the agenda; it waits for a later session."),
    )
    return redirect("classrooms:session", session_id=session_id)


@programme_page
@post_only("classrooms:session", "session_id")
def session_send(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session_to_prepare(request.user, session_id)
    attempt(
        request,
        lambda: services.session_send_proposals(session=session, by=request.user),
        _("The proposals are sent to the decision maker. The minutes are being made."),
    )
    return redirect("classrooms:session", session_id=session.pk)


@programme_page
@post_only("classrooms:session", "session_id")
def minutes_render(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session_to_prepare(request.user, session_id)
    if session.status == SessionStatus.OPEN:
        raise Http404
    enqueue_on_commit("classrooms.render_session_minutes", session_id=session.pk)
    messages.success(request, _("The minutes are being made again."))
    return redirect("classrooms:session", session_id=session.pk)


@programme_page
@require_GET
def minutes_download(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session(request.user, session_id)
    filename = f"minutes-{session.held_on:%Y-%m-%d}.pdf"
    return private_download(session.minutes, filename=filename, inline=True)
