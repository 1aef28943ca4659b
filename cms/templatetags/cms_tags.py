"""Template tags other apps may use: ``{% load cms_tags %}``."""

from django import template

from cms import links
from cms.models import HelpLink

register = template.Library()


@register.simple_tag
def portal_url(url_name, *args, **kwargs):
    """``{% portal_url "account_login" as url %}``: "" when the screen does not exist yet."""
    return links.portal_url(url_name, *args, **kwargs)


@register.inclusion_tag("cms/tags/help_link.html", takes_context=True)
def help_link(context, url_name):
    """The link to the guide mapped to ``url_name`` in the admin; renders nothing otherwise."""
    link = HelpLink.objects.filter(url_name=url_name).select_related("page").first()
    page = None
    if link is not None and link.page.live:
        page = link.page.localized.specific
    return {"help_page": page, "request": context.get("request")}
