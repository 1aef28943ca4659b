"""FranceConnect and ProConnect against a real OpenID Connect provider process (node,
oidc-provider 9, its own signing keys: tests/support/oidc.py), through the portal's views.

Each test logs in as a person would: the portal's button, the provider's redirects, the
callback; the ID token and userinfo are checked by the portal, never by the test."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.messages import get_messages
from django.urls import reverse

from identity.models import FederatedIdentity, Membership, Profile, SecurityEvent, Space, User
from identity.selectors import CURRENT_SPACE_SESSION_KEY, SECOND_FACTOR_SESSION_KEY
from tests.identity.helpers import (
    PASSWORD,
    login_with_emailed_code,
    make_active_user,
    text,
)
from tests.support.oidc import OidcProvider, drive_authorization, drive_logout

pytestmark = [pytest.mark.django_db, pytest.mark.services("oidc-provider")]

RP = "http://testserver"
SECRET = "un-secret-de-test-assez-long-pour-hs256-0123456789"
MARIE = {
    "given_name": "Marie Anne",
    "family_name": "Dupont",
    "birthdate": "1985-04-12",
    "gender": "female",
    "birthplace": "75107",
    "birthcountry": "99100",
    "email": "marie.dupont@example.fr",
    "preferred_username": "Martin",
}


def _client_metadata(provider: str, client_id: str, **extra) -> dict:
    base = f"{RP}/compte/federation/{provider}"
    return {
        "client_id": client_id,
        "client_secret": SECRET,
        "redirect_uris": [f"{base}/retour/"],
        "post_logout_redirect_uris": [f"{base}/deconnexion/"],
        "token_endpoint_auth_method": "client_secret_post",
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
        **extra,
    }


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """One provider process for the module; FranceConnect's client gets its userinfo as a
    signed JWT (as FranceConnect v2 sends it), ProConnect's as plain JSON."""
    oidc = OidcProvider(
        clients=[
            _client_metadata("franceconnect", "fc", userinfo_signed_response_alg="RS256"),
            _client_metadata("proconnect", "pc"),
        ],
        log_dir=tmp_path_factory.mktemp("oidc"),
    ).start()
    yield oidc
    oidc.stop()


@pytest.fixture(autouse=True)
def federations(settings, provider):
    def config(client_id, *, scopes, second_factor_acr=()):
        return {
            "issuer": provider.issuer,
            "client_id": client_id,
            "client_secret": SECRET,
            "scopes": scopes.split(),
            "acr_values": ["eidas1"],
            "accepted_acr": ["eidas1", "eidas2", "eidas3"],
            "second_factor_acr": list(second_factor_acr),
        }

    settings.GUICHET_FEDERATIONS = {
        "franceconnect": config(
            "fc",
            scopes="openid given_name family_name birthdate gender birthplace birthcountry "
            "email preferred_username",
        ),
        "proconnect": config(
            "pc",
            scopes="openid email given_name usual_name uid siret",
            second_factor_acr=("eidas2", "eidas3"),
        ),
    }


def _start(client, provider_name="franceconnect", *, url=None, data=None):
    response = client.post(
        url or reverse("identity:federation_login", args=[provider_name]), data or {}
    )
    assert response.status_code == 302, text(response)[:2000]
    return response["Location"]


def _through_provider(authorize_url: str) -> str:
    """The person at the provider (another site: its own cookies); returns the callback
    path the provider sends them back to."""
    callback = drive_authorization(requests.Session(), authorize_url, redirect_prefix=RP)
    return callback.removeprefix(RP)


def fc_login(client, provider, *, sub="fc-marie", claims=MARIE, tamper=None, acr="eidas1"):
    provider.next_login(sub=sub, claims=claims, acr=acr)
    callback = _through_provider(_start(client))
    if tamper:
        provider.tamper(tamper)
    return client.get(callback)


def _accept_terms(client, response):
    """A new account accepts the current terms (the last login stage)."""
    assert response["Location"] == reverse("identity:terms_accept"), response["Location"]
    page = client.get(response["Location"]).content.decode()
    shown = re.findall(r'name="terms" value="(\d+)"', page)
    assert shown
    return client.post(reverse("identity:terms_accept"), {"decision": "accept", "terms": shown})


def _logged_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.filter(pk=user_id).first() if user_id else None


