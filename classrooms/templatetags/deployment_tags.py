"""The mobile classroom panel of an application's pages (its kit, owner, trimester and visits),
and the cells of the deployment plan."""

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from classcontact.light_widgets import escaped

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


@register.simple_tag
def plan_cells(cells, *, can_place: bool, place_prefix: str, free_label: str) -> SafeString:
    """The cells of a kit's row of the deployment plan, drawn here rather than by a template:
    forty kits by eighteen trimesters cost the template engine three times the whole page's
    queries. Every text is escaped."""
    free = f'<td><span class="text-muted">{escaped(free_label)}</span></td>'
    return mark_safe(  # noqa: S308 - every text is escaped in _plan_cell
        "".join(_plan_cell(cell, can_place, place_prefix) if cell.application else free for cell in cells)
    )


def _plan_cell(cell, can_place: bool, place_prefix: str) -> str:
    school = escaped(cell.school_name)
    if can_place:
        school = f'<a href="{escaped(place_prefix)}{escaped(cell.application.public_id)}/">{school}</a>'
    return (
        f'<td>{school}<div class="small">{escaped(cell.class_name)} · '
        f'<span class="badge state-badge {escaped(cell.badge)}">{escaped(cell.status_label)}</span></div></td>'
    )
