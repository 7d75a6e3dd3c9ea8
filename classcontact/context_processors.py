from django.conf import settings


def portal(request):
    from schools.models import StaffRole
    from schools.roles import user_has_right
    from schools.selectors import user_has_staff_role, user_is_staff_member

    user = getattr(request, "user", None)
    is_staff = bool(user and user_is_staff_member(user))
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "is_staff_member": is_staff,
        "is_coordinator": is_staff and user_has_staff_role(user, StaffRole.COORDINATOR),
        # The programme's dashboard: staff whose role may read the cases (schools/roles.py).
        "sees_programme_dashboard": is_staff and user_has_right(user, "view", "cases.connectioncase"),
    }
