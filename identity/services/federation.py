"""Accounts and their federated identities (ADR 0312): sign-up through FranceConnect, link
after the owner has logged in, unlink, and the identity FranceConnect vouches for.

An identity is (issuer, subject). A matching email never links anything: it only tells the
person to log in to that account first (``FederationLinkNeeded`` in the views).
"""

from datetime import date

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from identity.models import FederatedIdentity, Profile, SecurityEvent, User

from .accounts import deleted_email_blocked_until
from .security_log import security_event_record

# FranceConnect's codes (INSEE COG) for the birth country: France is the common one.
COG_FRANCE = "99100"
CIVILITY_BY_GENDER = {"female": Profile.Civility.MADAME, "male": Profile.Civility.MONSIEUR}


class FederationRefusedError(Exception):
    """The link or sign-up cannot be made; the message says why, for the person."""


def birth_date(value) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:  # a partial date ("1980-00-00") is not stored
        return None


def federated_profile_update(*, user: User, claims: dict) -> Profile:
    """Store the identity FranceConnect vouches for, locked in "Mes informations"."""
    profile, _created = Profile.objects.get_or_create(user=user)
    given, family = claims.get("given_name", ""), claims.get("family_name", "")
    profile.civility = CIVILITY_BY_GENDER.get(claims.get("gender"), "")
    profile.given_names = given[:200]
    profile.birth_name = family[:150]
    if claims.get("preferred_username"):
        profile.usage_name = claims["preferred_username"][:150]
    profile.birth_date = birth_date(claims.get("birthdate"))
    profile.birth_place = (claims.get("birthplace") or "")[:150]
    country = claims.get("birthcountry") or ""
    profile.birth_country = _("France") if country == COG_FRANCE else country[:100]
    profile.identity_source = Profile.Source.FRANCECONNECT
    profile.save()
    user.first_name = given.split(" ")[0][:150]
    user.last_name = (claims.get("preferred_username") or family)[:150]
    user.save(update_fields=["first_name", "last_name"])
    return profile


def federated_identity_link(
    *, user: User, provider: str, issuer: str, subject: str, claims: dict, request=None
) -> FederatedIdentity:
    """Link (issuer, subject) to ``user``, who has just proved they own the account."""
    if FederatedIdentity.objects.filter(issuer=issuer, subject=subject).exclude(user=user).exists():
        raise FederationRefusedError(
            _("Cette identité est déjà reliée à un autre compte. Connectez-vous à ce compte.")
        )
    current = FederatedIdentity.objects.filter(user=user, provider=provider).first()
    if current is not None and (current.issuer, current.subject) != (issuer, subject):
        raise FederationRefusedError(
            _("Votre compte est déjà relié à une autre identité. Retirez d'abord ce lien.")
        )
    try:
        with transaction.atomic():
            identity, created = FederatedIdentity.objects.get_or_create(
                user=user, provider=provider, issuer=issuer, subject=subject
            )
            if provider == FederatedIdentity.Provider.FRANCECONNECT:
                federated_profile_update(user=user, claims=claims)
    except IntegrityError as exc:  # linked elsewhere at the same moment
        raise FederationRefusedError(
            _("Cette identité est déjà reliée à un autre compte.")
        ) from exc
    if created:
        security_event_record(
            user=user,
            kind=SecurityEvent.Kind.FEDERATION_LINKED,
            request=request,
            detail=identity.get_provider_display(),
        )
    return identity


def federated_account_create(*, issuer: str, subject: str, claims: dict, request=None) -> User:
    """A new account for a person coming from FranceConnect: its email (from
    FranceConnect, so treated as verified), no password, the identity locked."""
    email = (claims.get("email") or "").strip().lower()
    if not email:
        raise FederationRefusedError(
            _("FranceConnect ne nous a pas transmis d'adresse électronique. Créez un compte.")
        )
    if deleted_email_blocked_until(email) is not None:
        raise FederationRefusedError(
            _(
                "Un compte avec cette adresse a été supprimé il y a moins d'un an. Elle ne "
                "peut pas encore servir pour un nouveau compte."
            )
        )
    with transaction.atomic():
        user = User.objects.create_user(email=email, password=None)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        FederatedIdentity.objects.create(
            user=user,
            provider=FederatedIdentity.Provider.FRANCECONNECT,
            issuer=issuer,
            subject=subject,
        )
        federated_profile_update(user=user, claims=claims)
        security_event_record(
            user=user,
            kind=SecurityEvent.Kind.FEDERATION_LINKED,
            request=request,
            detail=str(FederatedIdentity.Provider.FRANCECONNECT.label),
        )
    return user


def federated_identity_unlink(*, user: User, provider: str, request=None) -> None:
    """Remove the link. Only an account with a password can: it must keep a way in."""
    identity = FederatedIdentity.objects.filter(user=user, provider=provider).first()
    if identity is None:
        return
    if not user.has_usable_password():
        raise FederationRefusedError(
            _(
                "Votre compte n'a pas de mot de passe. Choisissez-en un avec « Mot de passe "
                "oublié ? », puis retirez le lien."
            )
        )
    with transaction.atomic():
        identity.delete()
        if provider == FederatedIdentity.Provider.FRANCECONNECT:
            Profile.objects.filter(user=user).update(identity_source=Profile.Source.DECLARED)
        security_event_record(
            user=user,
            kind=SecurityEvent.Kind.FEDERATION_UNLINKED,
            request=request,
            detail=identity.get_provider_display(),
        )


def federated_login_record(*, identity: FederatedIdentity, claims: dict) -> None:
    """A login through the federation: its date, and FranceConnect's identity refreshed."""
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["last_login_at"])
    if identity.provider == FederatedIdentity.Provider.FRANCECONNECT:
        federated_profile_update(user=identity.user, claims=claims)
