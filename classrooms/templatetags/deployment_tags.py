"""The mobile classroom panel of an application's pages: its kit, owner, trimester and visits."""

from django import template
from django.urls import reverse

from .. import roles
from ..models import DEPLOYMENT_STATES
from ..selectors_deployment import placement_of

register = template.Library()


@register.inclusion_tag("classrooms/plan/panel_tag.html", takes_context=True)
def deployment_panel(context, application) -> dict:
    """Shown once the class is accepted (three queries); planners get a link to the class's plan page."""
    if application.status not in DEPLOYMENT_STATES:
        return {"show": False}
    request = context.get("request")
    user = getattr(request, "user", None)
    plans = user is not None and roles.plans_deployment(user)
    return {
        "show": True,
        "placement": placement_of(application),
        "community_url": application.campaign.community_url,
        "place_url": reverse("classrooms:placement", kwargs={"application_id": application.public_id})
        if plans
        else "",
    }
