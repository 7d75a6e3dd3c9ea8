"""Who does what in the mobile classroom programme, by role (read from ``schools`` groups).

Each condition is its own small function, so that views, access and services ask the
same question the same way.
"""

from schools.models import ProgrammeRole, StaffRole
from schools.selectors import (
    managed_school_ids,
    user_has_programme_role,
    user_has_staff_role,
    user_programme_roles,
)

R = ProgrammeRole

#: Follow every application of the programme (the adviser, the commission, the decision maker).
FOLLOW_ALL = (R.ADVISER, R.COMMISSION_MEMBER, R.COMMISSION_CHAIR, R.DECISION_MAKER)
#: Prepare a commission session: the agenda, the ranking and the proposals.
PREPARE_SESSIONS = (R.ADVISER, R.COMMISSION_CHAIR)
#: Read commission sessions.
READ_SESSIONS = (R.ADVISER, R.COMMISSION_MEMBER, R.COMMISSION_CHAIR, R.DECISION_MAKER)


def follows_all(user) -> bool:
    return user_has_programme_role(user, *FOLLOW_ALL)


def is_inspector(user) -> bool:
    return user_has_programme_role(user, R.INSPECTOR)


def is_resource_teacher(user) -> bool:
    return user_has_programme_role(user, R.RESOURCE_TEACHER)


def is_adviser(user) -> bool:
    return user_has_programme_role(user, R.ADVISER)


def prepares_sessions(user) -> bool:
    return user_has_programme_role(user, *PREPARE_SESSIONS)


def reads_sessions(user) -> bool:
    return user_has_programme_role(user, *READ_SESSIONS)


def decides(user) -> bool:
    return user_has_programme_role(user, R.DECISION_MAKER)


def has_programme_role(user) -> bool:
    return bool(user_programme_roles(user))


def manages_school(user, school_id: int) -> bool:
    """A director or delegate of the school (they submit and withdraw)."""
    return school_id in managed_school_ids(user)


#: Place the accepted classes on the deployment plan and plan their visits.
PLAN_DEPLOYMENT = (R.ADVISER, R.COMMISSION_CHAIR)


def plans_deployment(user) -> bool:
    return user_has_programme_role(user, *PLAN_DEPLOYMENT)


def reads_yearly_report(user) -> bool:
    """The programme's staff (the adviser, the commission, the decision maker) and the portal's coordinators."""
    return follows_all(user) or user_has_staff_role(user, StaffRole.COORDINATOR)
