"""A real OpenID Connect provider for the FranceConnect / ProConnect tests.

``OidcProvider`` runs ``tests/support/oidc_provider/server.mjs`` (node, oidc-provider 9;
``make oidc-provider`` installs it) on a free loopback port. Tests that use it are marked
``@pytest.mark.services("oidc-provider")``: skipped without node locally, required in CI.

    provider = OidcProvider(clients=[{"client_id": "fc", "client_secret": "…",
                                      "redirect_uris": ["http://testserver/…/retour/"], …}],
                            log_dir=tmp_path).start()
    provider.next_login(sub="abc", claims={"given_name": "Marie"}, acr="eidas1")
    callback = drive_authorization(session, authorize_url, redirect_prefix="http://testserver/")
    # … the RP handles ``callback`` (code + state), exchanges the code at the provider …
    provider.tamper("expired")     # the next token response carries an expired id_token
    provider.rotate_keys()         # restart with a new signing key (old one still published)
    back = drive_logout(session, end_session_url, redirect_prefix="http://testserver/")
    assert "end_session.success" in [e["name"] for e in provider.events()]
    provider.stop()

The provider logs every login and consent itself (no form): the account is the one given to
``next_login`` (kept until changed), consent covers every requested scope and claim. As at
FranceConnect, the id_token carries ``acr`` when the request has ``acr_values`` and ``amr``
only when asked through ``claims={"id_token": {"amr": {"essential": true}}}``; the other
claims come from userinfo (a signed JWT for clients registered with
``userinfo_signed_response_alg``). Its in-memory state (sessions, tokens, accounts) does not
survive ``rotate_keys``, except the account of ``next_login``, which is set again.
"""

import functools
import json
import os
import secrets
import shutil
import subprocess
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

from joserfc.jwk import RSAKey

from tests.support import html
from tests.support.services import ROOT, free_port, wait_until
from tests.support.stack import Process

PROVIDER_DIR = ROOT / "tests" / "support" / "oidc_provider"
SERVER = PROVIDER_DIR / "server.mjs"
TAMPER_MODES = (
    None,
    "expired",
    "bad_signature",
    "wrong_nonce",
    "wrong_audience",
    # The next signed userinfo instead of the next id_token:
    "userinfo_bad_signature",
    "userinfo_wrong_audience",
    "userinfo_other_subject",
)


MINIMUM_NODE = 20  # oidc-provider 9 and jose 6 need the global Web Crypto API


@functools.cache
def node_available() -> bool:
    """Node >= 20 on PATH and the provider's npm packages installed (``make oidc-provider``)."""
    node = shutil.which("node")
    if node is None or not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        return False
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=False)
    major = version.stdout.strip().lstrip("v").split(".")[0]
    return major.isdigit() and int(major) >= MINIMUM_NODE


def _new_key() -> dict:
    key = RSAKey.generate_key(2048, private=True)
    return {**key.as_dict(private=True), "kid": secrets.token_hex(8), "use": "sig", "alg": "RS256"}


