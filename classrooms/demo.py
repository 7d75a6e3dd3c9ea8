"""Demo of the mobile classroom programme: a French department alive, from drafts to decisions.

Pas-de-Calais with three districts, their inspectors, the adviser, a resource teacher, the
commission and the decision maker; French schools with their directors and teachers; the
school calendar of zone B imported from the iCalendar file shipped beside this module; a
campaign and applications in every state. Runs once: a second run changes nothing.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from loans import services as kit_services
from loans.models import Kit, KitType, Programme
from schools.calendar_import import calendars_import_ics
from schools.demo import FRENCH_CALENDAR_FILE
from schools.models import (
    Calendar,
    CalendarKind,
    District,
    Membership,
    MembershipRole,
    Network,
    ProgrammeRole,
    Region,
    School,
    SchoolYear,
    User,
)
from schools.otp import DEMO_DEVICE_NAME
from schools.roles import ensure_staff_groups

from . import services
from .models import Application, ApplicationStatus, Campaign, ClassLevel, Opinion, ProposalOutcome

A = ApplicationStatus
CALENDAR_FILE = FRENCH_CALENDAR_FILE
DEMO_DOMAIN = "demo.classcontact.fr"

# code, name, inspector's e-mail
DISTRICTS = [
    ("arras-1", "Arras 1", "ien.arras"),
    ("lens-2", "Lens 2", "ien.lens"),
    ("boulogne-1", "Boulogne-sur-Mer 1", "ien.boulogne"),
]
# e-mail (before the domain), first name, last name, role
PROGRAMME_PEOPLE = [
    ("ien.arras", "Isabelle", "Nowak", ProgrammeRole.INSPECTOR),
    ("ien.lens", "Éric", "Lefebvre", ProgrammeRole.INSPECTOR),
    ("ien.boulogne", "Sandrine", "Caron", ProgrammeRole.INSPECTOR),
    ("cpd.tuic", "Paul", "Delattre", ProgrammeRole.ADVISER),
    ("ertuic.arras", "Julie", "Vasseur", ProgrammeRole.RESOURCE_TEACHER),
    ("ien.tuic", "Marc", "Deprez", ProgrammeRole.COMMISSION_CHAIR),
    ("canope.arras", "Nathalie", "Dumont", ProgrammeRole.COMMISSION_MEMBER),
    ("dasen", "Olivier", "Lemaire", ProgrammeRole.DECISION_MAKER),
]
# official number, name, street, postcode, city, district code, director, teacher (first + last names)
SCHOOLS = [
    ("0620100A", "École primaire Jean Moulin", "Rue Jean Moulin 4", "62000", "Arras", "arras-1", "moulin"),
    ("0620101B", "École élémentaire Jules Ferry", "Rue de la Gare 12", "62800", "Liévin", "lens-2", "ferry"),
    (
        "0620102C",
        "École Louis Pasteur",
        "Boulevard Daunou 8",
        "62200",
        "Boulogne-sur-Mer",
        "boulogne-1",
        "pasteur",
    ),
    ("0620103D", "École Victor Hugo", "Place Victor Hugo 1", "62000", "Arras", "arras-1", "hugo"),
    ("0620104E", "École Marie Curie", "Rue Curie 30", "62300", "Lens", "lens-2", "curie"),
]
NAMES = {
    "moulin": (("Sophie", "Lemoine"), ("Hugo", "Bernard")),
    "ferry": (("Karim", "Benali"), ("Léa", "Fontaine")),
    "pasteur": (("Anne", "Roussel"), ("Lucas", "Hennebelle")),
    "hugo": (("Pierre", "Carpentier"), ("Emma", "Lefort")),
    "curie": (("Céline", "Duhamel"), ("Thomas", "Wattez")),
}
KITS = [("MC62-T1", "mobile-classroom"), ("MC62-T2", "mobile-classroom"), ("MC62-P1", "mobile-laptops")]


def _person(local: str, first: str, last: str) -> User:
    email = f"{local}@{DEMO_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, first_name=first, last_name=last)
        if settings.DEMO_MODE:
            user.set_password("demo")
        else:
            user.set_unusable_password()
        user.save()
    return user


def _people() -> dict[str, User]:
    people = {}
    for local, first, last, role in PROGRAMME_PEOPLE:
        people[local] = _person(local, first, last)
        people[local].groups.add(Group.objects.get(name=role))
        if settings.DEMO_MODE:
            from django_otp.plugins.otp_totp.models import TOTPDevice

            TOTPDevice.objects.get_or_create(
                user=people[local], name=DEMO_DEVICE_NAME, defaults={"confirmed": True}
            )
    return people


def _calendar() -> Calendar:
    calendar, _created = Calendar.objects.get_or_create(
        code="fr-zone-b", defaults={"name": "Académie de Lille (zone B)", "kind": CalendarKind.FR_ZONE}
    )
    calendars_import_ics(calendar=calendar, data=CALENDAR_FILE.read_bytes())
    return calendar


def _schools(calendar: Calendar, people: dict[str, User]) -> list[tuple[School, User, User]]:
    districts = {}
    for code, name, inspector in DISTRICTS:
        districts[code], _ = District.objects.get_or_create(
            code=code, defaults={"name": name, "department": "Pas-de-Calais", "inspector": people[inspector]}
        )
    districts["arras-1"].resource_teachers.add(people["ertuic.arras"])
    result = []
    for number, name, street, postcode, city, district, key in SCHOOLS:
        school, _ = School.objects.get_or_create(
            official_number=number,
            defaults={
                "name": name,
                "network": Network.OTHER,
                "street": street,
                "postcode": postcode,
                "city": city,
                "region": Region.PAS_DE_CALAIS,
                "district": districts[district].name,
                "inspection_district": districts[district],
                "eligible_mobile_classroom": True,
                "calendar": calendar,
            },
        )
        (d_first, d_last), (t_first, t_last) = NAMES[key]
        director = _person(f"direction.{key}", d_first, d_last)
        teacher = _person(f"enseignant.{key}", t_first, t_last)
        Membership.objects.get_or_create(
            user=director, school=school, defaults={"role": MembershipRole.DIRECTOR}
        )
        Membership.objects.get_or_create(
            user=teacher, school=school, defaults={"role": MembershipRole.TEACHER}
        )
        result.append((school, director, teacher))
    # The directory's French school joins its district too.
    School.objects.filter(official_number="0620001A", inspection_district__isnull=True).update(
        inspection_district=districts["lens-2"]
    )
    return result


def _kits() -> list[Kit]:
    laptops, _ = KitType.objects.get_or_create(
        code="mobile-laptops",
        defaults={
            "name": "Classe mobile (15 ordinateurs portables)",
            "programme": Programme.MOBILE_CLASSROOM,
        },
    )
    tablets = KitType.objects.filter(code="mobile-classroom").first() or laptops
    types = {"mobile-classroom": tablets, "mobile-laptops": laptops}
    kits = []
    for code, type_code in KITS:
        kit = Kit.objects.filter(code=code).first() or kit_services.kit_register(
            kit=Kit(
                code=code,
                kit_type=types[type_code],
                region=Region.PAS_DE_CALAIS,
                depot="Atelier Canopé 62 - Arras",
            ),
            by=None,
        )
        kits.append(kit)
    return kits


def _campaign(calendar: Calendar, kits: list[Kit]) -> Campaign:
    today = timezone.localdate()
    year = (
        SchoolYear.objects.filter(calendar=calendar, end__gte=today).order_by("start").first()
        or SchoolYear.objects.filter(calendar=calendar).order_by("-start").first()
    )
    campaign = Campaign.objects.create(
        name=f"Classes mobiles 62 – {year.label}",
        school_year=year,
        opens_on=today - datetime.timedelta(days=45),
        closes_on=today + datetime.timedelta(days=45),
    )
    campaign.trimesters.set(year.trimesters.all())
    campaign.kits.set(kits)
    return campaign


def seed(stdout) -> None:
    ensure_staff_groups()
    calendar = _calendar()
    people = _people()
    schools = _schools(calendar, people)
    if Campaign.objects.filter(name__startswith="Classes mobiles 62").exists():
        return
    campaign = _campaign(calendar, _kits())
    with services.notifications_off():
        _applications(campaign, schools, people)
    stdout.write("Mobile classroom demo logins (password: demo):")
    for local, _first, _last, role in PROGRAMME_PEOPLE:
        stdout.write(f"  {ProgrammeRole(role).label:<45} {local}@{DEMO_DOMAIN}")
    stdout.write(
        f"  {'Director, teacher (École Jean Moulin, Arras)':<45} direction.moulin@{DEMO_DOMAIN}, enseignant.moulin@{DEMO_DOMAIN}"
    )


PROJECTS = [
    (
        "CM1 A",
        ClassLevel.CM1,
        26,
        "Réaliser un journal numérique de l'école.",
        "Reportages, photos, mise en page, publication sur l'ENT.",
    ),
    (
        "CE2",
        ClassLevel.CE2,
        22,
        "Découvrir la programmation avec des robots.",
        "Défis de programmation, tutoriels vidéo réalisés par les élèves.",
    ),
    (
        "CM2 B",
        ClassLevel.CM2,
        25,
        "Correspondance numérique avec une école anglaise.",
        "Visioconférences, livre numérique bilingue.",
    ),
    (
        "CP",
        ClassLevel.CP,
        19,
        "Apprendre à lire avec des livres sonores.",
        "Enregistrement de lectures, album sonore de la classe.",
    ),
    (
        "CM1-CM2",
        ClassLevel.MIXED,
        24,
        "Un herbier numérique de la commune.",
        "Sorties photo, fiches d'espèces, carte interactive.",
    ),
]


def _draft(campaign: Campaign, school: School, teacher: User, n: int) -> Application:
    name, level, pupils, objectives, activities = PROJECTS[n % len(PROJECTS)]
    trimesters = list(campaign.trimesters.order_by("start"))
    data = services.ApplicationData(
        class_name=name,
        level=level,
        pupil_count=pupils,
        teachers=[teacher],
        objectives=objectives,
        activities=activities,
        b2i_link="Valider les items du B2i école (domaines 1 à 4) pour toute la classe.",
        municipality_information="Courrier au maire et invitation à la journée de présentation.",
        equipment="Deux ordinateurs de plus de dix ans, pas de tablette, connexion correcte.",
        municipality_contact="Service éducation de la mairie",
        municipality_email="education@mairie.example.fr",
        preferred_trimesters=trimesters[1:] if n % 2 else trimesters[:2],
    )
    return services.application_save_draft(by=teacher, school=school, campaign=campaign, data=data)


def _sent(campaign, school, director, teacher, people, n, *, opinion=True) -> Application:
    application = _draft(campaign, school, teacher, n)
    services.application_submit(application=application, by=director)
    if opinion:
        inspector = school.inspection_district.inspector
        services.application_give_opinion(
            application=application,
            by=inspector,
            opinion=[Opinion.FAVOURABLE, Opinion.RESERVED, Opinion.FAVOURABLE][n % 3],
            comment="Projet cohérent, équipe motivée.",
            shared=n % 2 == 0,
        )
    return application


def _session(campaign, people, days: int):
    return services.session_create(
        campaign=campaign,
        by=people["cpd.tuic"],
        held_on=timezone.localdate() + datetime.timedelta(days=days),
        place="DSDEN du Pas-de-Calais, Arras",
        chair=people["ien.tuic"],
        members=[people["ien.tuic"], people["canope.arras"], people["cpd.tuic"]],
    )


def _applications(campaign: Campaign, schools, people) -> None:
    """Applications in every state: before the commission, then through three sessions."""
    (
        (moulin, d_moulin, t_moulin),
        (ferry, d_ferry, t_ferry),
        (pasteur, d_pasteur, t_pasteur),
        (
            hugo,
            _d_hugo,
            _t_hugo,
        ),
        (curie, d_curie, t_curie),
    ) = schools
    # A draft, and a school invited by its inspector.
    _draft(campaign, moulin, t_moulin, 0)
    services.application_invite(
        campaign=campaign,
        school=hugo,
        by=people["ien.arras"],
        reason="Taux de validation du B2i de 38 % l'an dernier.",
        b2i_rate=38,
    )
    # Waiting for an opinion; with an opinion; withdrawn.
    _sent(campaign, ferry, d_ferry, t_ferry, people, 1, opinion=False)
    _sent(campaign, pasteur, d_pasteur, t_pasteur, people, 2)
    withdrawn = _sent(campaign, curie, d_curie, t_curie, people, 3, opinion=False)
    services.application_withdraw(application=withdrawn, by=d_curie, reason="L'enseignante change d'école.")
    _sessions(campaign, schools, people)


def _sessions(campaign: Campaign, schools, people) -> None:
    """A past session decided (accepted, refused), one sent for decision, one in preparation."""
    (
        (moulin, d_moulin, t_moulin),
        (ferry, d_ferry, t_ferry),
        _pasteur,
        (hugo, d_hugo, t_hugo),
        (
            curie,
            d_curie,
            t_curie,
        ),
    ) = schools
    adviser = people["cpd.tuic"]
    trimesters = list(campaign.trimesters.order_by("start"))
    kit_types = sorted(
        {kit.kit_type for kit in campaign.kits.select_related("kit_type")}, key=lambda k: k.code
    )
    decided = _session(campaign, people, -20)
    accepted = _sent(campaign, moulin, d_moulin, t_moulin, people, 4)
    refused = _sent(campaign, curie, d_curie, t_curie, people, 0)
    first, second = services.session_add_applications(
        session=decided, by=adviser, applications=[accepted, refused]
    )
    services.proposal_record(
        proposal=first,
        by=adviser,
        rank=1,
        outcome=ProposalOutcome.ACCEPT,
        trimester=trimesters[1],
        kit_type=kit_types[0],
    )
    services.proposal_record(
        proposal=second,
        by=adviser,
        rank=2,
        outcome=ProposalOutcome.REFUSE,
        reason="Le projet ne dit pas comment la commune est associée.",
    )
    services.session_record_presence(
        session=decided, by=adviser, present=list(decided.members.all()), notes="Quorum atteint."
    )
    services.session_send_proposals(session=decided, by=adviser)
    services.session_decide_all(session=decided, by=people["dasen"])
    waiting = _session(campaign, people, -2)
    scheduled = _sent(campaign, ferry, d_ferry, t_ferry, people, 2)
    (proposal,) = services.session_add_applications(session=waiting, by=adviser, applications=[scheduled])
    services.proposal_record(
        proposal=proposal,
        by=adviser,
        rank=1,
        outcome=ProposalOutcome.ACCEPT,
        trimester=trimesters[2],
        kit_type=kit_types[-1],
    )
    services.session_send_proposals(session=waiting, by=adviser)
    coming = _session(campaign, people, 5)
    examined = _sent(campaign, hugo, d_hugo, t_hugo, people, 3)
    services.session_add_applications(session=coming, by=adviser, applications=[examined])
