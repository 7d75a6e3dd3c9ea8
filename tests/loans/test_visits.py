import datetime

from django.core import mail
from django.utils import timezone
import pytest

from cases import services as case_services
from cases.models import CaseStatus
from classcontact.errors import DomainError
from loans import services
from loans.models import (
    InventoryState,
    LoanStatus,
    ReferralStatus,
    Visit,
    VisitKind,
    VisitOutcome,
    VisitStatus,
    holder_filter,
)
from tests.builders.loans import case_with_kit, installed_case, make_kit, soon
from tests.builders.schools import make_staff

pytestmark = pytest.mark.django_db


def test_installation_cannot_be_planned_before_the_documents_are_signed(
    school_a, director_a, coordinator, technician
):
    case, _loan = case_with_kit(school_a, director_a, coordinator, signed=False)
    with pytest.raises(DomainError) as error:
        case_services.case_visit_plan(
            kind=VisitKind.INSTALLATION, case=case, starts_at=soon(), technician=technician, by=coordinator
        )
    assert error.value.message == case_services.ERROR_INSTALLATION_NOT_READY
    case.refresh_from_db()
    assert case.status == CaseStatus.KIT_ASSIGNED
    assert not Visit.objects.exists()


def test_the_set_up_at_home_cannot_be_planned_before_the_documents_are_signed(
    school_a, director_a, coordinator, technician
):
    case, _loan = case_with_kit(school_a, director_a, coordinator, signed=False)
    with pytest.raises(DomainError) as error:
        case_services.case_visit_plan(
            kind=VisitKind.HOME_SETUP, case=case, starts_at=soon(), technician=technician, by=coordinator
        )
    assert error.value.message == case_services.ERROR_INSTALLATION_NOT_READY
    assert not Visit.objects.exists()


def test_the_set_up_at_home_is_planned_once_the_documents_are_signed(
    school_a, director_a, coordinator, technician
):
    case, loan = case_with_kit(school_a, director_a, coordinator)
    visit = case_services.case_visit_plan(
        kind=VisitKind.HOME_SETUP, case=case, starts_at=soon(), technician=technician, by=coordinator
    )
    assert visit.loan == loan


