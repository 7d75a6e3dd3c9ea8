"""Demo of a class's life after the decision: last school year's classes presented, returned
and evaluated (so the yearly report of that year has content), and a class of this year in
its loan. Runs once: a second run changes nothing.

The moves the deployment plan owns (delivery, start of the loan, return) and the loans it
makes are written directly here, the way its services write them.
"""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from classcontact.workflow import change_state
from loans.models import Kit, Loan, LoanPurpose, LoanStatus
from schools.models import SchoolClass, SchoolYear, User

from . import services
from .demo import DEMO_DOMAIN, _sent, _session
from .models import TRANSITIONS, Application, ApplicationStatus, Campaign, ProposalOutcome

A = ApplicationStatus
PAST_CAMPAIGN = "Classes mobiles 62 – bilan"
# school's official number, trimester (1-3), kit code, last state, pupils assessed, validated,
# equipment plan (amount, or None for no plan).
PAST_CLASSES = [
    ("0620100A", 1, "MC62-T1", A.EVALUATED, 26, 21, Decimal("8200.00")),
    ("0620101B", 1, "MC62-T2", A.EVALUATED, 22, 15, None),
    ("0620102C", 2, "MC62-T1", A.EVALUATED, 25, 20, Decimal("12500.00")),
    ("0620103D", 2, "MC62-T2", A.EVALUATED, 19, 12, None),
    ("0620104E", 3, "MC62-T1", A.RETURNED, 24, 18, None),
    ("0620100A", 3, "MC62-T2", A.PRESENTED, None, None, None),
]


def _user(local: str) -> User:
    return User.objects.get(email=f"{local}@{DEMO_DOMAIN}")


def _people() -> dict[str, User]:
    locals_ = ("cpd.tuic", "ien.tuic", "canope.arras", "dasen", "ertuic.arras")
    people = {local: _user(local) for local in locals_}
    for district_inspector in ("ien.arras", "ien.lens", "ien.boulogne"):
        people[district_inspector] = _user(district_inspector)
    return people


def seed(stdout) -> None:
    current = Campaign.objects.filter(name__startswith="Classes mobiles 62 –").order_by("-opens_on").first()
    if current is None or Campaign.objects.filter(name=PAST_CAMPAIGN).exists():
        return
    past_year = (
        SchoolYear.objects.filter(calendar=current.school_year.calendar, end__lt=current.school_year.start)
        .order_by("-start")
        .first()
    )
    if past_year is None:
        return
    people = _people()
    with services.notifications_off():
        _past_year(past_year, people)
        _this_year(current, people)
    stdout.write(
        f"Mobile classroom yearly report of {past_year.label}: /staff/classrooms/report/{past_year.label}/"
    )


def _school_people(official_number: str):
    from schools.models import Membership, MembershipRole, School

    school = School.objects.get(official_number=official_number)
    members = Membership.objects.filter(school=school).select_related("user")
    director = next(m.user for m in members if m.role == MembershipRole.DIRECTOR)
    teacher = next(m.user for m in members if m.role == MembershipRole.TEACHER)
    return school, director, teacher


def _decided(campaign: Campaign, people, rows, *, days: int) -> list[Application]:
    """Applications of ``rows`` (school, trimester, kit code) sent, proposed and accepted."""
    trimesters = {t.number: t for t in campaign.trimesters.all()}
    applications = []
    for n, (number, trimester, kit_code) in enumerate(rows):
        school, director, teacher = _school_people(number)
        applications.append((_sent(campaign, school, director, teacher, people, n), trimester, kit_code))
    session = _session(campaign, people, days)
    proposals = services.session_add_applications(
        session=session, by=people["cpd.tuic"], applications=[a for a, _t, _k in applications]
    )
    for rank, (proposal, (_application, trimester, kit_code)) in enumerate(
        zip(proposals, applications, strict=True), 1
    ):
        services.proposal_record(
            proposal=proposal,
            by=people["cpd.tuic"],
            rank=rank,
            outcome=ProposalOutcome.ACCEPT,
            trimester=trimesters[trimester],
            kit_type=Kit.objects.get(code=kit_code).kit_type,
        )
    services.session_record_presence(
        session=session, by=people["cpd.tuic"], present=list(session.members.all()), notes="Quorum atteint."
    )
    services.session_send_proposals(session=session, by=people["cpd.tuic"])
    services.session_decide_all(session=session, by=people["dasen"])
    return [Application.objects.get(pk=a.pk) for a, _t, _k in applications]


def _deploy(application: Application, target: str, *, at: datetime.date) -> Application:
    """The deployment plan's moves (delivered, in progress, returned), on the day they happened."""
    moment = timezone.make_aware(datetime.datetime.combine(at, datetime.time(16)))
    application = Application.objects.get(pk=application.pk)
    change_state(application, target, table=TRANSITIONS, by=None, now=moment)
    return application


