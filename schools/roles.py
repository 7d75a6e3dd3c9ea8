"""Staff roles as Django groups, with permissions derived from the apps they work in.

The groups are brought up to date after every migration, so a model added later gets
its permissions in every role without a hand-written data migration.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .models import StaffRole

PROJECT_APPS = ("schools", "loans", "cases", "conventions", "helpdesk")

# role -> list of (app label, actions); "*" means every action.
ROLE_PERMISSIONS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    StaffRole.COORDINATOR: [
        *((app, ("*",)) for app in PROJECT_APPS),
        ("axes", ("view", "delete")),
    ],
    StaffRole.TECHNICIAN: [
        ("schools", ("view",)),
        ("loans", ("view", "change", "add")),
        ("cases", ("view",)),
        ("helpdesk", ("view",)),
    ],
    StaffRole.HELPDESK_AGENT: [
        ("schools", ("view",)),
        ("loans", ("view",)),
        ("cases", ("view",)),
        ("helpdesk", ("*",)),
    ],
    StaffRole.READ_ONLY: [(app, ("view",)) for app in PROJECT_APPS],
}


def _permissions_for(rules) -> list[Permission]:
    query = Q(pk__in=[])
    for app_label, actions in rules:
        app_query = Q(content_type__app_label=app_label)
        if "*" not in actions:
            app_query &= Q(codename__regex=rf"^({'|'.join(actions)})_")
        query |= app_query
    return list(Permission.objects.filter(query))


def ensure_staff_groups() -> None:
    for role, rules in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions_for(rules))


def ensure_staff_groups_after_migrate(sender, **kwargs) -> None:
    ensure_staff_groups()
