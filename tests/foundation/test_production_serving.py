"""Production settings behind gunicorn alone: static files are collected with hashed,
compressed names and served by the WSGI application itself (whitenoise), so the ALTCHA
widget loads and people can log in; X-Forwarded-Proto is trusted only when configured."""

import json

import pytest

from tests.foundation.test_settings import PRODUCTION_LOCKER_KEY, _run

# Run in a fresh process under config.settings.base: fetch through the WSGI application
# (as gunicorn would) the ALTCHA script the login page links to, and the login page as a
# proxy forwarding an HTTPS request over plain HTTP.
PROBE = """
import json
from wsgiref.util import setup_testing_defaults

import django

django.setup()
from django.templatetags.static import static

from config.wsgi import application


def fetch(path, scheme="https", **headers):
    environ = {"PATH_INFO": path, "HTTP_HOST": "guichet.example.fr", "wsgi.url_scheme": scheme}
    environ.update(headers)
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(response_headers)

    answer["body"] = b"".join(application(environ, start_response))
    return answer


script_url = static("altcha/altcha.min.js")
script = fetch(script_url, HTTP_ACCEPT_ENCODING="gzip")
proxied = fetch("/compte/login/", scheme="http", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "script_url": script_url,
    "script_status": script["status"],
    "script_headers": script["headers"],
    "proxied_status": proxied["status"],
}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_SECRET_KEY": "z" * 60,
        "DJANGO_ALLOWED_HOSTS": "guichet.example.fr",
        "DJANGO_LOG_LEVEL": "ERROR",
        "GUICHET_TOTP_ENCRYPTION_KEY": "p" * 40,
        "ALTCHA_HMAC_KEY": "h" * 40,
        "GUICHET_LOCKER_MASTER_KEY": PRODUCTION_LOCKER_KEY,
        "GUICHET_VAR_DIR": str(var),
    }
    migrated = _run(["manage.py", "migrate", "--noinput", "-v0"], **env)
    assert migrated.returncode == 0, migrated.stderr
    collected = _run(["manage.py", "collectstatic", "--noinput", "-v0"], **env)
    assert collected.returncode == 0, collected.stderr

    def probe(**extra) -> dict:
        result = _run(["-c", PROBE], **env, **extra)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    return {"default": probe(), "proxy_declared": probe(DJANGO_TRUST_X_FORWARDED_PROTO="1")}


def test_the_wsgi_app_serves_the_altcha_widget_hashed_and_compressed(production):
    answer = production["default"]
    assert answer["script_status"] == 200
    assert answer["script_url"] != "/static/altcha/altcha.min.js"  # a hashed name
    headers = answer["script_headers"]
    assert headers["Content-Type"].startswith("text/javascript")
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]


def test_x_forwarded_proto_is_ignored_unless_a_proxy_is_declared(production):
    # Plain HTTP claiming HTTPS in a header: redirected to HTTPS, the header is not believed.
    assert production["default"]["proxied_status"] == 301
    assert production["proxy_declared"]["proxied_status"] == 200
