"""The mobile classroom panel of an application's pages: its kit, owner, trimester and visits."""

from django import template
from django.urls import reverse

from .. import roles
from ..models import DEPLOYMENT_STATES
from ..selectors import member_school_ids
from ..selectors_deployment import TRAINABLE_STATES, placement_of

register = template.Library()


@register.inclusion_tag("classrooms/plan/panel_tag.html", takes_context=True)
def deployment_panel(context, application) -> dict:
    """Shown once the class is accepted (three queries); planners get a link to the class's plan page."""
    if application.status not in DEPLOYMENT_STATES:
        return {"show": False}
    request = context.get("request")
    user = getattr(request, "user", None)
    plans = user is not None and roles.plans_deployment(user)
    teaches = user is not None and application.school_id in member_school_ids(user)
    return {
        "trainings_url": reverse("classrooms:my_trainings")
        if teaches and application.status in TRAINABLE_STATES
        else "",
        "show": True,
        "placement": placement_of(application),
        "community_url": application.campaign.community_url,
        "place_url": reverse("classrooms:placement", kwargs={"application_id": application.public_id})
        if plans
        else "",
    }
