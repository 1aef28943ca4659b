"""FranceConnect in a real browser (Debian's Chromium) against a real OpenID Connect
provider process (tests/support/oidc.py): the official button, the provider, the terms,
"Mes démarches", then a démarche form whose identity fields FranceConnect filled in and
locked. Then the logout, which also ends the provider's session."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from cases.models import Case
from identity.models import FederatedIdentity, TermsVersion
from tests.support.browser import assert_accessible
from tests.support.oidc import OidcProvider

# PostgreSQL only: on the embedded SQLite default the live server's threads share one
# in-memory connection, and the callback (which writes the new account) once timed out in
# CI while the browser's parallel requests were served; not reproduced alone (notes.md).
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.services("oidc-provider", "postgres"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SECRET = "secret-du-client-franceconnect-de-test"
IDENTITY = {
    "given_name": "Jeanne Marie",
    "family_name": "Durand",
    "birthdate": "1979-11-03",
    "gender": "female",
    "birthplace": "35238",
    "birthcountry": "99100",
    "email": "jeanne.durand@example.fr",
}


@pytest.fixture
def franceconnect(live_server, settings, tmp_path):
    base = f"{live_server.url}/compte/federation/franceconnect"
    provider = OidcProvider(
        clients=[
            {
                "client_id": "guichet",
                "client_secret": SECRET,
                "redirect_uris": [f"{base}/retour/"],
                "post_logout_redirect_uris": [f"{base}/deconnexion/"],
                "token_endpoint_auth_method": "client_secret_post",
                "userinfo_signed_response_alg": "RS256",
            }
        ],
        log_dir=tmp_path,
    ).start()
    settings.GUICHET_STATE_BRANDING = True
    settings.GUICHET_FEDERATIONS = {
        **settings.GUICHET_FEDERATIONS,
        "franceconnect": {
            "issuer": provider.issuer,
            "client_id": "guichet",
            "client_secret": SECRET,
            "scopes": [
                "openid",
                "given_name",
                "family_name",
                "birthdate",
                "gender",
                "birthplace",
                "birthcountry",
                "email",
                "preferred_username",
            ],
            "acr_values": ["eidas1"],
            "accepted_acr": ["eidas1", "eidas2", "eidas3"],
            "second_factor_acr": [],
        },
    }
    yield provider
    provider.stop()


def _arrive(page, pattern: str, provider: OidcProvider) -> None:
    """Wait for ``pattern``; if another page stays, say which, with the provider's events."""
    try:
        page.wait_for_url(pattern, timeout=30_000)
    except PlaywrightTimeoutError:
        text = page.locator("body").inner_text()[:2000]
        events = [event["name"] for event in provider.events()]
        raise AssertionError(
            f"still at {page.url} instead of {pattern}\n{text}\nprovider events: {events}"
        ) from None


def test_franceconnect_to_a_prefilled_locked_demarche_form(page, franceconnect, screenshot):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # A CGU version published now: the new account must accept it (in one CI run the
    # database held no published CGU at this point, and the terms page was rightly skipped).
    TermsVersion.objects.create(version="9.0", published_at=timezone.now())
    franceconnect.next_login(sub="fc-jeanne", claims=IDENTITY)

    page.goto("/compte/login/")
    button = page.locator("button.fr-connect")
    expect(button).to_be_visible()
    expect(button).to_contain_text("S\u2019identifier avec FranceConnect")
    # The official look: DSFR draws FranceConnect's logo before the label.
    logo = button.evaluate("b => getComputedStyle(b, '::before').backgroundImage")
    assert logo.startswith('url("data:image/svg+xml')
    expect(page.get_by_role("link", name="Qu\u2019est-ce que FranceConnect ?")).to_have_attribute(
        "href", "https://franceconnect.gouv.fr/"
    )
    assert_accessible(page)
    screenshot(page, "franceconnect-login")

    button.click()  # → the provider → back with a code → the new account's terms
    _arrive(page, "**/compte/connexion/conditions/", franceconnect)
    page.get_by_role("button", name="J'accepte et je continue").click()
    page.wait_for_url("**/mes-demarches/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes démarches")
    assert FederatedIdentity.objects.get(subject="fc-jeanne").user.email == IDENTITY["email"]

    page.goto("/demarches/aide-chauffage/commencer/")
    page.get_by_role("button", name="Commencer la démarche").click()
    page.wait_for_url("**/demandes/brouillon/**")
    fields = {
        "civilite": "Madame",
        "prenom": "Jeanne Marie",
        "nom": "Durand",
        "date_naissance": "1979-11-03",  # an <input type="date"> shows only ISO values
    }
    for name, value in fields.items():
        field = page.locator(f"[name={name}]")
        expect(field).to_have_value(value)
        expect(field).to_be_disabled()
    expect(page.get_by_text("Donnée transmise par FranceConnect.").first).to_be_visible()
    screenshot(page, "franceconnect-locked-form")

    # A value forced into the disabled field by hand is not what gets saved.
    page.evaluate(
        "() => { const f = document.querySelector('[name=prenom]');"
        " f.disabled = false; f.value = 'Autre'; }"
    )
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_url("**/demandes/brouillon/**")
    case = Case.objects.get(created_by__email=IDENTITY["email"])
    assert case.answers["prenom"] == "Jeanne Marie"
    assert case.answers["date_naissance"] == "1979-11-03"

    # Logging out also ends the session at FranceConnect, then comes back here.
    page.locator("header").get_by_role("button", name="Se déconnecter").click()
    expect(page.locator(".fr-alert, .fr-notice").filter(has_text="FranceConnect")).to_be_visible()
    assert "end_session.success" in [event["name"] for event in franceconnect.events()]