# --- Sign-up and login ---------------------------------------------------------------------


def test_sign_up_with_franceconnect_creates_a_locked_identity_and_logs_in(client, provider):
    response = fc_login(client, provider)
    response = _accept_terms(client, response)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:my_cases")

    user = _logged_in_user(client)
    assert user.email == "marie.dupont@example.fr"
    assert not user.has_usable_password()
    identity = FederatedIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (provider.issuer, "fc-marie")
    profile = user.profile
    assert profile.identity_locked
    assert (profile.given_names, profile.birth_name, profile.usage_name) == (
        "Marie Anne",
        "Dupont",
        "Martin",
    )
    assert str(profile.birth_date) == "1985-04-12"
    assert profile.civility == Profile.Civility.MADAME
    assert profile.birth_country == "France"
    # FranceConnect vouched for the second factor: no code was asked, the session says so.
    assert client.session[SECOND_FACTOR_SESSION_KEY] == "franceconnect"
    assert client.get(reverse("cases:my_cases")).status_code == 200

    # "Mes informations": the identity is shown, locked, whatever is posted.
    page = client.get(reverse("identity:profile"))
    assert "Donnée transmise par FranceConnect." in text(page)
    client.post(
        reverse("identity:profile"),
        {"given_names": "Autre", "birth_name": "Nom", "city": "Lyon", "country": "France"},
    )
    profile.refresh_from_db()
    assert (profile.given_names, profile.birth_name, profile.city) == (
        "Marie Anne",
        "Dupont",
        "Lyon",
    )


def test_second_login_finds_the_account_by_issuer_and_subject(client, provider):
    _accept_terms(client, fc_login(client, provider))
    user = _logged_in_user(client)
    client.post(reverse("account_logout"))
    assert _logged_in_user(client) is None

    # The email changed at FranceConnect: the identity is (issuer, sub), not the email.
    response = fc_login(client, provider, claims={**MARIE, "email": "autre@example.fr"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:my_cases")
    assert _logged_in_user(client) == user
    assert User.objects.count() == 1
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.LOGIN).count() == 2


def test_an_existing_account_is_never_linked_on_a_matching_email(client, provider):
    owner = make_active_user(MARIE["email"])
    response = fc_login(client, provider)

    assert response.status_code == 200
    assert "Un compte existe déjà avec l'adresse marie.dupont@example.fr" in text(response)
    assert _logged_in_user(client) is None
    assert not FederatedIdentity.objects.exists()
    assert User.objects.count() == 1
    # And the link page itself needs the owner logged in.
    confirm = client.get(reverse("identity:federation_link_confirm"))
    assert confirm.status_code == 302
    assert confirm["Location"].startswith(reverse("account_login"))
    assert not FederatedIdentity.objects.filter(user=owner).exists()


def test_link_after_the_owner_logs_in_with_password_and_code(client, provider):
    owner = make_active_user(MARIE["email"])
    fc_login(client, provider)  # "you already have an account"
    response = login_with_emailed_code(client, MARIE["email"], PASSWORD)
    assert response.status_code == 302
    page = client.get(reverse("identity:federation_link_confirm"))
    assert "Relier FranceConnect à votre compte ?" in text(page)
    assert "<strong>Marie Anne Dupont</strong>, née ou né le 12 avril 1985" in text(page)
    client.post(reverse("identity:federation_link_confirm"), {"confirm": "yes"})

    identity = FederatedIdentity.objects.get(user=owner)
    assert identity.subject == "fc-marie"
    assert owner.security_events.filter(kind=SecurityEvent.Kind.FEDERATION_LINKED).exists()
    client.post(reverse("account_logout"))
    # From now on FranceConnect opens that account.
    response = fc_login(client, provider)
    assert response["Location"] == reverse("cases:my_cases")
    assert _logged_in_user(client) == owner


def test_link_from_security_page_asks_for_the_password_again(client, provider):
    owner = make_active_user("claire@example.fr")
    login_with_emailed_code(client, "claire@example.fr", PASSWORD)
    provider.next_login(sub="fc-claire", claims={**MARIE, "email": "claire@example.fr"})
    url = reverse("identity:federation_link", args=["franceconnect"])
    page = client.get(url)
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("account_reauthenticate"))
    client.post(page["Location"], {"password": PASSWORD})
    assert "Vous allez être dirigé vers FranceConnect" in text(client.get(url))
    callback = _through_provider(_start(client, url=url))
    response = client.get(callback)
    assert response["Location"] == reverse("identity:security")
    assert FederatedIdentity.objects.get(user=owner).subject == "fc-claire"
    assert Profile.objects.get(user=owner).identity_locked


