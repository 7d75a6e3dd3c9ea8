"""Demo of the deployment: kits lent by an industrial partner, a plan with placed classes and
their visits, training sessions with registrations (one nearly full).

Runs after ``classrooms.demo``; once the campaign has training sessions it changes nothing.
"""

import datetime

from django.utils import timezone

from loans import services as kit_services
from loans.demo import TECHNICIAN
from loans.models import Item, ItemCategory, Kit, KitType, Programme
from schools.models import MembershipRole, Region, School, User

from . import services
from .demo import DEMO_DOMAIN, _draft, _session
from .models import Application, ApplicationStatus, Campaign, Opinion, ProposalOutcome, TrainingSession

A = ApplicationStatus
PARTNER = "Numérik Éducation (prêt industriel)"
# code, owner (empty: the programme)
KITS = [("MC62-N1", PARTNER), ("MC62-N2", PARTNER), ("MC62-T3", "")]
ITEMS = [
    (ItemCategory.TABLET, "iPad 10e génération", 3),
    (ItemCategory.CHARGING_CASE, "Valise de recharge", 1),
]
COMMUNITY_URL = "https://tribu.phm.education.gouv.fr/classes-mobiles-62"


def _kits(campaign: Campaign) -> list[Kit]:
    kit_type = KitType.objects.filter(programme=Programme.MOBILE_CLASSROOM).order_by("code").first()
    kits = []
    for code, owner in KITS:
        kit = Kit.objects.filter(code=code).first()
        if kit is None:
            kit = kit_services.kit_register(
                kit=Kit(
                    code=code,
                    kit_type=kit_type,
                    region=Region.PAS_DE_CALAIS,
                    depot="Atelier Canopé 62 - Arras",
                    owner=owner,
                ),
                by=None,
            )
            for category, model, count in ITEMS:
                for n in range(1, count + 1):
                    kit_services.item_register(
                        item=Item(
                            kit=kit,
                            category=category,
                            model_name=model,
                            serial_number=f"{code}-{category}-{n}",
                        ),
                        by=None,
                    )
        kits.append(kit)
    campaign.kits.add(*kits)
    return kits


def _accepted_more(campaign: Campaign, people: dict[str, User]) -> list[Application]:
    """Two more classes accepted at a session ten days ago (the second trimester and the third)."""
    trimesters = list(campaign.trimesters.order_by("start"))
    kit_type = KitType.objects.filter(programme=Programme.MOBILE_CLASSROOM).order_by("code").first()
    session = _session(campaign, people, -10)
    applications = []
    for number, n in (("0620103D", 1), ("0620102C", 3)):
        school = School.objects.get(official_number=number)
        teacher = User.objects.filter(
            memberships__school=school, memberships__role=MembershipRole.TEACHER
        ).first()
        director = User.objects.filter(
            memberships__school=school, memberships__role=MembershipRole.DIRECTOR
        ).first()
        application = _draft(campaign, school, teacher, n)
        services.application_submit(application=application, by=director)
        services.application_give_opinion(
            application=application,
            by=school.inspection_district.inspector,
            opinion=Opinion.FAVOURABLE,
            comment="Bon projet.",
        )
        applications.append(application)
    proposals = services.session_add_applications(
        session=session, by=people["cpd.tuic"], applications=applications
    )
    for rank, (proposal, trimester) in enumerate(zip(proposals, trimesters[1:], strict=False), start=1):
        services.proposal_record(
            proposal=proposal,
            by=people["cpd.tuic"],
            rank=rank,
            outcome=ProposalOutcome.ACCEPT,
            trimester=trimester,
            kit_type=kit_type,
        )
    services.session_send_proposals(session=session, by=people["cpd.tuic"])
    services.session_decide_all(session=session, by=people["dasen"])
    return [Application.objects.get(pk=a.pk) for a in applications]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _place(applications: list[Application], kits: list[Kit], people: dict[str, User]) -> None:
    technician = User.objects.filter(email=TECHNICIAN).first()
    for application, kit in zip(applications, kits, strict=False):
        services.placement_create(application=application, kit=kit, by=people["cpd.tuic"])
        trimester = application.accepted_trimester
        if technician is None or trimester.start <= timezone.localdate():
            continue
        for kind, day in (
            ("installation", services.deployment.delivery_day(trimester)),
            ("retrieval", services.deployment.pickup_day(trimester)),
        ):
            services.deployment_visit_plan(
                application=application,
                kind=kind,
                starts_at=_at(day, 9),
                technician=technician,
                by=people["cpd.tuic"],
            )


def _trainings(campaign: Campaign, applications: list[Application], people: dict[str, User]) -> None:
    """A nearly full session before the second trimester, and one before the third."""
    today = timezone.localdate()
    trimesters = list(campaign.trimesters.order_by("start"))
    sessions = [
        services.training_session_create(
            campaign=campaign,
            trimester=trimester,
            title=title,
            starts_at=_at(
                max(trimester.start - datetime.timedelta(days=10), today + datetime.timedelta(days=days)), 14
            ),
            place="Atelier Canopé 62, Arras",
            trainer=people["canope.arras"],
            seats=seats,
            by=people["cpd.tuic"],
        )
        for trimester, title, seats, days in (
            (trimesters[1], "RDV Canopé : prise en main de la classe mobile", 3, 7),
            (trimesters[2], "RDV Canopé : projets et productions numériques", 12, 30),
        )
    ]
    for application in applications:
        session = sessions[0] if application.accepted_trimester == trimesters[1] else sessions[1]
        teachers = User.objects.filter(
            memberships__school=application.school, memberships__role=MembershipRole.TEACHER
        )
        for teacher in teachers.order_by("pk"):
            services.training_register(session=session, application=application, teacher=teacher)


def seed(stdout) -> None:
    campaign = Campaign.objects.filter(name__startswith="Classes mobiles 62").order_by("-opens_on").first()
    if campaign is None or TrainingSession.objects.filter(campaign=campaign).exists():
        return
    people = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")}
    if not {"cpd.tuic", "dasen", "canope.arras"} <= set(people):
        return
    campaign.community_url = COMMUNITY_URL
    campaign.save(update_fields=["community_url"])
    kits = _kits(campaign)
    with services.notifications_off():
        accepted = list(Application.objects.filter(campaign=campaign, status=A.ACCEPTED).order_by("pk"))
        accepted += _accepted_more(campaign, people)
        _place(accepted, kits, people)
        _trainings(campaign, accepted, people)
    stdout.write(f"Mobile classroom deployment: {len(accepted)} classes placed, 2 training sessions.")
