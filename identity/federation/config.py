"""The configured federations, read from settings (``GUICHET_FEDERATIONS``)."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from identity.models import FederatedIdentity

LABELS: dict[str, Promise] = {
    FederatedIdentity.Provider.FRANCECONNECT: _("FranceConnect"),
    FederatedIdentity.Provider.PROCONNECT: _("ProConnect"),
}


@dataclass(frozen=True)
class Federation:
    name: str  # a FederatedIdentity.Provider value
    issuer: str
    client_id: str
    client_secret: str
    scopes: tuple[str, ...]
    acr_values: tuple[str, ...]  # asked for in the authorisation request
    accepted_acr: tuple[str, ...]  # an ID token with another acr is refused
    # A login whose acr is one of these, or whose amr says "mfa", proved a second factor.
    second_factor_acr: tuple[str, ...]

    @property
    def label(self):
        return LABELS[self.name]

    @property
    def for_agents(self) -> bool:
        return self.name == FederatedIdentity.Provider.PROCONNECT

    def proves_second_factor(self, *, acr: str, amr) -> bool:
        return acr in self.second_factor_acr or "mfa" in (amr or ())


def federation(name: str) -> Federation | None:
    """The federation ``name`` when it is configured (an issuer is set), else None."""
    raw = settings.GUICHET_FEDERATIONS.get(name) or {}
    if not raw.get("issuer"):
        return None
    return Federation(
        name=name,
        issuer=raw["issuer"],
        client_id=raw["client_id"],
        client_secret=raw["client_secret"],
        scopes=tuple(raw["scopes"]),
        acr_values=tuple(raw["acr_values"]),
        accepted_acr=tuple(raw["accepted_acr"]),
        second_factor_acr=tuple(raw.get("second_factor_acr", ())),
    )


def enabled(name: str) -> bool:
    return federation(name) is not None
