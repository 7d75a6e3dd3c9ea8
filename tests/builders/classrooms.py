"""Builders for the mobile classroom programme, made through the services as in real life."""

from dataclasses import dataclass
import datetime
import itertools

from django.contrib.auth.models import Group
from django.utils import timezone

from classrooms import services
from classrooms.models import Application, ApplicationStatus, Campaign, ClassLevel, CommissionSession, Opinion
from loans.models import KitType, Programme
from schools.models import (
    Calendar,
    CalendarKind,
    District,
    Network,
    ProgrammeRole,
    Region,
    School,
    SchoolYear,
    Trimester,
    User,
)
from schools.roles import ensure_staff_groups
from tests.builders.loans import make_kit
from tests.builders.schools import make_director, make_school, make_teacher, make_user

A = ApplicationStatus
_numbers = itertools.count(1)


def make_programme_user(role: str, **fields) -> User:
    """A person with one of the programme's roles (a group, as staff roles are)."""
    ensure_staff_groups()
    user = make_user(**fields)
    user.groups.add(Group.objects.get(name=role))
    return user


def make_district(inspector: User | None = None, **fields) -> District:
    n = next(_numbers)
    defaults = {"name": f"Circonscription {n}", "code": f"circ-{n}", "department": "Pas-de-Calais"}
    return District.objects.create(inspector=inspector, **{**defaults, **fields})


def make_french_school(district: District, **fields) -> School:
    n = next(_numbers)
    defaults = {
        "name": f"École primaire {n}",
        "official_number": f"062{n:04d}X",
        "network": Network.OTHER,
        "city": "Arras",
        "postcode": "62000",
        "region": Region.PAS_DE_CALAIS,
        "in_fwb": False,
        "eligible_mobile_classroom": True,
        "inspection_district": district,
    }
    return make_school(**{**defaults, **fields})


def make_school_year(code: str = "fr-test") -> SchoolYear:
    """A French school year around today, with three trimesters."""
    calendar, _created = Calendar.objects.get_or_create(
        code=code, defaults={"name": "Zone B (test)", "kind": CalendarKind.FR_ZONE}
    )
    today = timezone.localdate()
    first = today.year if today.month >= 8 else today.year - 1
    year, created = SchoolYear.objects.get_or_create(
        calendar=calendar,
        label=f"{first}-{first + 1}",
        defaults={"start": datetime.date(first, 9, 1), "end": datetime.date(first + 1, 7, 4)},
    )
    if created:
        periods = [
            (datetime.date(first, 9, 1), datetime.date(first, 12, 19)),
            (datetime.date(first + 1, 1, 5), datetime.date(first + 1, 4, 3)),
            (datetime.date(first + 1, 4, 20), datetime.date(first + 1, 7, 4)),
        ]
        for number, (start, end) in enumerate(periods, start=1):
            Trimester.objects.create(school_year=year, number=number, start=start, end=end)
    return year


def make_kit_type(code: str = "tablets") -> KitType:
    kit_type, _created = KitType.objects.get_or_create(
        code=code, defaults={"name": f"Classe mobile {code}", "programme": Programme.MOBILE_CLASSROOM}
    )
    return kit_type


def make_campaign(*, kits: int = 2, kit_type: KitType | None = None, **fields) -> Campaign:
    """An open campaign of this school year: its three trimesters and ``kits`` kits of one type."""
    year = make_school_year()
    today = timezone.localdate()
    defaults = {
        "name": f"Classes mobiles 62 {year.label}",
        "school_year": year,
        "opens_on": today - datetime.timedelta(days=10),
        "closes_on": today + datetime.timedelta(days=60),
    }
    campaign = Campaign.objects.create(**{**defaults, **fields})
    campaign.trimesters.set(year.trimesters.all())
    kit_type = kit_type or make_kit_type()
    campaign.kits.set([make_kit(kit_type, items=False) for _ in range(kits)])
    return campaign