def _loan(application: Application, kit_code: str, *, open_: bool = False) -> None:
    trimester = application.accepted_trimester
    school_class, _created = SchoolClass.objects.get_or_create(
        school=application.school, name=application.class_name, school_year=trimester.school_year.label
    )
    Loan.objects.create(
        holder_type=ContentType.objects.get_for_model(Application),
        holder_id=application.pk,
        reference=application.number,
        kit=Kit.objects.get(code=kit_code),
        purpose=LoanPurpose.CLASS_TRIMESTER,
        school_class=school_class,
        trimester=trimester,
        school=application.school,
        start=trimester.start,
        end=trimester.end,
        status=LoanStatus.LENT if open_ else LoanStatus.RETURNED,
    )


def _past_year(year: SchoolYear, people) -> None:
    # Open while its applications are written, then closed as it was.
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name=PAST_CAMPAIGN, school_year=year, opens_on=min(today, year.start), closes_on=today
    )
    campaign.trimesters.set(year.trimesters.all())
    campaign.kits.set(Kit.objects.filter(code__in={row[2] for row in PAST_CLASSES}))
    rows = [(number, trimester, kit) for number, trimester, kit, *_rest in PAST_CLASSES]
    applications = _decided(campaign, people, rows, days=(year.start - timezone.localdate()).days - 30)
    Campaign.objects.filter(pk=campaign.pk).update(
        opens_on=year.start - datetime.timedelta(days=120), closes_on=year.start - datetime.timedelta(days=60)
    )
    for application, (_n, _t, kit_code, last, assessed, validated, plan) in zip(
        applications, PAST_CLASSES, strict=True
    ):
        _finish(application, people, kit_code=kit_code, last=last, b2i=(assessed, validated), plan=plan)


def _finish(application: Application, people, *, kit_code: str, last: str, b2i, plan) -> None:
    trimester = application.accepted_trimester
    services.followup_assign_teacher(
        application=application, by=people["cpd.tuic"], teacher=people["ertuic.arras"]
    )
    _loan(application, kit_code)
    _deploy(application, A.DELIVERED, at=trimester.start - datetime.timedelta(days=3))
    application = _deploy(application, A.IN_PROGRESS, at=trimester.start)
    director = application.school.memberships.get(role="director").user
    services.presentation_plan(
        application=application, by=director, on=trimester.end, place="Salle polyvalente de l'école",
        invitees=["parents", "elected", "partners", "press"],
    )  # fmt: skip
    services.followup_add_note(
        application=application, by=people["ertuic.arras"], kind="visit",
        on=trimester.start + datetime.timedelta(days=20), text="Séance de prise en main des tablettes avec la classe.",
    )  # fmt: skip
    services.presentation_record(
        application=application, by=director, shown="Journal numérique, reportages photo et podcast des élèves.",
        attendance="Une trentaine de parents, l'adjoint au maire chargé de l'éducation, la presse locale.", visitors=34,
    )  # fmt: skip
    services.production_add(
        application=application, by=director, title="Le journal de la classe",
        link="https://ent.example.fr/journal-de-la-classe", consent=True,
    )  # fmt: skip
    if last == A.PRESENTED:
        return
    application = _deploy(application, A.RETURNED, at=trimester.end + datetime.timedelta(days=3))
    assessed, validated = b2i
    services.evaluation_record_b2i(
        application=application, by=director, assessed=assessed, validated=validated
    )
    if last == A.RETURNED:
        return
    services.evaluation_check_b2i(application=application, by=people["ertuic.arras"])
    services.evaluation_record_teacher(
        application=application, by=director,
        text="Élèves très motivés ; l'écrit a progressé grâce au journal. Il faudrait plus de temps de prise en main.",
    )  # fmt: skip
    services.municipality_record(
        application=application, by=people["ertuic.arras"], contacted_on=trimester.end + datetime.timedelta(days=10),
        notes="Rencontre avec le maire et la directrice.", plan_started=plan is not None,
        plan_on=trimester.end + datetime.timedelta(days=60), description="Achat de tablettes et d'un vidéoprojecteur.",
        amount=plan,
    )  # fmt: skip


def _this_year(campaign: Campaign, people) -> None:
    """A class of this year's first trimester in its loan, followed by the resource teacher."""
    (application,) = _decided(campaign, people, [("0620103D", 1, "MC62-T1")], days=-60)
    services.followup_assign_teacher(
        application=application, by=people["cpd.tuic"], teacher=people["ertuic.arras"]
    )
    start = application.accepted_trimester.start
    _deploy(application, A.DELIVERED, at=start - datetime.timedelta(days=3))
    _deploy(application, A.IN_PROGRESS, at=start)
