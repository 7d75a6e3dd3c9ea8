"""The actions on a case page, by its owner: each calls its service, or says what is wrong."""

import datetime

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
import pytest

from cases import services as case_services
from cases.forms import ERROR_CHECKLIST, ERROR_DECISION_REASON
from cases.models import CaseStatus, ConnectionCase, EventKind
from tests.builders.cases import make_case

S = CaseStatus
pytestmark = pytest.mark.django_db


def _url(name, case, **extra):
    return reverse(name, kwargs={"case_id": case.public_id, **extra})


def _status(case) -> str:
    return ConnectionCase.objects.get(pk=case.pk).status


# The school's side.


def test_the_director_asks_for_a_presentation_and_the_letter(client, school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, S.INSTALLATION_PLANNED)
    client.force_login(director_a)
    assert client.post(_url("cases:request_presentation", case)).status_code == 302
    assert client.post(_url("cases:request_letter", case)).status_code == 302
    case.refresh_from_db()
    assert case.presentation_pending and case.classmates_letter_pending
    page = client.get(_url("cases:detail", case)).content.decode()
    assert "Presentation requested" in page and "Letter requested" in page


def test_the_director_says_the_kit_is_no_longer_needed(client, school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, S.ACTIVE)
    client.force_login(director_a)
    last_day = (timezone.localdate() + datetime.timedelta(days=4)).isoformat()
    response = client.post(
        _url("cases:request_end", case), {"end-last_day": last_day, "end-note": "Back in class."}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.END_REQUESTED
    assert case.last_day_of_use.isoformat() == last_day


def test_the_end_form_without_a_date_is_answered_next_to_the_field(client, school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, S.ACTIVE)
    client.force_login(director_a)
    response = client.post(_url("cases:request_end", case), {"end-last_day": "", "end-note": "Typed note"})
    assert response.status_code == 400
    assert "last_day" in response.context["end_form"].errors
    assert "Typed note" in response.content.decode()
    assert _status(case) == S.ACTIVE


def test_the_director_withdraws_with_a_reason(client, school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, S.SUBMITTED)
    client.force_login(director_a)
    response = client.post(_url("cases:withdraw", case), {"withdraw-reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["withdraw_form"].errors
    client.post(_url("cases:withdraw", case), {"withdraw-reason": "Pupil back at school."})
    assert _status(case) == S.WITHDRAWN
    assert "Pupil back at school." in client.get(_url("cases:detail", case)).content.decode()


# The staff's side.


def test_the_coordinator_reviews_and_decides(client, school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, S.SUBMITTED)
    client.force_login(coordinator)
    client.post(_url("cases:staff_start_review", case))
    assert _status(case) == S.UNDER_REVIEW
    bad = client.post(_url("cases:staff_decide", case), {"eligibility-decision": "eligible"})
    assert bad.status_code == 400
    assert bad.context["eligibility_form"].errors["decision"] == [str(ERROR_CHECKLIST)]
    bad = client.post(_url("cases:staff_decide", case), {"eligibility-decision": "ineligible"})
    assert bad.context["eligibility_form"].errors["reason"] == [str(ERROR_DECISION_REASON)]
    assert _status(case) == S.UNDER_REVIEW
    client.post(
        _url("cases:staff_decide", case),
        {"eligibility-decision": "ineligible", "eligibility-reason": "The school is not in the FWB."},
    )
    case.refresh_from_db()
    assert case.status == S.INELIGIBLE
    assert case.eligibility_reason == "The school is not in the FWB."


def test_the_coordinator_walks_a_case_through_its_logistics(
    client, school_a, director_a, coordinator, technician
):
    from loans import services as kit_services
    from tests.builders.loans import installed_case, soon

    case, _loan = installed_case(school_a, director_a, coordinator, technician)
    assert _status(case) == S.ACTIVE
    client.force_login(coordinator)
    client.post(_url("cases:staff_pause", case), {"note-note": "Hospital for two weeks."})
    assert _status(case) == S.PAUSED
    client.post(_url("cases:staff_resume", case))
    assert _status(case) == S.ACTIVE
    last_day = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    client.post(
        _url("cases:staff_request_end", case),
        {"end-last_day": last_day, "end-for_parent": "on", "end-note": "Father phoned."},
    )
    assert _status(case) == S.END_REQUESTED
    assert case.events.get(kind=EventKind.END_REQUESTED).acting_for_parent
    case_services.case_visit_plan(
        kind="retrieval", starts_at=soon(6), technician=technician, by=coordinator, case=case
    )
    assert _status(case) == S.RETRIEVAL_PLANNED
    loan = case.loans.get()
    kit_services.loan_check_in(
        loan=loan,
        by=technician,
        lines=[
            kit_services.CheckLine(item_id=item.pk, present=True, works=True) for item in loan.kit.items.all()
        ],
    )
    assert _status(case) == S.KIT_RETURNED
    client.post(_url("cases:staff_step", case, step=S.CLOSED))
    assert _status(case) == S.CLOSED
    assert case.events.get(kind=EventKind.PAUSED).message == "Hospital for two weeks."


def test_logistics_steps_are_not_taken_by_hand_on_the_case_page(client, school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, S.ELIGIBLE)
    client.force_login(coordinator)
    steps = (S.KIT_ASSIGNED, S.DOCUMENTS_SENT, S.DOCUMENTS_SIGNED, S.INSTALLATION_PLANNED, S.ACTIVE)
    for step in (*steps, S.RETRIEVAL_PLANNED, S.KIT_RETURNED):
        assert client.post(_url("cases:staff_step", case, step=step)).status_code == 404
    assert _status(case) == S.ELIGIBLE


def test_the_coordinator_marks_a_request_handled_and_keeps_notes(client, school_a, director_a, coordinator):
    from cases import services

    case = make_case(school_a, director_a, coordinator, S.ACTIVE)
    services.case_request_classmates_letter(case=case, by=director_a)
    client.force_login(coordinator)
    client.post(_url("cases:staff_request_handled", case, request_kind="classmates_letter"))
    case.refresh_from_db()
    assert case.classmates_letter_handled_at is not None
    again = client.post(_url("cases:staff_request_handled", case, request_kind="classmates_letter"))
    assert [str(m) for m in get_messages(again.wsgi_request)][
        -1
    ] == "Nothing of this kind is waiting to be handled."
    assert client.post(_url("cases:staff_request_handled", case, request_kind="pizza")).status_code == 404
    client.post(_url("cases:staff_notes", case), {"notes-notes": "Mother prefers calls after 16:00."})
    case.refresh_from_db()
    assert case.internal_notes == "Mother prefers calls after 16:00."


def test_the_coordinator_withdraws_an_active_case(client, school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, S.ACTIVE)
    client.force_login(coordinator)
    client.post(_url("cases:staff_withdraw", case), {"withdraw-reason": "Family moved."})
    assert _status(case) == S.WITHDRAWN


def test_pages_answer_get_only_where_they_should(client, school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, S.ACTIVE)
    client.force_login(coordinator)
    assert client.get(_url("cases:staff_pause", case)).status_code == 405
    client.force_login(director_a)
    for name in ("cases:withdraw", "cases:request_end", "cases:request_presentation", "cases:request_letter"):
        response = client.get(_url(name, case))
        assert response.status_code == 302, name
        assert response["Location"] == _url("cases:detail", case), name
    assert _status(case) == S.ACTIVE


def test_switching_language_after_a_refused_withdrawal_shows_the_case_again(
    client, school_a, director_a, coordinator, school_b, director_b
):
    """The page shown after refused input lives at the form's address; the language switch returns there."""
    case = make_case(school_a, director_a, coordinator, S.ACTIVE)
    client.force_login(director_a)
    refused = client.post(_url("cases:withdraw", case), {"withdraw-reason": ""})
    assert refused.status_code == 400

    switched = client.post(
        reverse("set_language"), {"language": "fr", "next": _url("cases:withdraw", case)}, follow=True
    )

    assert switched.status_code == 200
    assert switched.redirect_chain[-1][0] == _url("cases:detail", case)
    assert '<html lang="fr">' in switched.content.decode()
    assert _status(case) == S.ACTIVE
    client.force_login(director_b)
    assert client.get(_url("cases:withdraw", case), follow=True).status_code == 404