@dataclass
class World:
    """Two districts of Pas-de-Calais, each with its inspector and a school, and the programme's people."""

    campaign: Campaign
    district_a: District
    district_b: District
    inspector_a: User
    inspector_b: User
    school_a: School
    school_b: School
    director_a: User
    director_b: User
    teacher_a: User
    teacher_b: User
    adviser: User
    resource_teacher_a: User
    chair: User
    member: User
    decision_maker: User


def make_world(**campaign_fields) -> World:
    inspector_a = make_programme_user(ProgrammeRole.INSPECTOR, email="ien.arras@example.org")
    inspector_b = make_programme_user(ProgrammeRole.INSPECTOR, email="ien.lens@example.org")
    district_a = make_district(inspector_a, name="Arras 1")
    district_b = make_district(inspector_b, name="Lens 2")
    resource_teacher = make_programme_user(ProgrammeRole.RESOURCE_TEACHER, email="ertuic.arras@example.org")
    district_a.resource_teachers.add(resource_teacher)
    school_a = make_french_school(district_a, name="École Jean Moulin")
    school_b = make_french_school(district_b, name="École Jules Ferry")
    return World(
        campaign=make_campaign(**campaign_fields),
        district_a=district_a,
        district_b=district_b,
        inspector_a=inspector_a,
        inspector_b=inspector_b,
        school_a=school_a,
        school_b=school_b,
        director_a=make_director(school_a, email="direction.moulin@example.org"),
        director_b=make_director(school_b, email="direction.ferry@example.org"),
        teacher_a=make_teacher(school_a, email="enseignant.moulin@example.org"),
        teacher_b=make_teacher(school_b, email="enseignant.ferry@example.org"),
        adviser=make_programme_user(ProgrammeRole.ADVISER, email="cpd.tuic@example.org"),
        resource_teacher_a=resource_teacher,
        chair=make_programme_user(ProgrammeRole.COMMISSION_CHAIR, email="ien.tuic@example.org"),
        member=make_programme_user(ProgrammeRole.COMMISSION_MEMBER, email="canope@example.org"),
        decision_maker=make_programme_user(ProgrammeRole.DECISION_MAKER, email="dasen@example.org"),
    )


def application_data(campaign: Campaign, **overrides) -> services.ApplicationData:
    values = {
        "class_name": "CM1 B",
        "level": ClassLevel.CM1,
        "pupil_count": 24,
        "teacher_names": "Mme Leroy",
        "objectives": "Écrire et publier un journal de classe.",
        "activities": "Reportages photo, mise en page, podcast.",
        "b2i_link": "Domaines 1 à 4 du B2i école.",
        "municipality_information": "Courrier au maire le 3 septembre, visite prévue.",
        "equipment": "Deux ordinateurs anciens, pas de vidéoprojecteur.",
        "municipality_contact": "M. Dupont, adjoint à l'éducation",
        "municipality_email": "education@mairie.example.org",
        "preferred_trimesters": list(campaign.trimesters.order_by("start")[1:2]),
    }
    return services.ApplicationData(**{**values, **overrides})


def make_draft(
    world: World, *, school: School | None = None, by: User | None = None, **overrides
) -> Application:
    school = school or world.school_a
    by = by or (world.teacher_a if school == world.school_a else world.teacher_b)
    return services.application_save_draft(
        by=by, school=school, campaign=world.campaign, data=application_data(world.campaign, **overrides)
    )


def make_session(world: World, **fields) -> CommissionSession:
    return services.session_create(
        campaign=world.campaign,
        by=world.adviser,
        held_on=fields.pop("held_on", timezone.localdate() + datetime.timedelta(days=7)),
        chair=world.chair,
        members=[world.chair, world.member, world.adviser],
        **fields,
    )


ROUTE = [A.SUBMITTED, A.OPINION_GIVEN, A.IN_COMMISSION, A.SCHEDULED, A.ACCEPTED]


