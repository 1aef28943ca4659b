"""The public skeleton: French pages, error pages, security headers, request ids."""

import json
import logging

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    from io import StringIO

    from cms import demo

    demo.seed(StringIO())


def test_home_page_is_served_in_french_with_the_operator_name(client, home, settings):
    settings.GUICHET_OPERATOR_NAME = "Département de l'Exemple"
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="fr"' in body
    assert "Vos démarches en ligne" in body
    assert "Département de l&#x27;Exemple" in body
    assert 'href="#contenu"' in body  # skip link
    assert "Mentions légales" in body


def test_state_branding_is_off_by_default_and_on_by_setting(client, home, settings):
    body = client.get("/").content.decode()
    assert "fr-logo" not in body
    assert "neutral.css" in body
    settings.GUICHET_STATE_BRANDING = True
    body = client.get("/").content.decode()
    assert '<p class="fr-logo">République<br>française</p>' in body
    assert "neutral.css" not in body


def test_language_switch_to_english(client, home):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()


def test_unknown_page_gets_the_french_404(client, home):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_security_headers_and_request_id(client, home):
    response = client.get("/", HTTP_X_REQUEST_ID="abcdef1234567890")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
    assert response["X-Request-ID"] == "abcdef1234567890"
    forged = client.get("/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert forged["X-Request-ID"] != "bad id\nwith newline"
    assert len(forged["X-Request-ID"]) == 32


def test_one_json_access_line_per_request_without_the_query_string(client, home, caplog):
    from config.logging import JsonFormatter

    with caplog.at_level(logging.INFO, logger="guichet.request"):
        client.get("/?email=someone@example.fr")
    records = [r for r in caplog.records if r.name == "guichet.request"]
    assert len(records) == 1
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["path"] == "/"
    assert line["status"] == 200
    assert "someone@example.fr" not in json.dumps(line)
