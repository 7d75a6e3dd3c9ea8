"""Reads of the school directory, always scoped to what a user may see."""

from dataclasses import dataclass

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Count, F, FilteredRelation, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from classcontact.postgresql import columns

from .models import Invitation, Membership, MembershipRole, ProgrammeRole, School, StaffRole, User


def user_is_staff_member(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def user_staff_roles(user) -> set[str]:
    if not user_is_staff_member(user):
        return set()
    if user.is_superuser:
        return {StaffRole.COORDINATOR.value}
    return _role_names(user) & set(StaffRole.values)


ROLE_NAMES = (*StaffRole.values, *ProgrammeRole.values)


def _role_names(user) -> set[str]:
    """The names of the person's staff and programme roles, read once for the request (one
    query answers both questions: a staff member may also hold a programme role)."""
    cached = getattr(user, "_role_names_cache", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=ROLE_NAMES).values_list("name", flat=True))
        user._role_names_cache = cached
    return cached


def user_with_roles(user_id) -> User | None:
    """A person with the names of their roles, in one query. The login backend loads the
    person of each request so, and the role questions of the request ask the database nothing
    more. On PostgreSQL the roles come as an array beside the person's columns, from a
    statement written once: building it through the ORM cost each page more than running it."""
    if connection.vendor != "postgresql":
        return user_with_roles_joined(user_id)
    rows = list(User._default_manager.raw(_USER_WITH_ROLES, [list(ROLE_NAMES), user_id]))
    if not rows:
        return None
    user = rows[0]
    user._role_names_cache = set(user.role_names)
    return user


def user_with_roles_joined(user_id) -> User | None:
    """``user_with_roles`` through the ORM, for any database: a row per role (or one without),
    the roles joined on the condition that they are roles."""
    rows = list(
        User._default_manager.annotate(
            role=FilteredRelation("groups", condition=Q(groups__name__in=ROLE_NAMES)),
            role_name=F("role__name"),
        ).filter(pk=user_id)
    )
    if not rows:
        return None
    user = rows[0]
    user._role_names_cache = {row.role_name for row in rows if row.role_name}
    return user


# Table names from the models, no value from outside: those travel as parameters.
_USER_WITH_ROLES = (
    f"SELECT {columns(User, 'person')}, ARRAY(SELECT role.name FROM {Group._meta.db_table} role"  # noqa: S608
    f" JOIN {User.groups.through._meta.db_table} held ON held.group_id = role.id"
    " WHERE held.user_id = person.id AND role.name = ANY(%s)) AS role_names"
    f" FROM {User._meta.db_table} person WHERE person.id = %s"
)


def user_has_staff_role(user, *roles: str) -> bool:
    return bool(user_staff_roles(user) & set(roles))


def user_programme_roles(user) -> set[str]:
    """The mobile classroom programme's roles of an active person (cached for one request)."""
    if not (user.is_authenticated and user.is_active):
        return set()
    return _role_names(user) & set(ProgrammeRole.values)


def user_has_programme_role(user, *roles: str) -> bool:
    return bool(user_programme_roles(user) & set(roles))


def schools_visible_to(user) -> QuerySet[School]:
    """Staff see every school; anyone else sees the schools they belong to."""
    if user_is_staff_member(user):
        return School.objects.all()
    if not user.is_authenticated:
        return School.objects.none()
    return School.objects.filter(memberships__user=user).distinct()


def schools_managed_by(user) -> QuerySet[School]:
    """Schools where the user is the director or the director's delegate."""
    if not user.is_authenticated:
        return School.objects.none()
    return School.objects.filter(
        memberships__user=user,
        memberships__role__in=[MembershipRole.DIRECTOR, MembershipRole.DELEGATE],
    ).distinct()


def memberships_of(user) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("school")


def school_members(school: School) -> QuerySet[Membership]:
    return school.memberships.select_related("user").order_by("role", "user__last_name", "user__email")


def school_pending_invitations(school: School) -> QuerySet[Invitation]:
    return school.invitations.filter(accepted_at__isnull=True).order_by("-created_at")


