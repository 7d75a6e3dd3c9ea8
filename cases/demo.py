"""Demo connection cases: one in every state, spread over the two demo schools.

Each case is driven through the services (so its timeline is real) and created only when
missing, so running it twice changes nothing. No e-mail leaves during the demo load.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from schools.models import MembershipRole, School, User

from . import services
from .models import CaseStatus, ConnectionCase, ReasonCategory

COORDINATOR = "coordinator@demo.classcontact.be"
SCHOOLS = ["1001", "1002"]

# A tiny but valid PDF, standing for a medical certificate.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

S = CaseStatus
# pupil first name, last name, reason, final state
DEMO_CASES = [
    ("Lina", "Vermeulen", ReasonCategory.PHYSICAL_ILLNESS, S.DRAFT),
    ("Noah", "Lambert", ReasonCategory.ACCIDENT, S.SUBMITTED),
    ("Emma", "Claes", ReasonCategory.PHYSICAL_ILLNESS, S.UNDER_REVIEW),
    ("Louis", "Dubois", ReasonCategory.DISABILITY, S.ELIGIBLE),
    ("Chloé", "Martin", ReasonCategory.OTHER, S.INELIGIBLE),
    ("Adam", "Jacobs", ReasonCategory.PSYCHOLOGICAL_ILLNESS, S.KIT_ASSIGNED),
    ("Léa", "Wouters", ReasonCategory.PHYSICAL_ILLNESS, S.DOCUMENTS_SENT),
    ("Arthur", "Goossens", ReasonCategory.ACCIDENT, S.DOCUMENTS_SIGNED),
    ("Zoé", "Hermans", ReasonCategory.PHYSICAL_ILLNESS, S.INSTALLATION_PLANNED),
    ("Jules", "Maes", ReasonCategory.PHYSICAL_ILLNESS, S.ACTIVE),
    ("Alice", "Lemaire", ReasonCategory.PSYCHOLOGICAL_ILLNESS, S.PAUSED),
    ("Victor", "Dupont", ReasonCategory.ACCIDENT, S.END_REQUESTED),
    ("Inès", "Leclercq", ReasonCategory.DISABILITY, S.RETRIEVAL_PLANNED),
    ("Hugo", "Simon", ReasonCategory.PHYSICAL_ILLNESS, S.KIT_RETURNED),
    ("Nora", "Renard", ReasonCategory.PHYSICAL_ILLNESS, S.CLOSED),
    ("Gabriel", "Lejeune", ReasonCategory.ACCIDENT, S.WITHDRAWN),
]

# The path from a submitted request to each state (after submission).
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


def _request_data(school: School, first: str, last: str, reason: str, *, with_certificate: bool):
    today = timezone.localdate()
    teachers = list(User.objects.filter(memberships__school=school, memberships__role=MembershipRole.TEACHER))
    return services.CaseRequestData(
        pupil_first_name=first,
        pupil_last_name=last,
        pupil_birth_date=datetime.date(today.year - 10, 3, 14),
        school_class=school.classes.order_by("name").first(),
        teachers=teachers,
        teacher_names="" if teachers else "Mme Durant (durant@example.org)",
        absence_start=today - datetime.timedelta(days=20),
        absence_end_unknown=True,
        reason_category=reason,
        certificate=SimpleUploadedFile("certificate.pdf", DEMO_PDF) if with_certificate else None,
        home_street="Rue de la Station 8",
        home_postcode=school.postcode or "1000",
        home_city=school.city or "Bruxelles",
        home_has_internet=True,
        guardian_count=2 if last in ("Claes", "Maes") else 1,
        guardians=[
            services.GuardianData(
                first_name="Sophie",
                last_name=last,
                email=f"parent.{last.lower()}@example.org",
                phone="0470 00 00 00",
            ),
            services.GuardianData(
                first_name="Marc", last_name=last, email=f"marc.{last.lower()}@example.org"
            ),
        ],
        guardians_agree=True,
        school_note="",
    )


def _drive(case: ConnectionCase, target: str, *, director: User, coordinator: User) -> ConnectionCase:
    today = timezone.localdate()
    if target == S.DRAFT:
        return case
    case = services.case_submit(case=case, by=director)
    if target == S.WITHDRAWN:
        return services.case_withdraw(
            case=case, by=director, reason="La famille a trouvé une autre solution."
        )
    if target == S.INELIGIBLE:
        case = services.case_start_review(case=case, by=coordinator)
        return services.case_decide_eligibility(
            case=case,
            by=coordinator,
            school_in_fwb=True,
            medical_reason=False,
            eligible=False,
            reason="L'absence prévue est trop courte pour le programme.",
        )
    if target == S.PAUSED:
        for step in PATH[: PATH.index(S.ACTIVE) + 1]:
            case = _step(case, step, director=director, coordinator=coordinator, today=today)
        return services.case_pause(case=case, by=coordinator, note="Séjour à l'hôpital.")
    if target == S.SUBMITTED:
        return case
    for step in PATH[: PATH.index(target) + 1]:
        case = _step(case, step, director=director, coordinator=coordinator, today=today)
    return case


def _step(case, step, *, director, coordinator, today):
    if step == S.UNDER_REVIEW:
        return services.case_start_review(case=case, by=coordinator)
    if step == S.ELIGIBLE:
        return services.case_decide_eligibility(
            case=case,
            by=coordinator,
            school_in_fwb=True,
            medical_reason=True,
            eligible=True,
            reason="Conditions remplies.",
        )
    if step == S.KIT_ASSIGNED:
        return services.case_mark_kit_assigned(case=case, by=coordinator)
    if step == S.DOCUMENTS_SENT:
        return services.case_mark_documents_sent(case=case, by=coordinator)
    if step == S.DOCUMENTS_SIGNED:
        return services.case_mark_documents_signed(case=case, by=coordinator)
    if step == S.INSTALLATION_PLANNED:
        return services.case_plan_installation(
            case=case, by=coordinator, date=today + datetime.timedelta(days=9)
        )
    if step == S.ACTIVE:
        return services.case_activate(case=case, by=coordinator)
    if step == S.END_REQUESTED:
        return services.case_request_end(case=case, by=director, last_day=today + datetime.timedelta(days=5))
    if step == S.RETRIEVAL_PLANNED:
        return services.case_plan_retrieval(
            case=case, by=coordinator, date=today + datetime.timedelta(days=12)
        )
    if step == S.KIT_RETURNED:
        return services.case_mark_kit_returned(case=case, by=coordinator)
    if step == S.CLOSED:
        return services.case_close(case=case, by=coordinator)
    raise ValueError(step)


def seed(stdout) -> None:
    coordinator = User.objects.filter(email=COORDINATOR).first()
    schools = list(School.objects.filter(official_number__in=SCHOOLS).order_by("official_number"))
    if coordinator is None or len(schools) != len(SCHOOLS):
        return
    directors = {}
    for school in schools:
        directors[school.pk] = (
            User.objects.filter(memberships__school=school, memberships__role=MembershipRole.DIRECTOR)
            .order_by("pk")
            .first()
        )
    created = 0
    with services.notifications_off():
        for index, (first, last, reason, target) in enumerate(DEMO_CASES):
            school = schools[index % len(schools)]
            director = directors[school.pk]
            if director is None:
                continue
            if ConnectionCase.objects.filter(
                school=school, pupil_first_name=first, pupil_last_name=last
            ).exists():
                continue
            data = _request_data(
                school, first, last, reason, with_certificate=target in (S.SUBMITTED, S.UNDER_REVIEW)
            )
            case = services.case_save_draft(by=director, school=school, data=data)
            case = _drive(case, target, director=director, coordinator=coordinator)
            if target == S.ACTIVE:
                services.case_request_presentation(case=case, by=director)
            if target == S.INSTALLATION_PLANNED:
                services.case_request_classmates_letter(case=case, by=director)
            created += 1
    if created:
        stdout.write(f"Demo connection cases: {created} created.")
