from django.conf import settings


def site(request):
    """Operator name and branding switch for the base template (no database query)."""
    return {
        "OPERATOR_NAME": settings.GUICHET_OPERATOR_NAME,
        "STATE_BRANDING": settings.GUICHET_STATE_BRANDING,
    }
