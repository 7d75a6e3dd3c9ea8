"""Directory at scale for `make bench`: schools, classes and their people."""

from django.contrib.auth.hashers import make_password

from classcontact.bench import BenchPage

from .models import Membership, MembershipRole, Network, Region, School, SchoolClass, User

SCHOOLS = 3000
BENCH_DIRECTOR = "bench.director@bench.classcontact.be"
BENCH_COORDINATOR = "bench.coordinator@bench.classcontact.be"


def seed(*, stdout, scale: int = 1) -> None:
    from django.contrib.auth.models import Group

    from .roles import ensure_staff_groups

    ensure_staff_groups()
    schools_wanted = SCHOOLS * scale
    existing = School.objects.filter(official_number__startswith="B").count()
    if existing < schools_wanted:
        regions = list(Region.values)
        School.objects.bulk_create(
            [
                School(
                    name=f"École bench {n:05d}",
                    official_number=f"B{n:06d}",
                    network=Network.OFFICIAL,
                    city=f"Ville {n % 250}",
                    postcode=f"{1000 + n % 8000}",
                    region=regions[n % len(regions)],
                    in_fwb=n % 10 != 0,
                )
                for n in range(existing, schools_wanted)
            ],
            batch_size=1000,
        )
        schools = list(School.objects.filter(official_number__startswith="B", classes__isnull=True))
        SchoolClass.objects.bulk_create(
            [
                SchoolClass(school=s, name=f"P{k}", school_year="2026-2027")
                for s in schools
                for k in range(1, 7)
            ],
            batch_size=2000,
        )
        users = User.objects.bulk_create(
            [
                User(email=f"director{s.pk}@bench.classcontact.be", password=make_password(None))
                for s in schools
            ],
            batch_size=1000,
        )
        Membership.objects.bulk_create(
            [
                Membership(user=u, school=s, role=MembershipRole.DIRECTOR)
                for u, s in zip(users, schools, strict=True)
            ],
            batch_size=1000,
        )
    if not User.objects.filter(email=BENCH_COORDINATOR).exists():
        user = User.objects.create_user(email=BENCH_COORDINATOR, is_staff=True)
        user.groups.add(Group.objects.get(name="coordinator"))
    if not User.objects.filter(email=BENCH_DIRECTOR).exists():
        director = User.objects.create_user(email=BENCH_DIRECTOR)
        Membership.objects.create(
            user=director, school=School.objects.get(official_number="B000001"), role=MembershipRole.DIRECTOR
        )


def pages() -> list[BenchPage]:
    return [
        # The budgets their tests assert (tests/schools/test_dashboard.py, tests/conventions/test_homes.py):
        # a line of what waits costs one query, and each app adds its own lines.
        BenchPage("director dashboard", "/schools/", BENCH_DIRECTOR, max_queries=13),
        BenchPage("staff home", "/staff/", BENCH_COORDINATOR, max_queries=16),
        BenchPage("staff school list", "/schools/staff/list/", BENCH_COORDINATOR, max_queries=12),
        BenchPage(
            "staff school list, search",
            "/schools/staff/list/?q=bench+0042",
            BENCH_COORDINATOR,
            max_queries=12,
        ),
        BenchPage(
            "staff school list, filter",
            "/schools/staff/list/?region=namur&in_fwb=yes",
            BENCH_COORDINATOR,
            max_queries=12,
        ),
    ]
