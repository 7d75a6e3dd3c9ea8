"""What each service does besides changing the state: timeline, e-mails, files, history."""

import datetime
import re

from django.core import mail
from django.utils import timezone
import pytest

from cases import services
from cases.models import CaseEvent, CaseStatus, ConnectionCase, EventKind, Guardian, SchoolRequest
from cases.tasks import send_case_event_mail
from classcontact.storage import private_storage
from schools.models import MembershipRole, SchoolClass
from tests.builders.cases import make_case, make_draft, pdf_upload, request_data
from tests.builders.schools import make_member

S = CaseStatus
pytestmark = pytest.mark.django_db


def test_a_draft_keeps_what_was_typed_and_starts_the_timeline(school_a, director_a):
    data = request_data(
        school_a,
        guardian_count=2,
        guardians=[
            services.GuardianData(first_name="Sophie", last_name="Peeters", email="sophie@example.org"),
            services.GuardianData(
                first_name="Marc", last_name="Peeters", email="marc@example.org", language="en"
            ),
        ],
    )
    case = services.case_save_draft(by=director_a, school=school_a, data=data)
    assert case.status == S.DRAFT
    assert case.number is None
    assert case.created_by == director_a
    assert [(g.position, g.first_name, g.language) for g in case.guardians.all()] == [
        (1, "Sophie", "fr"),
        (2, "Marc", "en"),
    ]
    assert list(case.events.values_list("kind", flat=True)) == [EventKind.CREATED]
    assert case.history.count() == 1
    assert case.history.first().history_user == director_a


def test_saving_a_draft_again_updates_it_and_drops_the_second_guardian(school_a, director_a):
    case = make_draft(
        school_a,
        director_a,
        guardian_count=2,
        guardians=[services.GuardianData(first_name="A"), services.GuardianData(first_name="B")],
    )
    data = request_data(school_a, pupil_first_name="Noah", guardian_count=1)
    case = services.case_save_draft(by=director_a, school=school_a, data=data, case=case)
    assert ConnectionCase.objects.get(pk=case.pk).pupil_first_name == "Noah"
    assert Guardian.objects.filter(case=case).count() == 1
    assert case.events.count() == 1


def test_a_new_class_name_adds_the_class_to_the_school(school_a, director_a):
    case = make_draft(school_a, director_a, school_class=None, new_class_name="4C")
    added = SchoolClass.objects.get(school=school_a, name="4C")
    assert case.school_class == added


def test_a_class_of_another_school_is_refused(school_a, school_b, director_a):
    other = SchoolClass.objects.create(school=school_b, name="P1")
    with pytest.raises(services.CaseError) as refused:
        make_draft(school_a, director_a, school_class=other)
    assert refused.value.message == services.ERROR_CLASS_OTHER_SCHOOL


def test_the_certificate_is_stored_privately_under_a_random_name(school_a, director_a):
    case = make_draft(school_a, director_a, certificate=pdf_upload("Emma Peeters certificat.pdf"))
    assert case.certificate.name.startswith(f"cases/{case.public_id}/certificate-")
    assert case.certificate.name.endswith(".pdf")
    assert "Peeters" not in case.certificate.name
    assert private_storage.exists(case.certificate.name)


def test_replacing_the_certificate_deletes_the_old_file(
    school_a, director_a, django_capture_on_commit_callbacks
):
    case = make_draft(school_a, director_a, certificate=pdf_upload())
    old = case.certificate.name
    with django_capture_on_commit_callbacks(execute=True):
        services.case_save_draft(
            by=director_a, school=school_a, case=case, data=request_data(school_a, certificate=pdf_upload())
        )
    case.refresh_from_db()
    assert case.certificate.name != old
    assert not private_storage.exists(old)
    assert private_storage.exists(case.certificate.name)


def test_submitting_gives_a_number_and_mails_the_directors(
    school_a, director_a, django_capture_on_commit_callbacks
):
    delegate = make_member(school_a, MembershipRole.DELEGATE, email="delegate.a@example.org")
    make_member(school_a, MembershipRole.TEACHER, email="teacher.x@example.org")
    case = make_draft(school_a, director_a)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_submit(case=case, by=director_a)
    year = timezone.localdate().year
    assert re.fullmatch(rf"CC-{year}-\d{{4}}", case.number)
    assert case.submitted_at is not None
    assert case.programme_year
    assert sorted(m.to[0] for m in mail.outbox) == sorted([director_a.email, delegate.email])
    assert case.number in mail.outbox[0].subject
    assert str(case.public_id) in mail.outbox[0].body
    event = case.events.get(kind=EventKind.SUBMITTED)
    assert event.notified_at is not None
    assert event.is_public


