"""Reminder rules of a class after its delivery, run by the portal's reminder engine.

- The trimester (the loan) ends in two weeks → the school's director and delegates, so that
  the presentation day is prepared (due on that day, or the next school day).
- The evaluation is still missing 20 school days after the kit came back → the class's
  resource teacher.
"""

import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.models import Membership, MembershipRole
from schools.reminders import Occasion, Recipient, Rule, register, subject_of, subject_pk

from .models import Application, ApplicationStatus

A = ApplicationStatus
TRIMESTER_END_NOTICE_DAYS = 14
EVALUATION_WAIT_SCHOOL_DAYS = 20
MANAGERS = (MembershipRole.DIRECTOR, MembershipRole.DELEGATE)


def _of_subject(applications, subject: str | None):
    return applications if subject is None else applications.filter(pk=subject_pk(subject, Application))


def trimester_end_occasions(today: datetime.date, subject: str | None = None):
    """Classes with their kit whose trimester ends in the next two weeks, for their school."""
    managers = Membership.objects.filter(role__in=MANAGERS, user__is_active=True).select_related("user")
    applications = (
        Application.objects.filter(
            status__in=[A.DELIVERED, A.IN_PROGRESS],
            accepted_trimester__end__gte=today,
            accepted_trimester__end__lte=today + datetime.timedelta(days=TRIMESTER_END_NOTICE_DAYS),
        )
        .select_related("school", "accepted_trimester", "campaign__school_year__calendar")
        .prefetch_related(Prefetch("school__memberships", queryset=managers.order_by("user__email")))
        .order_by("pk")
    )
    for application in _of_subject(applications, subject):
        people = [membership.user for membership in application.school.memberships.all()]
        if not people:
            continue
        end = application.accepted_trimester.end
        yield Occasion(
            key=f"trimester_end:{application.pk}",
            since=end - datetime.timedelta(days=TRIMESTER_END_NOTICE_DAYS),
            school=application.school,
            calendar=application.campaign.school_year.calendar,
            recipients=[Recipient(person.email, person.language) for person in people],
            context={
                "class_name": application.class_display,
                "school_name": application.school.name,
                "ends_on": end,
                "application_id": str(application.public_id),
            },
            subject=subject_of(application),
        )


def evaluation_occasions(today: datetime.date, subject: str | None = None):  # noqa: ARG001
    """Returned classes not evaluated yet, for their resource teacher, counted from the return."""
    applications = (
        Application.objects.filter(
            status=A.RETURNED,
            followup__resource_teacher__isnull=False,
            followup__resource_teacher__is_active=True,
        )
        .select_related("school", "followup__resource_teacher", "campaign__school_year__calendar")
        .order_by("status_changed_at", "pk")
    )
    for application in _of_subject(applications, subject):
        teacher = application.followup.resource_teacher
        returned_on = timezone.localtime(application.status_changed_at).date()
        yield Occasion(
            key=f"evaluation:{application.pk}",
            since=returned_on,
            school=application.school,
            calendar=application.campaign.school_year.calendar,
            recipients=[Recipient(teacher.email, teacher.language)],
            context={
                "class_name": application.class_display,
                "school_name": application.school.name,
                "returned_on": returned_on,
                "application_id": str(application.public_id),
            },
            subject=subject_of(application),
        )


register(
    Rule(
        name="classrooms.trimester_end",
        occasions=trimester_end_occasions,
        steps=(0,),
        mail="classroom-trimester-end-reminder",
        label=_("Mobile classroom: the trimester ends in two weeks"),
    )
)
register(
    Rule(
        name="classrooms.evaluation_missing",
        occasions=evaluation_occasions,
        steps=(EVALUATION_WAIT_SCHOOL_DAYS,),
        mail="classroom-evaluation-reminder",
        label=_("Mobile classroom: evaluation missing after the return"),
    )
)
