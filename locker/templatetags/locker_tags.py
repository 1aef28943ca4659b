from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def megabytes(size) -> str:
    """Bytes as people read them on their computer: "1,2 Mo", "240 ko"."""
    size = int(size or 0)
    if size < 1024 * 1024:
        return _("%(size)s ko") % {"size": max(1, round(size / 1024))}
    return _("%(size)s Mo") % {"size": number_format(size / (1024 * 1024), 1)}
