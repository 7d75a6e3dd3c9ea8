from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = _("Schools and people")

    def ready(self):
        from . import roles
        from .calendars import DEFAULT_SCHOOL_DAYS

        post_migrate.connect(roles.ensure_staff_groups_after_migrate, sender=self)
        DEFAULT_SCHOOL_DAYS.connect()
