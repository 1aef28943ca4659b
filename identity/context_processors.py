"""The space switcher of the header: the current space and the user's other spaces.

Lazy: a page that does not show the header, and visitors without a session (whose pages
may be cached whole, ADR 0204), cost no query. Both come from one query per request
(``identity.selectors.current_membership``)."""

from django.utils.functional import SimpleLazyObject

from .federation.config import federation
from .models import FederatedIdentity
from .selectors import current_membership, switchable_memberships


def spaces(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "current_membership": SimpleLazyObject(lambda: current_membership(request)),
        "space_memberships": SimpleLazyObject(lambda: switchable_memberships(request)),
    }


def federations(request):
    """The identity federations this site offers (their buttons show only then)."""
    return {
        "franceconnect": federation(FederatedIdentity.Provider.FRANCECONNECT),
        "proconnect": federation(FederatedIdentity.Provider.PROCONNECT),
    }
