from django import template

from schools.otp import session_is_verified
from schools.selectors import user_is_staff_member

from .. import roles
from ..models import DEPLOYMENT_STATES
from ..selectors import schools_applying

register = template.Library()


def _may_have_a_role(request) -> bool:
    """Whether the person may hold a programme role, without asking the database when not.

    Programme roles need a second factor: a session that is not verified (a director or a
    teacher without one) holds none. Staff pages keep their query budget: staff see the
    programme's entries on its own pages, where the roles are read anyway.
    """
    on_programme_page = (
        request.resolver_match is not None and request.resolver_match.namespace == "classrooms"
    )
    if user_is_staff_member(request.user):
        return on_programme_page
    return session_is_verified(request)


@register.simple_tag(takes_context=True)
def classroom_nav(context) -> dict:
    """Which of the programme's entries the navigation bar shows to the person."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cached = getattr(request, "_classroom_nav", None)
    if cached is not None:
        return cached
    has_role = _may_have_a_role(request) and roles.has_programme_role(user)
    on_programme_page = (
        request.resolver_match is not None and request.resolver_match.namespace == "classrooms"
    )
    cached = {
        "programme": has_role,
        # School members reach the programme from their dashboard; the entry shows on its pages.
        "school": not has_role and on_programme_page and schools_applying(user).exists(),
        "inbox": has_role and roles.is_inspector(user),
        "review": has_role and (roles.follows_all(user) or roles.is_resource_teacher(user)),
        "sessions": has_role and roles.reads_sessions(user),
        "decisions": has_role and roles.decides(user),
        "plan": has_role and (roles.follows_all(user) or roles.plans_deployment(user)),
        "my_classes": has_role and roles.is_resource_teacher(user),
        "report": has_role and roles.follows_all(user),
    }
    request._classroom_nav = cached
    return cached


@register.filter
def is_deployed(application) -> bool:
    """Whether the class was accepted: its follow-up page exists (from the decision to the evaluation)."""
    return application.status in DEPLOYMENT_STATES
