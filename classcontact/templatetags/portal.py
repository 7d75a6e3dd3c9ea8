from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (pagination, sorting)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.filter
def state_badge(obj) -> str:
    """Bootstrap badge classes of an object's state, from its model's catalogue of states::

    <span class="badge {{ loan|state_badge }}">{{ loan.get_status_display }}</span>
    """
    catalogue = obj.STATES
    return catalogue.badge(getattr(obj, catalogue.field))


@register.filter
def can_move_to(obj, target: str) -> bool:
    """Whether the object's transition table lets it move to ``target`` from where it stands::

    {% if loan|can_move_to:"returned" %}…check-in link…{% endif %}
    """
    return target in obj.TRANSITIONS.get(getattr(obj, obj.STATES.field), ())
