from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = _("Schools and people")

    def ready(self):
        from . import roles
        from .calendars import forget_default_school_days
        from .models import Calendar, Holiday, SchoolYear

        post_migrate.connect(roles.ensure_staff_groups_after_migrate, sender=self)
        for model in (Calendar, SchoolYear, Holiday):
            post_save.connect(forget_default_school_days, sender=model, dispatch_uid=f"days-{model.__name__}")
            post_delete.connect(
                forget_default_school_days, sender=model, dispatch_uid=f"days-{model.__name__}"
            )