def test_numbers_follow_each_other_within_a_year(school_a, director_a):
    first = services.case_submit(case=make_draft(school_a, director_a), by=director_a)
    second = services.case_submit(
        case=make_draft(school_a, director_a, pupil_first_name="Noah"), by=director_a
    )
    assert int(second.number.rsplit("-", 1)[1]) == int(first.number.rsplit("-", 1)[1]) + 1


def test_an_incomplete_draft_cannot_be_submitted(school_a, director_a):
    case = make_draft(school_a, director_a, pupil_last_name="", guardians=[], guardians_agree=False)
    with pytest.raises(services.CaseError) as refused:
        services.case_submit(case=case, by=director_a)
    assert "pupil's last name" in str(refused.value.message)
    assert "parent or guardian 1" in str(refused.value.message)
    case.refresh_from_db()
    assert case.status == S.DRAFT
    assert case.number is None


def test_deciding_eligibility_deletes_the_certificate_and_says_so(
    school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = make_case(school_a, director_a, coordinator, status=S.UNDER_REVIEW, certificate=pdf_upload())
    name = case.certificate.name
    assert private_storage.exists(name)
    history_rows = case.history.count()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_decide_eligibility(
            case=case,
            by=coordinator,
            school_in_fwb=True,
            medical_reason=True,
            eligible=True,
            reason="All good.",
        )
    case.refresh_from_db()
    assert case.status == S.ELIGIBLE
    assert not case.certificate
    assert case.certificate_deleted_at is not None
    assert not private_storage.exists(name)
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[-2:] == [EventKind.DECLARED_ELIGIBLE, EventKind.CERTIFICATE_DELETED]
    assert [m.to for m in mail.outbox] == [[director_a.email]]
    assert "All good." in mail.outbox[0].body
    assert case.decided_by == coordinator
    assert case.check_school_in_fwb is True
    assert case.history.count() == history_rows + 1  # one change, one history row


def test_an_ineligible_decision_needs_a_reason_and_closes_the_case(school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, status=S.UNDER_REVIEW)
    with pytest.raises(services.CaseError) as refused:
        services.case_decide_eligibility(
            case=case, by=coordinator, school_in_fwb=True, medical_reason=False, eligible=False, reason="  "
        )
    assert refused.value.message == services.ERROR_REASON_REQUIRED
    case = services.case_decide_eligibility(
        case=case, by=coordinator, school_in_fwb=False, medical_reason=True, eligible=False, reason="Not FWB."
    )
    assert case.status == S.INELIGIBLE
    assert case.closed_at is not None
    assert not case.is_open


def test_eligible_needs_every_rule_of_the_checklist(school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, status=S.UNDER_REVIEW)
    with pytest.raises(services.CaseError) as refused:
        services.case_decide_eligibility(
            case=case, by=coordinator, school_in_fwb=True, medical_reason=False, eligible=True, reason=""
        )
    assert refused.value.message == services.ERROR_ELIGIBLE_NEEDS_CHECKS
    assert ConnectionCase.objects.get(pk=case.pk).status == S.UNDER_REVIEW


def test_starting_the_review_makes_the_reviewer_coordinator(school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, status=S.SUBMITTED)
    case = services.case_start_review(case=case, by=coordinator)
    assert case.coordinator == coordinator


def test_a_director_withdrawal_tells_the_school_and_the_team(
    school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = make_case(school_a, director_a, coordinator, status=S.ELIGIBLE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_withdraw(case=case, by=director_a, reason="The pupil is back at school.")
    assert case.status == S.WITHDRAWN
    assert case.withdrawal_reason == "The pupil is back at school."
    assert sorted(m.to[0] for m in mail.outbox) == sorted([director_a.email, coordinator.email])
    staff_mail = next(m for m in mail.outbox if m.to == [coordinator.email])
    assert case.number in staff_mail.subject
    assert "/cases/staff/" in staff_mail.body


def test_withdrawal_needs_a_reason(school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, status=S.SUBMITTED)
    with pytest.raises(services.CaseError) as refused:
        services.case_withdraw(case=case, by=director_a, reason="")
    assert refused.value.message == services.ERROR_REASON_REQUIRED


def test_dropping_a_draft_mails_nobody_and_deletes_its_certificate(
    school_a, director_a, django_capture_on_commit_callbacks
):
    case = make_draft(school_a, director_a, certificate=pdf_upload())
    name = case.certificate.name
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_withdraw(case=case, by=director_a, reason="Typed by mistake.")
    assert case.status == S.WITHDRAWN
    assert mail.outbox == []
    assert not private_storage.exists(name)
    assert case.events.filter(kind=EventKind.CERTIFICATE_DELETED).exists()


def test_staff_may_withdraw_an_active_case(school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, status=S.ACTIVE)
    case = services.case_withdraw(case=case, by=coordinator, reason="Family moved abroad.")
    assert case.status == S.WITHDRAWN


def test_staff_record_an_end_asked_by_a_parent_on_the_phone(
    school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = make_case(school_a, director_a, coordinator, status=S.ACTIVE)
    last_day = timezone.localdate() + datetime.timedelta(days=3)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_request_end(
            case=case, by=coordinator, last_day=last_day, for_parent=True, note="Mother phoned."
        )
    assert case.status == S.END_REQUESTED
    assert case.last_day_of_use == last_day
    event = case.events.get(kind=EventKind.END_REQUESTED)
    assert event.acting_for_parent
    assert event.actor == coordinator
    # The school is told; the team is not mailed about what it recorded itself.
    assert [m.to for m in mail.outbox] == [[director_a.email]]


def test_only_staff_act_for_a_parent(school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, status=S.ACTIVE)
    with pytest.raises(services.CaseError):
        services.case_request_end(case=case, by=director_a, last_day=timezone.localdate(), for_parent=True)


def test_a_parent_link_may_end_the_use_without_an_account(school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, status=S.ACTIVE)
    case = services.case_request_end(case=case, by=None, last_day=timezone.localdate())
    event = case.events.get(kind=EventKind.END_REQUESTED)
    assert event.actor is None
    assert event.acting_for_parent


def test_the_director_ending_the_use_mails_the_team(
    school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = make_case(school_a, director_a, coordinator, status=S.ACTIVE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_request_end(case=case, by=director_a, last_day=timezone.localdate())
    assert sorted(m.to[0] for m in mail.outbox) == sorted([director_a.email, coordinator.email])


def test_a_presentation_request_is_recorded_once_and_mailed_to_the_team(
    school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = make_case(school_a, director_a, coordinator, status=S.ACTIVE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_request_presentation(case=case, by=director_a)
    assert case.presentation_pending
    assert case.events.filter(kind=EventKind.PRESENTATION_REQUESTED, is_public=True).count() == 1
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    with pytest.raises(services.CaseError) as refused:
        services.case_request_presentation(case=case, by=director_a)
    assert refused.value.message == services.ERROR_ALREADY_REQUESTED
    case = services.case_mark_request_handled(case=case, by=coordinator, request=SchoolRequest.PRESENTATION)
    assert not case.presentation_pending
    assert case.events.filter(kind=EventKind.PRESENTATION_HANDLED).exists()
    # Handled: the school may ask again later.
    services.case_request_presentation(case=case, by=director_a)


def test_without_a_coordinator_every_coordinator_hears_of_a_letter_request(
    school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    from tests.builders.schools import make_staff

    other = make_staff("coordinator", email="coordinator2@example.org")
    make_staff("technician", email="tech@example.org")
    case = make_case(school_a, director_a, coordinator, status=S.SUBMITTED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_request_classmates_letter(case=case, by=director_a)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, other.email])


def test_requests_are_refused_on_a_closed_case(school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, status=S.WITHDRAWN)
    with pytest.raises(services.CaseError) as refused:
        services.case_request_classmates_letter(case=case, by=director_a)
    assert refused.value.message == services.ERROR_REQUEST_NOT_POSSIBLE


def test_internal_notes_leave_a_staff_only_event(school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, status=S.SUBMITTED)
    case = services.case_update_internal_notes(case=case, by=coordinator, notes="Called the school.")
    assert case.internal_notes == "Called the school."
    assert case.events.get(kind=EventKind.NOTES_UPDATED).is_public is False
    with pytest.raises(services.CaseError):
        services.case_update_internal_notes(case=case, by=director_a, notes="x")


def test_planning_a_visit_in_the_past_is_refused(school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, status=S.DOCUMENTS_SIGNED)
    with pytest.raises(services.CaseError) as refused:
        services.case_plan_installation(
            case=case, by=coordinator, date=timezone.localdate() - datetime.timedelta(days=1)
        )
    assert refused.value.message == services.ERROR_DATE_IN_PAST


def test_the_mail_task_sends_each_event_once(school_a, director_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_submit(case=make_draft(school_a, director_a), by=director_a)
    assert len(mail.outbox) == 1
    event = case.events.get(kind=EventKind.SUBMITTED)
    send_case_event_mail.apply(kwargs={"event_id": event.pk})
    send_case_event_mail.apply(kwargs={"event_id": 999_999})
    assert len(mail.outbox) == 1


def test_no_mail_leaves_while_notifications_are_off(school_a, director_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, services.notifications_off():
        case = services.case_submit(case=make_draft(school_a, director_a), by=director_a)
    assert mail.outbox == []
    assert callbacks == []
    assert case.events.get(kind=EventKind.SUBMITTED).notified_at is not None


def test_every_event_of_a_full_case_is_in_one_timeline(school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, status=S.CLOSED)
    kinds = list(CaseEvent.objects.filter(case=case).order_by("at", "pk").values_list("kind", flat=True))
    assert kinds[0] == EventKind.CREATED
    assert kinds[-1] == EventKind.CLOSED
    assert EventKind.ACTIVATED in kinds
    assert case.closed_at is not None