class OidcProvider:
    def __init__(self, *, clients: list[dict], log_dir):
        self.clients = clients
        self.log_dir = Path(log_dir)
        self.port = None
        self.keys: list[dict] = []
        self._keys_file = None
        self._process = None
        self._last_login = None

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    @property
    def signing_kid(self) -> str:
        return self.keys[0]["kid"]

    def start(self):
        if self.port is None:
            self.port = free_port()
        if not self.keys:
            self.keys = [_new_key()]
        self._write_keys()
        env = {
            **os.environ,
            "OIDC_PORT": str(self.port),
            "OIDC_ISSUER": self.issuer,
            "OIDC_KEYS": self._keys_file,
            "OIDC_CLIENTS": json.dumps(self.clients),
        }
        if self._process is None:
            self._process = Process("oidc-provider", ["node", str(SERVER)], env, self.log_dir)
        self._process.env = env  # a restart (rotate_keys) appends to the same log
        self._process.start()
        wait_until(self._answers, timeout=30, message="the OIDC provider's discovery document")
        if self._last_login:
            self._post("next-login", self._last_login)
        return self

    def stop(self):
        if self._process:
            self._process.stop()
        if self._keys_file:
            Path(self._keys_file).unlink(missing_ok=True)
            self._keys_file = None

    def rotate_keys(self):
        """Restart on the same port and issuer, signing with a new key; the previous key
        stays published in the JWKS (tokens it signed still verify)."""
        self.stop()
        self.keys = [_new_key(), *self.keys]
        return self.start()

    # --- Control API -------------------------------------------------------------------
    def next_login(self, *, sub: str, claims: dict, acr: str = "eidas1", amr=("pwd",)):
        """The account the next authorization logs in (kept until changed)."""
        self._last_login = {"sub": sub, "claims": claims, "acr": acr, "amr": list(amr)}
        return self._post("next-login", self._last_login)

    def tamper(self, mode: str | None):
        """Alter the id_token of the next successful token response only: ``expired``,
        ``bad_signature`` (unknown key, real kid), ``wrong_nonce``, ``wrong_audience``."""
        assert mode in TAMPER_MODES, mode
        return self._post("tamper", {"mode": mode})

    def events(self) -> list[dict]:
        """The provider's events so far: ``{"name", "at"}`` (+ ``error`` for error events),
        e.g. ``grant.success``, ``end_session.success``, ``server_error``."""
        with urllib.request.urlopen(f"{self.issuer}/__control/events", timeout=5) as response:
            return json.load(response)

    # --- Internals -------------------------------------------------------------------------
    def _write_keys(self):
        fd, path = tempfile.mkstemp(prefix="oidc-keys-", suffix=".json")
        with os.fdopen(fd, "w") as handle:
            json.dump({"keys": self.keys}, handle)
        self._keys_file = path

    def _answers(self) -> bool:
        self._process.check_alive()
        try:
            with urllib.request.urlopen(self.discovery_url, timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def _post(self, route: str, body: dict):
        request = urllib.request.Request(
            f"{self.issuer}/__control/{route}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.load(response)


def _redirect_target(response) -> str | None:
    if response.is_redirect and "Location" in response.headers:
        return urljoin(response.url, response.headers["Location"])
    return None


def _provider_error(response, what: str) -> AssertionError:
    return AssertionError(
        f"{what}: the provider answered {response.status_code} at {response.url}:\n"
        f"{response.text[:3000]}"
    )


def drive_authorization(session, authorize_url: str, *, redirect_prefix: str) -> str:
    """Follow the provider's redirects from the authorization URL until one leads to
    ``redirect_prefix`` (the RP's callback); return that URL without requesting it."""
    url = authorize_url
    for _ in range(20):
        response = session.get(url, allow_redirects=False, timeout=10)
        target = _redirect_target(response)
        if target is None:
            raise _provider_error(response, "authorization did not redirect")
        if target.startswith(redirect_prefix):
            return target
        url = target
    raise AssertionError(f"too many redirects from {authorize_url}; last: {url}")


def drive_logout(session, end_session_url: str, *, redirect_prefix: str) -> str:
    """Open the end-session URL, confirm the logout as the page's form does (``logout=yes``)
    and return the redirect to ``redirect_prefix`` (post_logout_redirect_uri + state)."""
    response = session.get(end_session_url, allow_redirects=False, timeout=10)
    target = _redirect_target(response)
    if target is None:
        if response.status_code != 200:
            raise _provider_error(response, "end session failed")
        action, fields = _first_form(response)
        fields["logout"] = "yes"
        response = session.post(
            urljoin(response.url, action), data=fields, allow_redirects=False, timeout=10
        )
        target = _redirect_target(response)
        if target is None:
            raise _provider_error(response, "logout confirmation did not redirect")
    if not target.startswith(redirect_prefix):
        raise AssertionError(f"logout redirected to {target}, not to {redirect_prefix}")
    return target


def _first_form(response) -> tuple[str, dict]:
    page = html.parse(response)
    forms = [i for i, (tag, _attrs, _parent) in enumerate(page.elements) if tag == "form"]
    if not forms:
        raise _provider_error(response, "no form on the logout page")
    form = forms[0]

    def inside(index):
        while index is not None:
            if index == form:
                return True
            index = page.elements[index][2]
        return False

    fields = {
        attrs["name"]: attrs.get("value", "")
        for i, (tag, attrs, parent) in enumerate(page.elements)
        if tag == "input" and attrs.get("name") and inside(parent)
    }
    return page.elements[form][1].get("action", response.url), fields


__all__ = ["OidcProvider", "drive_authorization", "drive_logout", "node_available"]
