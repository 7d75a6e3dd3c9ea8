"""Every change of the transition table works through its service; every other change is refused."""

from django.contrib.messages import get_messages
from django.urls import reverse
import pytest

from cases import services
from cases.models import TRANSITIONS, CaseEvent, CaseStatus, ConnectionCase
from cases.views.common import ERROR_MOVED_ON
from classcontact.workflow import InvalidTransition
from tests.builders.cases import make_case, make_draft, move

S = CaseStatus

ALLOWED = [(source, target) for source, targets in TRANSITIONS.items() for target in sorted(targets)]
# Every target that a service can reach, tried from every state that does not allow it.
DISALLOWED = [
    (source, target)
    for source in S
    for target in S
    if target != S.DRAFT and target not in TRANSITIONS[source]
]


def test_the_table_matches_the_design():
    assert TRANSITIONS[S.DRAFT] == {S.SUBMITTED, S.WITHDRAWN}
    assert TRANSITIONS[S.UNDER_REVIEW] == {S.ELIGIBLE, S.INELIGIBLE, S.WITHDRAWN}
    assert TRANSITIONS[S.ACTIVE] == {S.END_REQUESTED, S.PAUSED, S.WITHDRAWN}
    assert TRANSITIONS[S.PAUSED] == {S.ACTIVE, S.WITHDRAWN}
    assert TRANSITIONS[S.KIT_RETURNED] == {S.CLOSED, S.WITHDRAWN}
    for closed in (S.INELIGIBLE, S.CLOSED, S.WITHDRAWN):
        assert TRANSITIONS[closed] == frozenset()


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), ALLOWED, ids=[f"{s}->{t}" for s, t in ALLOWED])
def test_every_allowed_transition_works(source, target, school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, status=source)
    events_before = CaseEvent.objects.filter(case=case).count()
    case = move(case, target, director=director_a, coordinator=coordinator)
    case.refresh_from_db()
    assert case.status == target
    last = CaseEvent.objects.filter(case=case, to_status=target).latest("at", "pk")
    assert last.from_status == source
    assert CaseEvent.objects.filter(case=case).count() > events_before
    assert case.history.latest().status == target


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), DISALLOWED, ids=[f"{s}->{t}" for s, t in DISALLOWED])
def test_every_other_transition_is_refused(source, target, school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, status=source)
    with pytest.raises(InvalidTransition):
        move(case, target, director=director_a, coordinator=coordinator)
    case.refresh_from_db()
    assert case.status == source


@pytest.mark.django_db
def test_activate_does_not_resume_a_paused_case(school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, status=S.PAUSED)
    with pytest.raises(InvalidTransition):
        services.case_activate(case=case, by=coordinator)
    case = make_case(
        school_a, director_a, coordinator, status=S.INSTALLATION_PLANNED, pupil_first_name="Noah"
    )
    with pytest.raises(InvalidTransition):
        services.case_resume(case=case, by=coordinator)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_an_impossible_staff_action_is_a_message_not_an_error(client, school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, status=S.ACTIVE)
    client.force_login(coordinator)
    response = client.post(reverse("cases:staff_start_review", kwargs={"case_id": case.public_id}))
    assert response.status_code == 302
    assert _messages(response) == [str(ERROR_MOVED_ON % {"state": S.ACTIVE.label})]
    case.refresh_from_db()
    assert case.status == S.ACTIVE


@pytest.mark.django_db
@pytest.mark.parametrize("step", [S.CLOSED])
def test_an_impossible_manual_step_is_a_message(client, school_a, director_a, coordinator, step):
    case = make_case(school_a, director_a, coordinator, status=S.SUBMITTED)
    client.force_login(coordinator)
    response = client.post(
        reverse("cases:staff_step", kwargs={"case_id": case.public_id, "step": step}), follow=True
    )
    assert response.status_code == 200
    assert str(ERROR_MOVED_ON % {"state": S.SUBMITTED.label}) in response.content.decode()
    case.refresh_from_db()
    assert case.status == S.SUBMITTED


@pytest.mark.django_db
def test_an_unknown_manual_step_is_404(client, school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, status=S.ELIGIBLE)
    client.force_login(coordinator)
    response = client.post(
        reverse("cases:staff_step", kwargs={"case_id": case.public_id, "step": "eligible"})
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_second_decision_is_refused_with_a_message(client, school_a, director_a, coordinator):
    """Two coordinators decide at the same time: the second one is told the case moved on."""
    case = make_case(school_a, director_a, coordinator, status=S.UNDER_REVIEW)
    client.force_login(coordinator)
    url = reverse("cases:staff_decide", kwargs={"case_id": case.public_id})
    data = {
        "eligibility-school_in_fwb": "on",
        "eligibility-medical_reason": "on",
        "eligibility-decision": "eligible",
        "eligibility-reason": "",
    }
    assert client.post(url, data).status_code == 302
    second = client.post(url, data)
    assert second.status_code == 302
    assert _messages(second)[-1] == str(ERROR_MOVED_ON % {"state": S.ELIGIBLE.label})
    assert CaseEvent.objects.filter(case=case, to_status=S.ELIGIBLE).count() == 1


@pytest.mark.django_db
def test_the_director_cannot_withdraw_once_the_kit_is_installed(client, school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, status=S.ACTIVE)
    client.force_login(director_a)
    response = client.post(
        reverse("cases:withdraw", kwargs={"case_id": case.public_id}), {"withdraw-reason": "We moved."}
    )
    assert response.status_code == 302
    assert _messages(response) == [str(services.ERROR_DIRECTOR_CANNOT_WITHDRAW)]
    assert ConnectionCase.objects.get(pk=case.pk).status == S.ACTIVE


@pytest.mark.django_db
def test_a_director_submitting_a_sent_request_again_is_told_so(client, school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, status=S.SUBMITTED)
    client.force_login(director_a)
    response = client.get(reverse("cases:edit", kwargs={"case_id": case.public_id}))
    assert response.status_code == 302
    assert _messages(response) == [str(services.ERROR_NOT_DRAFT)]
    draft = make_draft(school_a, director_a, pupil_first_name="Noah")
    services.case_submit(case=draft, by=director_a)
    with pytest.raises(InvalidTransition):
        services.case_submit(case=draft, by=director_a)
