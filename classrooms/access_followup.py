"""How a view fetches a class's follow-up and its files: anyone who may not see it gets a 404."""

from django.http import Http404

from . import roles
from .models import Application, ClassFollowUp, Production, ReportJob
from .selectors import member_school_ids
from .selectors_followup import followed_classes_visible_to, followup_page, productions_visible_to


def _one(queryset, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404
    return found


def access_followed_class(user, application_id, *, for_page: bool = False) -> Application:
    """A class its school, its district's inspector, the programme's staff or its resource teacher follows."""
    queryset = followed_classes_visible_to(user)
    return _one(followup_page(queryset) if for_page else queryset, public_id=application_id)


def access_class_for_school(user, application_id) -> Application:
    """A class of one of the person's schools (the presentation day, the productions, the evaluation)."""
    application = access_followed_class(user, application_id)
    if application.school_id not in member_school_ids(user):
        raise Http404
    return application


def access_class_for_resource_teacher(user, application_id) -> Application:
    """A class assigned to the person as its resource teacher (notes, visits, the municipality)."""
    application = access_followed_class(user, application_id)
    if not ClassFollowUp.objects.filter(application=application, resource_teacher=user).exists():
        raise Http404
    return application


def access_class_to_assign(user, application_id) -> Application:
    """A class whose resource teacher the adviser assigns."""
    if not roles.is_adviser(user):
        raise Http404
    return access_followed_class(user, application_id)


def access_production(user, production_id: int) -> Production:
    return _one(productions_visible_to(user).select_related("application"), pk=production_id)


def access_report_job(user, job_id) -> ReportJob:
    """The person who asked for the report's PDF, and nobody else."""
    if not roles.reads_yearly_report(user):
        raise Http404
    return _one(ReportJob.objects.filter(created_by=user), public_id=job_id)