def test_unlink_needs_a_password_and_unlocks_the_identity(client, provider):
    _accept_terms(client, fc_login(client, provider))
    user = _logged_in_user(client)
    unlink = reverse("identity:federation_unlink", args=["franceconnect"])

    client.post(unlink)
    assert FederatedIdentity.objects.filter(user=user).exists()  # no password: kept
    assert "choisissez d'abord un mot de passe" in text(client.get(reverse("identity:security")))

    user.set_password(PASSWORD)
    user.save()
    client.force_login(user)
    response = client.post(unlink)
    assert response["Location"] == reverse("identity:security")
    assert not FederatedIdentity.objects.filter(user=user).exists()
    assert not Profile.objects.get(user=user).identity_locked
    assert user.security_events.filter(kind=SecurityEvent.Kind.FEDERATION_UNLINKED).exists()


# --- What the portal refuses ----------------------------------------------------------------


def _refused(response):
    assert response.status_code == 400, response.status_code
    assert "La connexion avec FranceConnect n'a pas abouti" in text(response)


@pytest.mark.parametrize("mode", ["expired", "bad_signature", "wrong_nonce", "wrong_audience"])
def test_an_id_token_that_does_not_check_out_logs_no_one_in(client, provider, mode):
    _refused(fc_login(client, provider, tamper=mode))
    assert _logged_in_user(client) is None
    assert not User.objects.exists()


def test_a_tampered_state_is_refused(client, provider):
    provider.next_login(sub="fc-marie", claims=MARIE)
    callback = _through_provider(_start(client))
    parts = urlsplit(callback)
    query = parse_qs(parts.query)
    forged = f"{parts.path}?code={query['code'][0]}&state=forged-{query['state'][0]}"
    _refused(client.get(forged))
    # The real state was single-use: the flow is over, a replay does nothing either.
    _refused(client.get(callback))
    assert not User.objects.exists()


def test_a_callback_from_another_browser_session_is_refused(client, provider):
    provider.next_login(sub="fc-marie", claims=MARIE)
    callback = _through_provider(_start(client))
    from django.test import Client

    _refused(Client().get(callback))  # the state is bound to the session that started
    assert not User.objects.exists()


def test_an_insufficient_acr_is_refused(client, provider, settings):
    settings.GUICHET_FEDERATIONS["franceconnect"]["accepted_acr"] = ["eidas2", "eidas3"]
    _refused(fc_login(client, provider))
    assert not User.objects.exists()


def test_cancel_at_the_provider_is_told_and_changes_nothing(client, provider):
    _start(client)
    state = client.session["guichet_federation_flow"]
    assert state["purpose"] == "login"
    response = client.get(
        reverse("identity:federation_callback", args=["franceconnect"]) + "?error=access_denied"
    )
    assert response["Location"] == reverse("account_login")
    assert not User.objects.exists()


def test_key_rotation_is_followed(client, provider):
    _accept_terms(client, fc_login(client, provider))
    user = _logged_in_user(client)
    client.post(reverse("account_logout"))
    old_kid = provider.signing_kid
    provider.rotate_keys()
    assert provider.signing_kid != old_kid
    # The portal has the old JWKS cached; a token signed with the new key makes it fetch
    # the JWKS again rather than refuse.
    response = fc_login(client, provider)
    assert response["Location"] == reverse("cases:my_cases")
    assert _logged_in_user(client) == user


@pytest.mark.parametrize(
    "mode", ["userinfo_bad_signature", "userinfo_wrong_audience", "userinfo_other_subject"]
)
def test_signed_userinfo_that_does_not_check_out_logs_no_one_in(client, provider, mode):
    """FranceConnect's client gets userinfo as a signed JWT: the portal checks it too."""
    _refused(fc_login(client, provider, tamper=mode))
    assert not User.objects.exists()


# --- Logout -----------------------------------------------------------------------------------


