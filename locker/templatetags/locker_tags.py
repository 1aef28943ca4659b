from django import template

from locker.inspection.policy import policy_for
from locker.sizes import format_size

register = template.Library()


@register.filter
def file_size(size) -> str:
    """Bytes as people read them: "516 o", "240 Ko", "1,5 Mo" (see ``locker.sizes``)."""
    return format_size(size)


@register.simple_tag
def upload_max(context: str) -> str:
    """The largest file accepted in an upload context ("demande", "locker"), e.g. "5 Mo"."""
    return format_size(policy_for(context).max_bytes)
