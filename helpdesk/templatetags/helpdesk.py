from django import template

register = template.Library()

TARGET_CLASSES = {
    "on_time": "text-bg-success",
    "due_soon": "text-bg-warning",
    "late": "text-bg-danger",
    "met": "text-bg-light border",
    "missed": "text-bg-light border border-danger text-danger",
    "none": "text-bg-light border",
}


@register.filter
def target_class(state: str) -> str:
    """Bootstrap badge classes for a target state (on time, due soon, late...)."""
    return TARGET_CLASSES.get(state, "text-bg-light border")
