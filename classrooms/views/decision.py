"""The decision maker's pages: the proposals of a session, decided one by one or all at once."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import roles, services
from ..access import access_proposal_to_decide, access_session_to_decide
from ..forms import DecisionForm
from ..models import SessionStatus
from ..selectors import calendar_grid, session_proposals, sessions_to_decide
from .common import ERROR_FORM, attempt, post_only, programme_page


@programme_page
def decision_list(request: HttpRequest) -> HttpResponse:
    if not roles.decides(request.user):
        raise Http404
    sessions = sessions_to_decide(request.user).select_related("campaign").order_by("status", "-held_on")
    return render(request, "classrooms/decision_list.html", {"sessions": sessions})


def _page(request: HttpRequest, session, *, status: int = 200, forms=None) -> HttpResponse:
    forms = forms or {}
    proposals = session_proposals(session)
    deciding = session.status == SessionStatus.SENT
    rows = [
        (p, forms.get(p.pk) or DecisionForm(prefix=f"d{p.pk}") if deciding and not p.decision else None)
        for p in proposals
    ]
    context = {
        "session": session,
        "rows": rows,
        "deciding": deciding,
        "grid": calendar_grid(session.campaign),
    }
    return render(request, "classrooms/decision_detail.html", context, status=status)


@programme_page
def decision_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    return _page(request, access_session_to_decide(request.user, session_id))


@programme_page
@require_POST
def decide(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access_proposal_to_decide(request.user, proposal_id)
    form = DecisionForm(request.POST, prefix=f"d{proposal.pk}")
    if not form.is_valid():
        messages.error(request, ERROR_FORM)
        session = access_session_to_decide(request.user, proposal.session_id)
        return _page(request, session, status=400, forms={proposal.pk: form})
    accepted = form.cleaned_data["decision"] == "accept"
    attempt(
        request,
        lambda: services.proposal_decide(
            proposal=proposal, by=request.user, accepted=accepted, reason=form.cleaned_data["reason"]
        ),
        _("The decision is recorded; the school is told."),
    )
    return redirect("classrooms:decision", session_id=proposal.session_id)


@programme_page
@post_only("classrooms:decision", "session_id")
def decide_all(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session_to_decide(request.user, session_id)
    attempt(
        request,
        lambda: services.session_decide_all(session=session, by=request.user),
        _("Every proposal is accepted as the commission proposed; the schools are told."),
    )
    return redirect("classrooms:decision", session_id=session.pk)
