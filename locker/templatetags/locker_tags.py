from django import template

register = template.Library()


@register.filter
def megabytes(size) -> str:
    """Bytes as people read them on their computer: "1,2 Mo", "240 ko"."""
    size = int(size or 0)
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} ko"
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " Mo"
