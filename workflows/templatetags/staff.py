from django import template

from workflows.labels import staff_status_label

register = template.Library()


@register.filter
def staff_status(status: str) -> str:
    """``{{ case.status|staff_status }}``: the state in the instructors' words."""
    return staff_status_label(status)
