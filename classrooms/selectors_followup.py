"""Reads of a class's follow-up: who sees it, a resource teacher's classes, the page's data.

A follow-up is seen by its school, its district's inspector, the programme's staff (the
adviser, the commission, the decision maker) and its assigned resource teacher: nobody else.
"""

from django.db.models import Prefetch, Q, QuerySet

from schools.models import ProgrammeRole, User

from . import roles
from .models import DEPLOYMENT_STATES, Application, ClassFollowUp, FollowUpNote, Production
from .selectors import member_school_ids


def followed_classes_visible_to(user) -> QuerySet[Application]:
    """Accepted classes (from the decision to the evaluation) the person may follow."""
    if not (user.is_authenticated and user.is_active):
        return Application.objects.none()
    deployed = Application.objects.filter(status__in=DEPLOYMENT_STATES)
    if roles.follows_all(user):
        return deployed
    scope = Q(school_id__in=member_school_ids(user))
    if roles.is_inspector(user):
        scope |= Q(school__inspection_district__inspector=user)
    if roles.is_resource_teacher(user):
        scope |= Q(followup__resource_teacher=user)
    return deployed.filter(scope)


def classes_of_resource_teacher(user) -> QuerySet[Application]:
    """The classes assigned to a resource teacher, the running ones first."""
    return (
        Application.objects.filter(status__in=DEPLOYMENT_STATES, followup__resource_teacher=user)
        .select_related("school", "accepted_trimester__school_year", "followup")
        .order_by("accepted_trimester__start", "school__name", "pk")
    )


def followup_page(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """What a follow-up page shows, in a fixed number of queries."""
    return queryset.select_related(
        "campaign",
        "school__inspection_district__inspector",
        "accepted_trimester__school_year",
        "accepted_kit_type",
        "followup__resource_teacher",
        "followup__b2i_checked_by",
    ).prefetch_related(
        Prefetch(
            "followup_notes", queryset=FollowUpNote.objects.select_related("author").order_by("-on", "-pk")
        ),
        Prefetch("productions", queryset=Production.objects.order_by("created_at", "pk")),
    )


def followup_of(application: Application) -> ClassFollowUp:
    """The application's follow-up row (unsaved and empty when nothing was recorded yet)."""
    try:
        return application.followup
    except ClassFollowUp.DoesNotExist:
        return ClassFollowUp(application=application)


def resource_teachers() -> QuerySet[User]:
    """The active resource teachers, to assign one to a class."""
    return (
        User.objects.filter(is_active=True, groups__name=ProgrammeRole.RESOURCE_TEACHER)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def productions_visible_to(user) -> QuerySet[Production]:
    return Production.objects.filter(application__in=followed_classes_visible_to(user))
