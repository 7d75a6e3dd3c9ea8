"""Demo directory: calendars, schools, classes and one account per role.

Objects are only created when missing, never updated, so running it twice changes nothing.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group

from .calendar_import import calendars_import_ics
from .models import (
    Calendar,
    CalendarKind,
    Holiday,
    Membership,
    MembershipRole,
    Network,
    Region,
    School,
    SchoolClass,
    SchoolYear,
    StaffRole,
    Trimester,
    User,
)
from .roles import ensure_staff_groups

FRENCH_CALENDAR_FILE = Path(__file__).parent / "fixtures" / "calendrier-zone-b.ics"

D = datetime.date

FWB_YEARS = {
    "2025-2026": (
        (D(2025, 8, 25), D(2026, 7, 3)),
        [(D(2025, 8, 25), D(2025, 12, 19)), (D(2026, 1, 5), D(2026, 4, 3)), (D(2026, 4, 20), D(2026, 7, 3))],
        [
            ("Congé d'automne", D(2025, 10, 20), D(2025, 10, 31)),
            ("Armistice", D(2025, 11, 11), D(2025, 11, 11)),
            ("Vacances d'hiver", D(2025, 12, 22), D(2026, 1, 2)),
            ("Congé de détente", D(2026, 2, 16), D(2026, 2, 27)),
            ("Vacances de printemps", D(2026, 4, 6), D(2026, 4, 17)),
            ("Ascension", D(2026, 5, 14), D(2026, 5, 14)),
            ("Lundi de Pentecôte", D(2026, 5, 25), D(2026, 5, 25)),
        ],
    ),
    "2026-2027": (
        (D(2026, 8, 31), D(2027, 7, 2)),
        [(D(2026, 8, 31), D(2026, 12, 18)), (D(2027, 1, 4), D(2027, 3, 26)), (D(2027, 4, 12), D(2027, 7, 2))],
        [
            ("Congé d'automne", D(2026, 10, 19), D(2026, 10, 30)),
            ("Armistice", D(2026, 11, 11), D(2026, 11, 11)),
            ("Vacances d'hiver", D(2026, 12, 21), D(2027, 1, 1)),
            ("Congé de détente", D(2027, 2, 15), D(2027, 2, 26)),
            ("Lundi de Pâques", D(2027, 3, 29), D(2027, 3, 29)),
            ("Vacances de printemps", D(2027, 3, 29), D(2027, 4, 9)),
            ("Ascension", D(2027, 5, 6), D(2027, 5, 6)),
            ("Lundi de Pentecôte", D(2027, 5, 17), D(2027, 5, 17)),
        ],
    ),
}

DEMO_SCHOOLS = [
    # official number, name, network, street, postcode, city, region, district, in_fwb, mobile
    (
        "1001",
        "École fondamentale des Tilleuls",
        Network.OFFICIAL,
        "Rue des Tilleuls 12",
        "1130",
        "Bruxelles",
        Region.BRUSSELS,
        "Bruxelles-Nord",
        True,
        False,
    ),
    (
        "1002",
        "Athénée royal de Namur",
        Network.WBE,
        "Avenue de la Gare 3",
        "5000",
        "Namur",
        Region.NAMUR,
        "Namur",
        True,
        False,
    ),
    (
        "1003",
        "Institut Saint-Joseph",
        Network.FREE_CONFESSIONAL,
        "Rue du Collège 7",
        "7000",
        "Mons",
        Region.HAINAUT,
        "Mons-Borinage",
        True,
        True,
    ),
    (
        "1004",
        "École communale du Centre",
        Network.OFFICIAL,
        "Place communale 1",
        "4000",
        "Liège",
        Region.LIEGE,
        "Liège",
        True,
        False,
    ),
    (
        "0620001A",
        "École primaire Jean Jaurès",
        Network.OTHER,
        "Rue Jean Jaurès 5",
        "62300",
        "Lens",
        Region.PAS_DE_CALAIS,
        "Lens",
        False,
        True,
    ),
]

DEMO_CLASSES = {
    "1001": [("P3", "3e primaire"), ("P5", "5e primaire"), ("P6", "6e primaire")],
    "1002": [("1A", "1re secondaire"), ("3B", "3e secondaire"), ("5C", "5e secondaire")],
    "1003": [("2A", "2e secondaire")],
    "1004": [("P4", "4e primaire")],
    "0620001A": [("CM1", "CM1")],
}

# email, first, last, staff role or None, school number, membership role
DEMO_USERS = [
    ("coordinator@demo.classcontact.be", "Claire", "Dubois", StaffRole.COORDINATOR, None, None),
    ("technician@demo.classcontact.be", "Thomas", "Lambert", StaffRole.TECHNICIAN, None, None),
    ("helpdesk@demo.classcontact.be", "Hélène", "Martin", StaffRole.HELPDESK_AGENT, None, None),
    ("director.tilleuls@demo.classcontact.be", "Daniel", "Peeters", None, "1001", MembershipRole.DIRECTOR),
    ("director.namur@demo.classcontact.be", "Nadia", "Renard", None, "1002", MembershipRole.DIRECTOR),
    ("teacher.tilleuls@demo.classcontact.be", "Théo", "Leroy", None, "1001", MembershipRole.TEACHER),
]

DEMO_LOGINS = [(email, role or membership) for email, _f, _l, role, _s, membership in DEMO_USERS]


def _seed_calendars() -> Calendar:
    fwb, _ = Calendar.objects.get_or_create(
        code="fwb",
        defaults={"name": "Fédération Wallonie-Bruxelles", "kind": CalendarKind.FWB, "is_default": True},
    )
    for label, ((start, end), trimesters, holidays) in FWB_YEARS.items():
        year, _ = SchoolYear.objects.get_or_create(
            calendar=fwb, label=label, defaults={"start": start, "end": end}
        )
        for number, (t_start, t_end) in enumerate(trimesters, start=1):
            Trimester.objects.get_or_create(
                school_year=year, number=number, defaults={"start": t_start, "end": t_end}
            )
        for name, h_start, h_end in holidays:
            Holiday.objects.get_or_create(calendar=fwb, name=name, start=h_start, defaults={"end": h_end})
    french, _ = Calendar.objects.get_or_create(
        code="fr-zone-b", defaults={"name": "Académie de Lille (zone B)", "kind": CalendarKind.FR_ZONE}
    )
    # The French schools' calendar comes with its trimesters, so their classes can be booked.
    calendars_import_ics(calendar=french, data=FRENCH_CALENDAR_FILE.read_bytes())
    return fwb


def seed(stdout) -> None:
    ensure_staff_groups()
    fwb = _seed_calendars()
    french = Calendar.objects.get(code="fr-zone-b")
    schools = {}
    for number, name, network, street, postcode, city, region, district, in_fwb, mobile in DEMO_SCHOOLS:
        schools[number], _ = School.objects.get_or_create(
            official_number=number,
            defaults={
                "name": name,
                "network": network,
                "street": street,
                "postcode": postcode,
                "city": city,
                "region": region,
                "district": district,
                "in_fwb": in_fwb,
                "eligible_mobile_classroom": mobile,
                "calendar": fwb if in_fwb else french,
            },
        )
        for class_name, level in DEMO_CLASSES[number]:
            SchoolClass.objects.get_or_create(
                school=schools[number], name=class_name, school_year="2026-2027", defaults={"level": level}
            )
    for email, first, last, staff_role, school_number, membership_role in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, first_name=first, last_name=last, is_staff=bool(staff_role))
            if settings.DEMO_MODE:
                user.set_password("demo")
            else:
                user.set_unusable_password()
            user.save()
            if staff_role:
                user.groups.add(Group.objects.get(name=staff_role))
        if school_number:
            Membership.objects.get_or_create(
                user=user, school=schools[school_number], defaults={"role": membership_role}
            )
    stdout.write("Demo logins (password: demo):")
    for email, role in DEMO_LOGINS:
        stdout.write(f"  {role:<15} {email}")
