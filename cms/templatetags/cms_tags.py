"""Template tags other apps may use: ``{% load cms_tags %}``."""

from django import template
from django.conf import settings
from django.core.cache import cache

from cms import links, page_cache
from cms.models import HelpLink

register = template.Library()


@register.simple_tag
def portal_url(url_name, *args, **kwargs):
    """``{% portal_url "account_login" as url %}``: "" when the screen does not exist yet."""
    return links.portal_url(url_name, *args, **kwargs)


@register.inclusion_tag("cms/tags/help_link.html", takes_context=True)
def help_link(context, url_name):
    """The link to the guide mapped to ``url_name`` in the admin; renders nothing otherwise.

    Kept in the cache with the help centre's generation (``cms.page_cache``): any change
    to a page or a link renders it again."""
    request = context.get("request")
    if not page_cache.enabled():
        return {"help_page": _help_target(url_name, request)}
    key = page_cache.key("help", url_name)
    found = cache.get(key)
    if found is None:
        found = _help_target(url_name, request)
        cache.set(key, found, settings.GUICHET_PAGE_CACHE_SECONDS)
    return {"help_page": found}


def _help_target(url_name, request) -> dict:
    link = HelpLink.objects.filter(url_name=url_name).select_related("page").first()
    if link is None or not link.page.live:
        return {}
    page = link.page.localized.specific
    return {"url": page.get_url(request), "title": page.title}