def memberships_for_dashboard(user) -> list[Membership]:
    """The user's memberships with each school's team and classes, in a fixed number of queries."""
    return list(
        memberships_of(user)
        .order_by("school__name")
        .prefetch_related(
            Prefetch(
                "school__memberships",
                queryset=Membership.objects.select_related("user").order_by(
                    "role", "user__last_name", "user__email"
                ),
            ),
            "school__classes",
        )
    )


# Up to this many schools, a search filters rows by a list of school ids (an indexed column
# the planner combines with the other indexes of the search); beyond it, by a subquery.
SCHOOL_ID_LIST_LIMIT = 200


def school_search_q(text: str, *, field: str = "school") -> Q:
    """Rows (through their ``field``) of the schools whose official number is ``text`` or
    whose name contains it (one query, on the schools' trigram indexes)."""
    schools = School.objects.filter(Q(official_number__iexact=text) | Q(name__icontains=text))
    ids = list(schools.order_by("pk").values_list("pk", flat=True)[: SCHOOL_ID_LIST_LIMIT + 1])
    if len(ids) > SCHOOL_ID_LIST_LIMIT:
        return Q(**{f"{field}__in": schools.values("pk")})
    return Q(**{f"{field}_id__in": ids})


def schools_for_staff_list(
    *, query: str = "", region: str = "", in_fwb: bool | None = None
) -> QuerySet[School]:
    """Every school with its number of people, filtered; one query whatever the number of rows."""
    # A count per school shown, not one grouped over the whole directory.
    members = Membership.objects.filter(school=OuterRef("pk")).order_by().values("school")
    schools = School.objects.annotate(
        member_count=Coalesce(Subquery(members.annotate(n=Count("pk")).values("n")), 0)
    )
    query = query.strip()
    if query:
        schools = schools.filter(
            Q(name__icontains=query) | Q(official_number__iexact=query) | Q(city__icontains=query)
        )
    if region:
        schools = schools.filter(region=region)
    if in_fwb is not None:
        schools = schools.filter(in_fwb=in_fwb)
    return schools.order_by("name", "pk")


def _cooloff_start():
    return timezone.now() - get_cool_off()


def login_attempts() -> QuerySet[AccessAttempt]:
    """Failed logins still counted by django-axes (within the cool-off), newest first."""
    return AccessAttempt.objects.filter(attempt_time__gte=_cooloff_start()).order_by("-attempt_time", "-pk")


def locked_login_count() -> int:
    return login_attempts().filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).count()


def staff_home_figures() -> dict[str, int]:
    return {
        "school_count": School.objects.count(),
        "director_count": Membership.objects.filter(
            role__in=[MembershipRole.DIRECTOR, MembershipRole.DELEGATE]
        ).count(),
        "pending_invitations": Invitation.objects.filter(
            accepted_at__isnull=True, expires_at__gt=timezone.now()
        ).count(),
        "locked_logins": locked_login_count(),
    }


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


def _display(field, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    choices = dict(field.flatchoices) if field.choices else {}
    return str(choices.get(value, value))


def history_with_changes(history: QuerySet, *, limit: int = 200) -> list:
    """The newest ``limit`` history records, each with ``changes``: the fields it changed.

    One query: each record is compared with the next older one fetched in the same slice.
    """
    records = list(
        history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    for newer, older in zip(records, [*records[1:], None], strict=True):
        changes = []
        if older is not None and newer.history_type == "~":
            model = newer.instance_type
            for change in newer.diff_against(older).changes:
                field = model._meta.get_field(change.field)
                changes.append(
                    FieldChange(
                        field=str(field.verbose_name),
                        old=_display(field, change.old),
                        new=_display(field, change.new),
                    )
                )
        newer.changes = changes
    return records[:limit]


MANAGER_ROLES = (MembershipRole.DIRECTOR, MembershipRole.DELEGATE)


def managed_school_ids(user) -> list[int]:
    """Schools the user directs (or is delegate of), cached on the user for one request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_managed_school_ids", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, role__in=MANAGER_ROLES)
            .order_by("school_id")
            .values_list("school_id", flat=True)
        )
        user._managed_school_ids = cached
    return cached