def test_logout_also_ends_the_franceconnect_session(client, provider):
    _accept_terms(client, fc_login(client, provider))
    provider_browser = requests.Session()
    response = client.post(reverse("account_logout"))
    assert _logged_in_user(client) is None
    end_session = response["Location"]
    assert end_session.startswith(provider.issuer)
    query = parse_qs(urlsplit(end_session).query)
    assert query["id_token_hint"]
    assert query["state"]
    assert query["post_logout_redirect_uri"] == [
        f"{RP}/compte/federation/franceconnect/deconnexion/"
    ]
    back = drive_logout(provider_browser, end_session, redirect_prefix=RP)
    assert "end_session.success" in [event["name"] for event in provider.events()]
    done = client.get(back.removeprefix(RP))
    assert done.status_code == 302
    told = [str(message) for message in get_messages(done.wsgi_request)]
    assert told[-1] == "Vous êtes aussi déconnecté de FranceConnect."
    # The state comes back once: a second visit is refused.
    assert client.get(back.removeprefix(RP)).status_code == 400


def test_password_logins_do_not_go_through_franceconnect_logout(client, provider):
    make_active_user("paul@example.fr")
    login_with_emailed_code(client, "paul@example.fr", PASSWORD)
    response = client.post(reverse("account_logout"))
    assert not response["Location"].startswith(provider.issuer)


# --- Spaces and staff areas ------------------------------------------------------------------


def test_franceconnect_opens_the_personal_space_only(client, provider):
    _accept_terms(client, fc_login(client, provider))
    user = _logged_in_user(client)
    space = Space.objects.create(kind=Space.Kind.ORGANISATION, name="Les Amis du Parc")
    Membership.objects.create(user=user, space=space, role=Membership.Role.MEMBER)

    response = client.post(reverse("identity:space_switch"), {"space": str(space.pk)})
    assert response.status_code == 403
    assert "connectez-vous avec votre adresse électronique, votre mot de passe" in text(response)
    # Even a session that names the space (set before) falls back to the personal one.
    session = client.session
    session[CURRENT_SPACE_SESSION_KEY] = space.pk
    session.save()
    page = client.get(reverse("cases:my_cases"))
    assert page.context["current_membership"].space.is_personal


def test_franceconnect_does_not_open_staff_areas(client, provider):
    _accept_terms(client, fc_login(client, provider))
    user = _logged_in_user(client)
    user.is_staff = user.is_superuser = True
    user.save()
    assert client.get("/django-admin/").status_code == 403


def _agent(email="agent@departement.example"):
    from cases.models import Service

    user = make_active_user(email, is_staff=True, is_superuser=True)
    service = Service.objects.create(name="Action sociale", slug="action-sociale")
    service.instructors.add(user)
    return user


def _pc_login(client, provider, *, sub, acr="eidas1", amr=("pwd",), email):
    provider.next_login(
        sub=sub,
        claims={"email": email, "given_name": "Agnès", "usual_name": "Roux"},
        acr=acr,
        amr=amr,
    )
    return client.get(_through_provider(_start(client, "proconnect")))


def test_proconnect_with_a_proven_second_factor_opens_staff_areas(client, provider):
    agent = _agent()
    FederatedIdentity.objects.create(
        user=agent, provider="proconnect", issuer=provider.issuer, subject="pc-agent"
    )
    response = _pc_login(client, provider, sub="pc-agent", amr=("pwd", "mfa"), email=agent.email)
    assert response["Location"] == reverse("cases:my_cases")
    assert client.session[SECOND_FACTOR_SESSION_KEY] == "federation_mfa"
    assert client.get("/instruction/").status_code == 200


def test_proconnect_without_second_factor_asks_for_the_account_own_code(client, provider):
    agent = _agent()
    FederatedIdentity.objects.create(
        user=agent, provider="proconnect", issuer=provider.issuer, subject="pc-agent"
    )
    response = _pc_login(client, provider, sub="pc-agent", email=agent.email)
    assert response["Location"] == reverse("identity:second_factor")
    assert _logged_in_user(client) is None


def test_proconnect_never_creates_an_account(client, provider):
    response = _pc_login(client, provider, sub="pc-x", email="inconnu@departement.example")
    assert response.status_code == 403
    assert "aucun compte d'agent ne correspond" in text(response)
    assert not User.objects.exists()
