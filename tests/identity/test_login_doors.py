"""One login: every login view the URL resolver knows — the portal's, Django admin's,
Wagtail's (admin and front end), allauth's, and any one added later — is tried with a
staff password alone, and with a brute force; no session ever gets in (identity.staff)."""

import pytest
from allauth.account.views import LoginView as AllauthLoginView
from django.contrib import admin
from django.contrib.auth.views import LoginView as DjangoLoginView
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from identity.staff import LOGIN_DOORS
from tests.identity.helpers import altcha_payload, make_active_user, text

pytestmark = pytest.mark.django_db

EMAIL = "admin@departement.example"
PASSWORD = "Un-Mot-De-Passe-Admin-2026!"
STAFF_AREAS = ["/django-admin/", "/cms-admin/", "/instruction/"]


def _is_login_view(pattern: URLPattern, name: str) -> bool:
    view_class = getattr(pattern.callback, "view_class", None)
    return (
        "login" in name.lower()
        or "login" in str(pattern.pattern).lower()
        or (view_class is not None and issubclass(view_class, (DjangoLoginView, AllauthLoginView)))
        or getattr(pattern.callback, "__func__", None) is admin.AdminSite.login
    )


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry, f"{namespace}{entry.name}"


# The only route argument a login view may take: which identity federation (ADR 0312).
ROUTE_ARGUMENTS = {"provider": "franceconnect"}


def login_views() -> dict[str, str]:
    """{view name: path} of every login view mounted in the project's URLconf."""
    return {
        name: reverse(
            name, kwargs={key: ROUTE_ARGUMENTS[key] for key in pattern.pattern.converters}
        )
        for pattern, name in _walk(get_resolver().url_patterns)
        if _is_login_view(pattern, name)
    }


LOGIN_VIEWS = login_views()


def _credentials(password: str) -> dict:
    # Every field name a login form of Django, Wagtail or allauth reads.
    return {
        "login": EMAIL,
        "username": EMAIL,
        "email": EMAIL,
        "password": password,
        "altcha": altcha_payload(),
    }


@pytest.fixture
def superuser():
    return make_active_user(EMAIL, PASSWORD, is_staff=True, is_superuser=True)


def _assert_outside(client):
    assert "_auth_user_id" not in client.session
    for area in STAFF_AREAS:
        response = client.get(area)
        assert response.status_code == 302, area
        assert response["Location"].startswith(reverse("account_login")), area


def test_the_enumeration_finds_the_known_login_views():
    assert {"account_login", *LOGIN_DOORS} <= set(LOGIN_VIEWS)


@pytest.mark.parametrize("name", sorted(LOGIN_VIEWS))
def test_a_staff_password_alone_opens_no_session(name, superuser):
    client = Client()
    client.post(LOGIN_VIEWS[name], _credentials(PASSWORD), follow=True)
    _assert_outside(client)


@pytest.mark.parametrize("name", sorted(LOGIN_VIEWS))
def test_twenty_wrong_passwords_then_the_right_one_open_nothing(name, superuser):
    client = Client()
    for _ in range(20):
        client.post(LOGIN_VIEWS[name], _credentials("Pas-Le-Bon-Mot-2026!"))
    response = client.post(LOGIN_VIEWS[name], _credentials(PASSWORD), follow=True)
    _assert_outside(client)
    # Not even the second-factor step was reached: the portal's limits refused the password.
    assert client.get(reverse("identity:second_factor"))["Location"] == reverse("account_login")
    if name == "account_login":
        assert "Trop de tentatives" in text(response)


@pytest.mark.parametrize("name", LOGIN_DOORS)
def test_the_admin_login_doors_send_to_the_portal_login_with_next(name):
    response = Client().get(LOGIN_VIEWS[name], {"next": "/django-admin/identity/"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/django-admin/identity/"


def test_a_door_never_sends_elsewhere_than_this_site(client):
    response = client.get(reverse("admin:login"), {"next": "https://evil.example/"})
    assert response["Location"] == f"{reverse('account_login')}?next=/django-admin/"


def test_the_django_admin_door_leads_through_the_app_code_to_the_admin(client, superuser):
    import pyotp
    from django.utils import timezone

    from identity.crypto import encrypt_secret
    from identity.models import TotpDevice

    secret = pyotp.random_base32()
    TotpDevice.objects.create(
        user=superuser, secret_encrypted=encrypt_secret(secret), confirmed_at=timezone.now()
    )
    door = client.get(reverse("admin:login"), {"next": "/django-admin/identity/notification/"})
    login_url = door["Location"]
    assert login_url.startswith(reverse("account_login"))
    data = _credentials(PASSWORD)
    data.pop("username")
    response = client.post(login_url, data)
    assert response["Location"] == reverse("identity:second_factor")
    response = client.post(reverse("identity:second_factor"), {"code": pyotp.TOTP(secret).now()})
    assert response["Location"] == "/django-admin/identity/notification/"
    assert client.get(response["Location"]).status_code == 200