def test_planning_the_installation_plans_the_case_and_tells_technician_and_school(
    school_a, director_a, coordinator, technician, django_capture_on_commit_callbacks
):
    case, loan = case_with_kit(school_a, director_a, coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        visit = case_services.case_visit_plan(
            kind=VisitKind.INSTALLATION, case=case, starts_at=soon(4), technician=technician, by=coordinator
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.INSTALLATION_PLANNED
    assert case.planned_date == timezone.localdate(soon(4))
    assert visit.loan == loan and visit.school == school_a
    assert school_a.name in visit.address
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert technician.email in recipients and director_a.email in recipients
    visit.refresh_from_db()
    assert visit.mailed_sequence == visit.sequence


def test_the_visit_mail_task_sends_each_change_once(
    school_a, director_a, coordinator, technician, django_capture_on_commit_callbacks
):
    from loans.tasks import send_visit_mail

    case, _loan = case_with_kit(school_a, director_a, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        visit = case_services.case_visit_plan(
            kind=VisitKind.HOME_SETUP, case=case, starts_at=soon(), technician=technician, by=coordinator
        )
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        send_visit_mail.apply(kwargs={"visit_id": visit.pk, "event": "planned"})
    assert len(mail.outbox) == sent
    assert "Rue Haute 1" in visit.address  # a set-up at home goes to the pupil's home


def test_a_visit_in_the_past_or_with_someone_not_a_technician_is_refused(
    school_a, director_a, coordinator, helpdesk_agent
):
    case, _loan = case_with_kit(school_a, director_a, coordinator)
    with pytest.raises(DomainError) as error:
        case_services.case_visit_plan(
            kind=VisitKind.INSTALLATION,
            case=case,
            starts_at=soon(),
            technician=helpdesk_agent,
            by=coordinator,
        )
    assert error.value.message == services.ERROR_NOT_A_TECHNICIAN
    with pytest.raises(DomainError) as error:
        case_services.case_visit_plan(
            kind=VisitKind.INSTALLATION,
            case=case,
            starts_at=timezone.now() - datetime.timedelta(hours=1),
            technician=coordinator,
            by=coordinator,
        )
    assert error.value.message == services.ERROR_VISIT_IN_PAST


def test_installation_done_with_training_and_guide_activates_the_case_and_lends_the_kit(
    school_a, director_a, coordinator, technician
):
    case, loan = installed_case(school_a, director_a, coordinator, technician)
    assert case.status == CaseStatus.ACTIVE
    assert loan.status == LoanStatus.LENT
    kit = loan.kit
    kit.refresh_from_db()
    assert kit.state == InventoryState.LENT and kit.school == school_a and kit.room == "B12"
    assert set(kit.items.values_list("state", flat=True)) == {InventoryState.LENT}
    visit = Visit.objects.get(**holder_filter(case))
    assert visit.status == VisitStatus.DONE and visit.training_given and visit.user_guide_handed_over
    assert visit.done_by == technician


def test_installation_completed_without_training_or_guide_is_refused(
    school_a, director_a, coordinator, technician
):
    case, _loan = case_with_kit(school_a, director_a, coordinator)
    visit = case_services.case_visit_plan(
        kind=VisitKind.INSTALLATION, case=case, starts_at=soon(), technician=technician, by=coordinator
    )
    with pytest.raises(services.KitError) as error:
        services.visit_complete(
            visit=visit,
            by=technician,
            outcome=VisitOutcome.COMPLETED,
            training_given=True,
            early_reason="Done ahead of the plan.",
        )
    assert error.value.message == services.ERROR_INSTALLATION_NEEDS_TRAINING_AND_GUIDE
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_an_installation_that_could_not_be_done_leaves_the_case_planned_for_another_visit(
    school_a, director_a, coordinator, technician
):
    case, loan = case_with_kit(school_a, director_a, coordinator)
    first = case_services.case_visit_plan(
        kind=VisitKind.INSTALLATION, case=case, starts_at=soon(), technician=technician, by=coordinator
    )
    services.visit_complete(
        visit=first,
        by=technician,
        outcome=VisitOutcome.NOT_DONE,
        notes="Nobody at school.",
        early_reason="Done ahead of the plan.",
    )
    case.refresh_from_db()
    loan.refresh_from_db()
    assert case.status == CaseStatus.INSTALLATION_PLANNED and loan.status == LoanStatus.RESERVED
    second = case_services.case_visit_plan(
        kind=VisitKind.INSTALLATION, case=case, starts_at=soon(6), technician=technician, by=coordinator
    )
    services.visit_complete(
        visit=second,
        by=technician,
        outcome=VisitOutcome.COMPLETED,
        training_given=True,
        user_guide_handed_over=True,
        early_reason="Done ahead of the plan.",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE


def test_the_checklist_keeps_only_the_items_of_the_kind_of_visit(
    school_a, director_a, coordinator, technician
):
    case, _loan = case_with_kit(school_a, director_a, coordinator)
    visit = case_services.case_visit_plan(
        kind=VisitKind.HOME_SETUP, case=case, starts_at=soon(), technician=technician, by=coordinator
    )
    services.visit_complete(
        visit=visit,
        by=technician,
        outcome=VisitOutcome.COMPLETED,
        checklist={"home_installed": True, "call_tested": False, "made_up": True},
        early_reason="Done ahead of the plan.",
    )
    visit.refresh_from_db()
    assert visit.checklist == {"home_installed": True, "call_tested": False}
    assert [ticked for _key, _label, ticked in visit.checklist_items] == [True, False, False, False]


def test_a_done_visit_cannot_be_done_again_nor_cancelled(school_a, director_a, coordinator, technician):
    case, _loan = installed_case(school_a, director_a, coordinator, technician)
    visit = Visit.objects.get(**holder_filter(case))
    with pytest.raises(services.KitError):
        services.visit_complete(
            visit=visit, by=technician, outcome=VisitOutcome.COMPLETED, early_reason="Done ahead of the plan."
        )
    with pytest.raises(services.KitError):
        services.visit_cancel(visit=visit, by=coordinator, reason="Too late.")


def test_cancelling_and_moving_a_visit_bump_its_calendar_sequence(
    school_a, director_a, coordinator, technician, django_capture_on_commit_callbacks
):
    case, _loan = case_with_kit(school_a, director_a, coordinator)
    visit = case_services.case_visit_plan(
        kind=VisitKind.TEAM_PRESENTATION, case=case, starts_at=soon(), technician=technician, by=coordinator
    )
    other = make_staff("technician", email="other.tech@example.org")
    visit = services.visit_reschedule(visit=visit, starts_at=soon(9), technician=other, by=coordinator)
    assert visit.sequence == 1 and visit.technician == other
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        visit = services.visit_cancel(visit=visit, by=coordinator, reason="The school is closed.")
    assert visit.status == VisitStatus.CANCELLED and visit.sequence == 2
    assert any("The school is closed." in message.body for message in mail.outbox)


def test_retrieval_is_planned_only_once_the_end_is_requested(school_a, director_a, coordinator, technician):
    case, _loan = installed_case(school_a, director_a, coordinator, technician)
    with pytest.raises(DomainError) as error:
        case_services.case_visit_plan(
            kind=VisitKind.RETRIEVAL, case=case, starts_at=soon(), technician=technician, by=coordinator
        )
    assert error.value.message == case_services.ERROR_RETRIEVAL_NOT_READY


def test_internet_evaluation_ends_in_a_referral_that_is_followed_to_its_fix(
    school_a, director_a, coordinator, technician
):
    case, _loan = case_with_kit(school_a, director_a, coordinator)
    visit = case_services.case_visit_plan(
        kind=VisitKind.INTERNET_EVALUATION, case=case, starts_at=soon(), technician=technician, by=coordinator
    )
    services.visit_complete(
        visit=visit,
        by=technician,
        outcome=VisitOutcome.COMPLETED,
        checklist={"speed_measured": True},
        early_reason="Done ahead of the plan.",
    )
    referral = services.referral_create(visit=visit, by=technician, provider_reference="PRX-77")
    assert (
        referral.holder_is(case)
        and referral.school == school_a
        and referral.status == ReferralStatus.REFERRED
    )
    with pytest.raises(services.KitError) as error:
        services.referral_update(referral=referral, by=technician, status=ReferralStatus.FIXED)
    assert error.value.message == services.ERROR_FIXED_DATE_REQUIRED
    referral = services.referral_update(referral=referral, by=technician, status=ReferralStatus.IN_PROGRESS)
    fixed_on = timezone.localdate()
    referral = services.referral_update(
        referral=referral,
        by=technician,
        status=ReferralStatus.FIXED,
        outcome="Fibre installed.",
        fixed_on=fixed_on,
    )
    assert referral.fixed_on == fixed_on and referral.outcome == "Fibre installed."
    with pytest.raises(services.KitError):
        services.referral_update(referral=referral, by=technician, status=ReferralStatus.REFERRED)
    assert referral.history.count() == 3  # made, in progress, fixed: the refused changes left no trace


def test_only_an_internet_evaluation_refers_to_the_provider(school_a, director_a, coordinator, technician):
    case, _loan = case_with_kit(school_a, director_a, coordinator)
    visit = case_services.case_visit_plan(
        kind=VisitKind.TRAINING, case=case, starts_at=soon(), technician=technician, by=coordinator
    )
    with pytest.raises(services.KitError) as error:
        services.referral_create(visit=visit, by=technician)
    assert error.value.message == services.ERROR_REFERRAL_NEEDS_EVALUATION


def test_a_school_visit_without_a_case(school_a, coordinator, technician):
    visit = services.visit_plan(
        kind=VisitKind.TRAINING, school=school_a, starts_at=soon(), technician=technician, by=coordinator
    )
    assert visit.holder_id is None and visit.school == school_a
    make_kit()


def test_one_switch_silences_the_visit_mails_with_the_programmes(
    school_a, director_a, coordinator, technician, django_capture_on_commit_callbacks
):
    from classcontact.notifying import notifications_off

    case, _loan = case_with_kit(school_a, director_a, coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), notifications_off():
        visit = case_services.case_visit_plan(
            kind="installation", case=case, starts_at=soon(), technician=technician, by=coordinator
        )
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_reschedule(visit=visit, starts_at=soon(5), technician=technician, by=coordinator)
    assert [m.extra_headers.get("X-ClassContact-Mail") for m in mail.outbox] == ["visit-planned"] * len(
        mail.outbox
    )
    assert mail.outbox


def test_a_records_kit_panel_reads_referrals_only_after_an_internet_evaluation(
    world, school_a, director_a, coordinator, django_assert_num_queries
):
    from loans.selectors import holder_kit_panel

    with django_assert_num_queries(4):  # loans, their kits' items, visits, referrals
        panel = holder_kit_panel(world["case"])
    assert panel.referrals == [world["referral"]]
    case, _loan = case_with_kit(school_a, director_a, coordinator)
    with django_assert_num_queries(3):  # no internet evaluation: no referral to look for
        panel = holder_kit_panel(case)
    assert panel.referrals == [] and panel.visits == [] and panel.open_loan is not None
