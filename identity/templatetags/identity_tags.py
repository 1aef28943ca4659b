from django import template
from django.conf import settings

from identity.password_validation import password_rules as configured_rules

register = template.Library()


@register.simple_tag
def password_rules():
    return configured_rules()


@register.simple_tag
def help_url():
    return settings.GUICHET_HELP_URL
