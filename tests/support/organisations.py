"""Organisation spaces in tests: an organisation with its manager, members, OTP cards in
stock, and sessions that act in a given space (as after a switch in the header).

The journeys themselves (claim, invitation, first connection, linking a card) are tested
through the views in tests/identity/test_organisations.py, test_members.py and
test_cards.py; these helpers only set the scene."""

import pyotp
from django.utils import timezone

from identity.models import Membership, Space, User
from identity.selectors import CURRENT_SPACE_SESSION_KEY
from identity.services import organisation_create, otp_cards_import
from tests.support.client import CommitClient, force_app_login
from tests.support.filing import PASSWORD

# Valid identifiers: a SIRET passing Luhn, one of La Poste's (digits add up to a multiple
# of 5, Luhn fails), an RNA number.
SIRET = "73282932000074"
LA_POSTE_SIRET = "35600000049837"
RNA = "W751234567"


def person(email: str, first_name: str = "", last_name: str = "") -> User:
    """An account as after its sign-up: verified email, current terms accepted."""
    from allauth.account.models import EmailAddress

    from identity.services import terms_accept_current

    user = User.objects.create_user(email, PASSWORD, first_name=first_name, last_name=last_name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    terms_accept_current(user=user)
    return user


def organisation(manager: User, name: str = "Les Amis du Quartier") -> Space:
    return organisation_create(user=manager, name=name, organisation_kind="association")


def add_member(space: Space, user: User, role: str = Membership.Role.MEMBER) -> Membership:
    return Membership.objects.create(space=space, user=user, role=role)


def preregistered(name: str, member_number: str, siret: str = "") -> Space:
    return Space.objects.create(
        kind=Space.Kind.ORGANISATION, name=name, member_number=member_number, siret=siret
    )


def act_in(client, space: Space) -> None:
    """Make ``space`` the session's current space (the header switch, already tested)."""
    session = client.session
    session[CURRENT_SPACE_SESSION_KEY] = space.pk
    session.save()


def client_for(user: User, space: Space | None = None, *, strong: bool = False) -> CommitClient:
    """A logged-in session of ``user`` (with an app or card login when ``strong``: the
    space-management pages are a staff area), acting in ``space``."""
    client = CommitClient()
    if strong:
        force_app_login(client, user)
    else:
        client.force_login(user)
    if space is not None:
        act_in(client, space)
    return client


def card_stock(*cards: tuple[str, int]) -> dict[str, pyotp.TOTP]:
    """Import cards (serial, period) with fresh secrets through the import service; returns
    each card's TOTP, as the physical card would compute it."""
    secrets_by_serial = {serial: pyotp.random_base32() for serial, _period in cards}
    rows = "\n".join(f"{serial},{secrets_by_serial[serial]},{period}" for serial, period in cards)
    report = otp_cards_import(data="serial,secret,period\n" + rows)
    assert report.created == len(cards), report
    return {
        serial: pyotp.TOTP(secrets_by_serial[serial], interval=period) for serial, period in cards
    }


def now_ts() -> int:
    return int(timezone.now().timestamp())
