"""Staff areas (Django admin, Wagtail admin, instruction) let in only a session whose
second factor was an authenticator app or an OTP card: every area, every way of logging
in, staff or not, through the real login views (identity.staff)."""

import pyotp
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Service
from identity.crypto import encrypt_secret
from identity.models import Notification, TotpDevice, User
from identity.services.second_factor import totp_device_confirm, totp_device_start, totp_secret
from tests.identity.helpers import (
    code_in,
    last_message,
    login_password,
    make_active_user,
    submit_code,
    text,
)

pytestmark = pytest.mark.django_db

EMAIL = "agent@departement.example"
MOBILE = "+33612345678"
AREAS = ["/django-admin/", "/cms-admin/", "/instruction/"]
STRONG = {"app", "card"}


def _person(*, staff: bool, method: str) -> str | None:
    """The person, able to log in with ``method``; returns their TOTP secret if any."""
    flags = {"is_staff": True, "is_superuser": True} if staff else {}
    user = make_active_user(EMAIL, first_name="Agnès", last_name="Roux", **flags)
    if staff:
        service = Service.objects.create(name="Action sociale", slug="action-sociale")
        service.instructors.add(user)
    if method == "sms":
        user.phone, user.phone_verified_at = MOBILE, timezone.now()
        user.save()
    if method not in STRONG:
        return None
    secret = pyotp.random_base32()
    kind = TotpDevice.Kind.CARD if method == "card" else TotpDevice.Kind.APP
    TotpDevice.objects.create(
        user=user, kind=kind, secret_encrypted=encrypt_secret(secret), confirmed_at=timezone.now()
    )
    return secret


def _log_in(client, method: str, secret: str | None) -> None:
    response = login_password(client, EMAIL)
    assert response["Location"] == reverse("identity:second_factor")
    if method == "password":
        return  # stops at the code page
    if method == "email":
        code = code_in(last_message(EMAIL))
    elif method == "sms":
        code = code_in(last_message(MOBILE, Notification.Channel.SMS))
    else:
        code = pyotp.TOTP(secret).now()
    response = submit_code(client, code)
    assert response.status_code == 302, text(response)[:2000]
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize("method", ["password", "email", "sms", "app", "card"])
@pytest.mark.parametrize("staff", [True, False], ids=["staff", "not-staff"])
def test_staff_areas_open_only_to_staff_who_logged_in_with_an_app_or_a_card(staff, method):
    client = Client()
    _log_in(client, method, _person(staff=staff, method=method))
    for area in AREAS:
        response = client.get(area)
        if method == "password":
            assert response.status_code == 302, area
            assert response["Location"] == f"{reverse('account_login')}?next={area}"
        elif not staff:
            assert response.status_code == 404, area
        elif method in STRONG:
            assert response.status_code == 200, area
        else:
            assert response.status_code == 403, area
            page = text(response)
            assert "Connexion renforcée nécessaire" in page
            assert reverse("identity:totp_enrol") in page


def test_every_screen_of_an_area_follows_the_rule_not_only_its_home(client):
    """The rule is applied by prefix: a deep admin page and an admin action are refused."""
    _person(staff=True, method="email")
    _log_in(client, "email", None)
    for path in (
        reverse("admin:identity_notification_changelist"),
        reverse("admin:identity_user_changelist"),
        reverse("wagtailadmin_pages:add_subpage", args=[1]),
        reverse("workflows:export_create"),
    ):
        assert client.get(path).status_code == 403, path
        assert client.post(path, {}).status_code == 403, path


def test_a_staff_member_who_enrols_an_app_is_told_to_log_in_again_with_it(client):
    """Enrolling from the 403 page does not upgrade the session that used an emailed code."""
    _person(staff=True, method="email")
    _log_in(client, "email", None)
    device = totp_device_start(user=User.objects.get(email=EMAIL))
    assert totp_device_confirm(device=device, code=pyotp.TOTP(totp_secret(device)).now())
    response = client.get("/django-admin/")
    assert response.status_code == 403
    assert "déjà une application" in text(response)
    assert reverse("identity:totp_enrol") not in text(response)


def test_the_django_admin_password_page_sends_to_the_portals(client):
    """Its own page would change the password without the portal's rules (limits, other
    sessions ended, the owner told): staff change it where everyone does."""
    secret = _person(staff=True, method="app")
    _log_in(client, "app", secret)
    for method in (client.get, client.post):
        response = method("/django-admin/password_change/")
        assert response.status_code == 302
        assert response["Location"] == reverse("account_change_password")