def make_application(world: World, status: str = A.SUBMITTED, *, school: School | None = None, **overrides):
    """An application moved along the usual road to ``status`` (accepted for the 2nd trimester;
    refused; withdrawn while waiting for an opinion). Returns the fresh application."""
    school = school or world.school_a
    director = world.director_a if school == world.school_a else world.director_b
    inspector = world.inspector_a if school == world.school_a else world.inspector_b
    application = make_draft(world, school=school, **overrides)
    if status == A.DRAFT:
        return application
    if status == A.WITHDRAWN:
        services.application_submit(application=application, by=director)
        services.application_withdraw(application=application, by=director, reason="Enseignant muté.")
        return Application.objects.get(pk=application.pk)
    services.application_submit(application=application, by=director)
    if status != A.SUBMITTED:
        services.application_give_opinion(
            application=application, by=inspector, opinion=Opinion.FAVOURABLE, comment="Projet solide."
        )
    if status in (A.IN_COMMISSION, A.SCHEDULED, A.ACCEPTED, A.REFUSED):
        session = make_session(world)
        (proposal,) = services.session_add_applications(
            session=session, by=world.adviser, applications=[application]
        )
        if status != A.IN_COMMISSION:
            trimester = world.campaign.trimesters.order_by("start")[1]
            kit_type = make_kit_type()
            services.proposal_record(
                proposal=proposal,
                by=world.adviser,
                rank=1,
                outcome="accept",
                trimester=trimester,
                kit_type=kit_type,
            )
            services.session_send_proposals(session=session, by=world.adviser)
        if status in (A.ACCEPTED, A.REFUSED):
            services.proposal_decide(
                proposal=proposal,
                by=world.decision_maker,
                accepted=status == A.ACCEPTED,
                reason="" if status == A.ACCEPTED else "Budget épuisé pour ce trimestre.",
            )
    return Application.objects.get(pk=application.pk)


# After the decision ---------------------------------------------------------------------

#: The road of a class's deployment, from the decision to the evaluation.
DEPLOYMENT_ROAD = [A.ACCEPTED, A.DELIVERED, A.IN_PROGRESS, A.PRESENTED, A.RETURNED, A.EVALUATED]


def walk_deployment_to(application: Application, status: str, *, now=None) -> Application:
    """Move an accepted class along the deployment road to ``status`` by the transition table
    alone (no delivery, loan or training is made: those belong to the deployment plan)."""
    from classcontact.workflow import change_state
    from classrooms.models import TRANSITIONS

    application = Application.objects.get(pk=application.pk)
    road = DEPLOYMENT_ROAD[DEPLOYMENT_ROAD.index(application.status) + 1 : DEPLOYMENT_ROAD.index(status) + 1]
    for target in road:
        change_state(application, target, table=TRANSITIONS, by=None, now=now)
    return application


def make_class_in(
    world: World,
    status: str,
    *,
    teacher: User | None = None,
    school: School | None = None,
    trimester: int = 2,
    b2i_rate=None,
    **overrides,
) -> Application:
    """An accepted class of ``world`` walked to ``status``, its resource teacher assigned.

    The decision places it in the campaign's 2nd trimester; another ``trimester`` (1 to 3) and
    the school's B2i rate before the programme are written onto it directly."""
    application = make_application(world, A.ACCEPTED, school=school, **overrides)
    changes = {"b2i_rate": b2i_rate}
    if trimester != 2:
        changes["accepted_trimester"] = world.campaign.trimesters.get(number=trimester)
    Application.objects.filter(pk=application.pk).update(**changes)
    services.followup_assign_teacher(
        application=application, by=world.adviser, teacher=teacher or world.resource_teacher_a
    )
    return walk_deployment_to(application, status)


def make_class_loan(application: Application, kit, *, start, end, status: str = "returned"):
    """The loan a deployment plan makes for a class (its kit for its trimester), written directly."""
    from django.contrib.contenttypes.models import ContentType

    from loans.models import Loan, LoanPurpose
    from schools.models import SchoolClass

    school_class, _created = SchoolClass.objects.get_or_create(
        school=application.school, name=application.class_name or "Classe", school_year=""
    )
    return Loan.objects.create(
        holder_type=ContentType.objects.get_for_model(Application),
        holder_id=application.pk,
        reference=application.number or "",
        kit=kit,
        purpose=LoanPurpose.CLASS_TRIMESTER,
        school_class=school_class,
        trimester=application.accepted_trimester,
        school=application.school,
        start=start,
        end=end,
        status=status,
    )
