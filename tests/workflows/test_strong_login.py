"""Instructors must log in with an authenticator app or OTP card (PRODUCT §2.3), through
the real login views."""

from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import Service
from identity.services.second_factor import totp_device_confirm, totp_device_start, totp_secret
from tests.identity.helpers import (
    PASSWORD,
    login_password,
    login_with_emailed_code,
    make_active_user,
    submit_code,
    text,
)
from tests.support.client import CommitClient

pytestmark = pytest.mark.django_db

EMAIL = "agent.instructeur@departement.example"


@pytest.fixture
def instructor(demo_procedures):
    user = make_active_user(EMAIL, first_name="Agnès", last_name="Roux")
    Service.objects.get(slug="action-sociale").instructors.add(user)
    return user


def test_an_emailed_code_is_not_enough_to_instruct(instructor):
    client = CommitClient()
    login_with_emailed_code(client, EMAIL)
    response = client.get(reverse("workflows:queue"))
    assert response.status_code == 403
    assert "Connexion renforcée nécessaire" in text(response)
    assert reverse("identity:totp_enrol") in text(response)


def test_a_login_with_the_authenticator_app_opens_the_queue(instructor):
    device = totp_device_start(user=instructor)
    totp = pyotp.TOTP(totp_secret(device))
    assert totp_device_confirm(device=device, code=totp.now()) is not None

    with time_machine.travel(timezone.now() + timedelta(seconds=60)):
        client = CommitClient()
        response = login_password(client, EMAIL, PASSWORD)
        assert response["Location"] == reverse("identity:second_factor")
        submit_code(client, totp.now())
        response = client.get(reverse("workflows:queue"))
    assert response.status_code == 200
    assert "À traiter" in text(response)
