from django.conf import settings

from config.accessibility import compliance_label


def site(request):
    """Operator name, branding switch and the accessibility statement's compliance level
    (shown in the footer) for the base template (no database query)."""
    return {
        "OPERATOR_NAME": settings.GUICHET_OPERATOR_NAME,
        "STATE_BRANDING": settings.GUICHET_STATE_BRANDING,
        "ACCESSIBILITY_COMPLIANCE": compliance_label(),
    }
