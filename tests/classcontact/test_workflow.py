"""Every state machine: its catalogue of states agrees with its choices and its table."""

from django.template import Context, Template
import pytest

from cases.models import CaseStatus, ConnectionCase
from classcontact.errors import DomainError
from classcontact.workflow import ERROR_INVALID_TRANSITION, InvalidTransition, change_state, check_transition
from conventions.models import Document
from helpdesk.models import Ticket
from loans.models import InternetReferral, Item, Kit, Loan, Visit
from tests.builders.cases import make_case

MODELS = [ConnectionCase, Kit, Item, Loan, Visit, InternetReferral, Document, Ticket]


def _ids(model):
    return model.__name__


@pytest.mark.parametrize("model", MODELS, ids=_ids)
def test_each_catalogue_names_exactly_the_states_of_its_choices_and_its_table(model):
    catalogue = model.STATES
    field = model._meta.get_field(catalogue.field)
    choices = {value for value, _label in field.choices}
    assert set(catalogue) == choices
    assert set(model.TRANSITIONS) == choices
    for state in catalogue:
        assert catalogue.badge(state).startswith("text-bg-")


@pytest.mark.parametrize("model", MODELS, ids=_ids)
def test_closed_states_have_no_way_out_and_open_ones_have_one(model):
    catalogue, table = model.STATES, model.TRANSITIONS
    assert catalogue.closed_states | catalogue.open_states == set(catalogue)
    for state in catalogue.closed_states:
        assert not table[state], f"{state} is closed but the table lets it move on"
    for state in catalogue.open_states:
        assert table[state], f"{state} is open but the table has no way out of it"
    assert catalogue.staff_action_states <= catalogue.open_states


def test_the_case_sets_come_from_the_catalogue():
    from cases import models

    assert models.CLOSED_STATES == {CaseStatus.INELIGIBLE, CaseStatus.CLOSED, CaseStatus.WITHDRAWN}
    assert models.OPEN_STATES == set(CaseStatus) - models.CLOSED_STATES
    assert models.STAFF_ACTION_STATES <= models.OPEN_STATES
    assert models.DIRECTOR_WITHDRAW_STATES <= models.OPEN_STATES
    assert CaseStatus.ACTIVE not in models.DIRECTOR_WITHDRAW_STATES
    assert CaseStatus.ACTIVE in models.SCHOOL_REQUEST_STATES
    for state in models.OPEN_STATES:
        assert CaseStatus.WITHDRAWN in models.TRANSITIONS[state]


def test_every_case_state_has_words_for_the_school():
    for state in CaseStatus:
        info = ConnectionCase.STATES[state]
        assert info.school_label
        assert info.school_next


def test_a_refused_transition_is_a_domain_error_that_names_the_state_in_words():
    with pytest.raises(DomainError) as raised:
        check_transition(ConnectionCase.TRANSITIONS, "draft", CaseStatus.ACTIVE)  # as read from the database
    assert isinstance(raised.value, InvalidTransition)
    assert raised.value.message == ERROR_INVALID_TRANSITION % {"current": "Draft"}


@pytest.mark.django_db
def test_change_state_checks_stamps_saves_only_its_fields_and_records(school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, CaseStatus.SUBMITTED)
    before = case.status_changed_at
    case.internal_notes = "not saved by a state change"
    recorded = []

    result = change_state(
        case,
        CaseStatus.UNDER_REVIEW,
        table=ConnectionCase.TRANSITIONS,
        by=coordinator,
        record=lambda change: recorded.append(change) or "event",
    )

    assert result == "event"
    assert [(c.previous, c.target) for c in recorded] == [(CaseStatus.SUBMITTED, CaseStatus.UNDER_REVIEW)]
    case.refresh_from_db()
    assert case.status == CaseStatus.UNDER_REVIEW
    assert case.status_changed_at > before
    assert case.internal_notes != "not saved by a state change"
    assert case.history.first().history_user == coordinator
    with pytest.raises(InvalidTransition):
        change_state(case, CaseStatus.DRAFT, table=ConnectionCase.TRANSITIONS, by=coordinator)


@pytest.mark.django_db
def test_the_badge_of_any_object_comes_from_its_catalogue(school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, CaseStatus.INELIGIBLE)
    rendered = Template("{% load portal %}{{ case|state_badge }}").render(Context({"case": case}))
    assert rendered == ConnectionCase.STATES[CaseStatus.INELIGIBLE].badge == "text-bg-danger"


@pytest.mark.django_db
def test_templates_ask_the_table_whether_an_object_may_move_on(school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, CaseStatus.ELIGIBLE)
    template = Template('{% load portal %}{% if case|can_move_to:"kit_assigned" %}reserve{% endif %}')
    assert template.render(Context({"case": case})) == "reserve"
    case.status = CaseStatus.KIT_ASSIGNED
    assert template.render(Context({"case": case})) == ""
