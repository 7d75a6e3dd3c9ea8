"""A case keeps its school's region (``ConnectionCase.school_region``).

The board filters open cases by region and shows the newest first: with the region on the
case, one index of the cases serves both, whatever the number of cases and schools. A new
case takes its school's region when it is saved the first time; a school moved to another
region takes its cases along, in the same transaction.
"""

from django.db.models.signals import post_save, pre_save

from schools.models import School

from .models import ConnectionCase


def case_region_fill(sender, instance: ConnectionCase, **kwargs) -> None:
    if instance._state.adding and not instance.school_region and instance.school_id:
        instance.school_region = instance.school.region


def school_region_follow(sender, instance: School, created: bool, update_fields=None, **kwargs) -> None:
    if created or (update_fields is not None and "region" not in update_fields):
        return
    ConnectionCase.objects.filter(school=instance).exclude(school_region=instance.region).update(
        school_region=instance.region
    )


def school_region_connect() -> None:
    pre_save.connect(case_region_fill, sender=ConnectionCase, dispatch_uid="case_region_fill")
    post_save.connect(school_region_follow, sender=School, dispatch_uid="school_region_follow")
