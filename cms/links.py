"""Links to portal screens by URL name: cms imports no portal app (see ADR 0200)."""

from django.urls import NoReverseMatch, reverse

# The filing form of a procedure, provided by the cases app.
PROCEDURE_START_URL_NAME = "cases:procedure_start"
# "Suivre une demande" without an account (cases) and the login screen (identity, allauth).
TRACK_URL_NAME = "cases:track"
LOGIN_URL_NAME = "account_login"


def portal_url(url_name: str, *args, **kwargs) -> str:
    """The portal URL for ``url_name``, or "" while the screen does not exist yet."""
    try:
        return reverse(url_name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def procedure_start_url(slug: str) -> str:
    """The filing form of the procedure ``slug``, or "" when it cannot be resolved."""
    return portal_url(PROCEDURE_START_URL_NAME, slug=slug) if slug else ""
