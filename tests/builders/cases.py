"""Builders for connection cases: complete requests, and cases brought to any state."""

import datetime

from django.utils import timezone

from cases import services
from cases.models import CaseStatus, ConnectionCase, ReasonCategory
from tests.builders.files import PDF_BYTES, pdf_upload, png_bytes  # noqa: F401 - used by the cases' tests
from tests.builders.schools import make_class

S = CaseStatus


def request_data(school, **overrides) -> services.CaseRequestData:
    """A complete request, ready to be submitted."""
    school_class = overrides.pop("school_class", None) or school.classes.first() or make_class(school)
    today = timezone.localdate()
    values = {
        "pupil_first_name": "Emma",
        "pupil_last_name": "Peeters",
        "pupil_birth_date": datetime.date(2015, 3, 14),
        "school_class": school_class,
        "teacher_names": "Mme Durant, durant@example.org",
        "absence_start": today,
        "absence_end_unknown": True,
        "reason_category": ReasonCategory.PHYSICAL_ILLNESS,
        "home_street": "Rue Haute 1",
        "home_postcode": "1000",
        "home_city": "Bruxelles",
        "home_has_internet": True,
        "guardian_count": 1,
        "guardians": [
            services.GuardianData(first_name="Sophie", last_name="Peeters", email="sophie@example.org")
        ],
        "guardians_agree": True,
    }
    values.update(overrides)
    return services.CaseRequestData(**values)


def make_draft(school, director, **overrides) -> ConnectionCase:
    return services.case_save_draft(by=director, school=school, data=request_data(school, **overrides))


# The services that lead to each state, in order from a submitted case.
PATH = [
    S.UNDER_REVIEW,
    S.ELIGIBLE,
    S.KIT_ASSIGNED,
    S.DOCUMENTS_SENT,
    S.DOCUMENTS_SIGNED,
    S.INSTALLATION_PLANNED,
    S.ACTIVE,
    S.END_REQUESTED,
    S.RETRIEVAL_PLANNED,
    S.KIT_RETURNED,
    S.CLOSED,
]


def move(case: ConnectionCase, target: str, *, director, coordinator) -> ConnectionCase:
    """Call the one service that owns the change of ``case`` to ``target``."""
    soon = timezone.localdate() + datetime.timedelta(days=7)
    calls = {
        S.SUBMITTED: lambda: services.case_submit(case=case, by=director),
        S.UNDER_REVIEW: lambda: services.case_start_review(case=case, by=coordinator),
        S.ELIGIBLE: lambda: services.case_decide_eligibility(
            case=case, by=coordinator, school_in_fwb=True, medical_reason=True, eligible=True, reason="ok"
        ),
        S.INELIGIBLE: lambda: services.case_decide_eligibility(
            case=case,
            by=coordinator,
            school_in_fwb=True,
            medical_reason=False,
            eligible=False,
            reason="Too short.",
        ),
        S.KIT_ASSIGNED: lambda: services.case_mark_kit_assigned(case=case, by=coordinator),
        S.DOCUMENTS_SENT: lambda: services.case_mark_documents_sent(case=case, by=coordinator),
        S.DOCUMENTS_SIGNED: lambda: services.case_mark_documents_signed(case=case, by=None),
        S.INSTALLATION_PLANNED: lambda: services.case_plan_installation(case=case, by=coordinator, date=soon),
        S.ACTIVE: lambda: (
            services.case_resume(case=case, by=coordinator)
            if case.status == S.PAUSED
            else services.case_activate(case=case, by=coordinator)
        ),
        S.PAUSED: lambda: services.case_pause(case=case, by=coordinator, note="Hospital."),
        S.END_REQUESTED: lambda: services.case_request_end(case=case, by=director, last_day=soon),
        S.RETRIEVAL_PLANNED: lambda: services.case_plan_retrieval(case=case, by=coordinator, date=soon),
        S.KIT_RETURNED: lambda: services.case_mark_kit_returned(case=case, by=coordinator),
        S.CLOSED: lambda: services.case_close(case=case, by=coordinator),
        S.WITHDRAWN: lambda: services.case_withdraw(case=case, by=coordinator, reason="No longer needed."),
    }
    return calls[target]()


def route_to(target: str) -> list[str]:
    """The states a fresh draft goes through to reach ``target`` (after the draft itself)."""
    if target == S.DRAFT:
        return []
    if target in (S.SUBMITTED, S.WITHDRAWN):
        return [S.SUBMITTED] + ([S.WITHDRAWN] if target == S.WITHDRAWN else [])
    if target == S.INELIGIBLE:
        return [S.SUBMITTED, S.UNDER_REVIEW, S.INELIGIBLE]
    if target == S.PAUSED:
        return [S.SUBMITTED, *PATH[: PATH.index(S.ACTIVE) + 1], S.PAUSED]
    return [S.SUBMITTED, *PATH[: PATH.index(target) + 1]]


def make_case(school, director, coordinator, status: str = S.SUBMITTED, **overrides) -> ConnectionCase:
    """A case brought to ``status`` through the services, as in real life."""
    case = make_draft(school, director, **overrides)
    for step in route_to(status):
        case = move(case, step, director=director, coordinator=coordinator)
    assert case.status == status
    return case


def form_data(school_class, **overrides) -> dict:
    """A complete request as the browser posts it."""
    data = {
        "pupil_first_name": "Emma",
        "pupil_last_name": "Peeters",
        "pupil_birth_date": "2015-03-14",
        "school_class": str(school_class.pk),
        "new_class_name": "",
        "teacher_names": "Mme Durant",
        "absence_start": timezone.localdate().isoformat(),
        "absence_end": "",
        "absence_end_unknown": "on",
        "reason_category": ReasonCategory.ACCIDENT,
        "home_street": "Rue Haute 1",
        "home_postcode": "1000",
        "home_city": "Bruxelles",
        "home_has_internet": "yes",
        "guardian_count": "1",
        "guardian1_first_name": "Sophie",
        "guardian1_last_name": "Peeters",
        "guardian1_email": "sophie@example.org",
        "guardian1_phone": "0470 11 22 33",
        "guardian1_language": "fr",
        "guardian2_first_name": "",
        "guardian2_last_name": "",
        "guardian2_email": "",
        "guardian2_phone": "",
        "guardian2_language": "fr",
        "guardians_agree": "on",
        "school_note": "",
        "action": "submit",
    }
    data.update(overrides)
    return data


def backdate(case: ConnectionCase, *, submitted_at, activated_at=None, ended_at=None) -> ConnectionCase:
    """Move a case's request, connection and end into the past (its timeline and the
    dashboard's figures follow, as ``manage.py rebuild_case_figures`` would bring them)."""
    from cases.figures import END_KINDS, case_figures_refresh
    from cases.models import CaseEvent, EventKind

    ConnectionCase.objects.filter(pk=case.pk).update(submitted_at=submitted_at)
    CaseEvent.objects.filter(case=case, kind=EventKind.SUBMITTED).update(at=submitted_at)
    if activated_at is not None:
        CaseEvent.objects.filter(case=case, kind=EventKind.ACTIVATED).update(at=activated_at)
    if ended_at is not None:
        CaseEvent.objects.filter(case=case, kind__in=END_KINDS).update(at=ended_at)
    case_figures_refresh(case_id=case.pk)
    case.refresh_from_db()
    return case
