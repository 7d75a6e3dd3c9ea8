"""Builders for the deployment of accepted classes: kits on the plan, visits, training sessions."""

import datetime

from django.utils import timezone

from classrooms import services
from classrooms.models import Application, ApplicationStatus, Opinion, TrainingSession
from loans.models import Kit
from schools.models import StaffRole
from tests.builders.classrooms import World, make_draft, make_kit_type, make_session
from tests.builders.loans import complete_installation, make_kit
from tests.builders.schools import make_staff

A = ApplicationStatus


def make_mobile_kit(*, owner: str = "", items: bool = True, code: str = "") -> Kit:
    """A kit of the mobile classroom type, with its items (the owner: a partner, or the programme)."""
    kit = make_kit(make_kit_type(), items=items, code=code)
    if owner:
        Kit.objects.filter(pk=kit.pk).update(owner=owner)
        kit.refresh_from_db()
    return kit


def make_technician(**fields):
    return make_staff(StaffRole.TECHNICIAN, **fields)


def make_accepted(world: World, count: int = 1, *, trimester_index: int = 1) -> list[Application]:
    """``count`` classes of school A accepted together by one commission session for one trimester."""
    drafts = [make_draft(world, class_name=f"CM1 {chr(65 + n)}") for n in range(count)]
    for application in drafts:
        services.application_submit(application=application, by=world.director_a)
        services.application_give_opinion(
            application=application, by=world.inspector_a, opinion=Opinion.FAVOURABLE, comment="Bien."
        )
    session = make_session(world)
    proposals = services.session_add_applications(session=session, by=world.adviser, applications=drafts)
    trimester = world.campaign.trimesters.order_by("start")[trimester_index]
    for rank, proposal in enumerate(proposals, start=1):
        services.proposal_record(
            proposal=proposal,
            by=world.adviser,
            rank=rank,
            outcome="accept",
            trimester=trimester,
            kit_type=make_kit_type(),
        )
    services.session_send_proposals(session=session, by=world.adviser)
    services.session_decide_all(session=session, by=world.decision_maker)
    return list(Application.objects.filter(pk__in=[a.pk for a in drafts]).order_by("pk"))


def at(days: int, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def make_training(
    world: World, *, seats: int = 12, days: int = 10, trimester_index: int = 1
) -> TrainingSession:
    return services.training_session_create(
        campaign=world.campaign,
        trimester=world.campaign.trimesters.order_by("start")[trimester_index],
        title="Prise en main de la classe mobile",
        starts_at=at(days, 14),
        place="Atelier Canopé, Arras",
        trainer=world.member,
        seats=seats,
        by=world.adviser,
    )


def deliver(application: Application, technician, *, by) -> None:
    """Plan the delivery visit of a placed class and mark it done (the kit handed over)."""
    visit = services.deployment_visit_plan(
        application=application, kind="installation", starts_at=at(1), technician=technician, by=by
    )
    complete_installation(visit, technician)
