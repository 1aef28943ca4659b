"""Terms of use and charters (ADR 0310): public pages with their history, acceptance at the
next login after a new version (the last login stage), refusal, sign-up, the admin."""

from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from identity.models import Membership, Space, TermsAcceptance, TermsVersion, User
from identity.services.second_factor import totp_device_confirm, totp_device_start, totp_secret
from tests.identity.helpers import (
    PASSWORD,
    code_in,
    last_message,
    login_password,
    login_with_emailed_code,
    make_active_user,
    signup,
    submit_code,
    text,
)
from tests.support.client import force_app_login

pytestmark = pytest.mark.django_db

EMAIL = "louise@example.fr"
HOME = resolve_url(settings.LOGIN_REDIRECT_URL)  # where a login leads without a `next`


def _publish(version: str, body: str = "## Objet\nLe nouveau texte.", **fields) -> TermsVersion:
    return TermsVersion.objects.create(version=version, body=body, **fields)


def _logged_in(client) -> bool:
    return client.get(reverse("identity:security")).status_code == 200


def _accept_page(client):
    return client.get(reverse("identity:terms_accept"))


def _decide(client, decision: str, versions):
    return client.post(
        reverse("identity:terms_accept"),
        {"decision": decision, "terms": [str(version.pk) for version in versions]},
    )


# --- Public pages -----------------------------------------------------------------------


def test_cgu_shows_the_current_version_and_every_published_one_at_its_own_address(client):
    first = TermsVersion.objects.get(version="1.0")
    first.published_at = timezone.now() - timedelta(days=400)
    first.save()
    second = _publish("2.0", "## Vos droits\nUn texte plus clair.", summary="Une phrase de plus.")
    _publish("3.0", published_at=timezone.now() + timedelta(days=10))  # scheduled

    page = text(client.get("/cgu/"))
    assert "Conditions générales d'utilisation" in page
    assert "<h2>Vos droits</h2>" in page
    assert "Version 2.0, publiée le" in page
    assert "C'est la version en vigueur." in page
    assert "Une phrase de plus." in page
    assert f'href="{first.get_absolute_url()}"' in page
    assert f'href="{second.get_absolute_url()}" aria-current="page"' in page
    assert "Version 3.0" not in page
    assert "/cgu/3.0/" not in page

    old = client.get(first.get_absolute_url())
    assert old.status_code == 200
    assert first.get_absolute_url() == "/cgu/1.0/"
    old_page = text(old)
    assert "Ces conditions générales d'utilisation (CGU) disent comment" in old_page
    date = timezone.localtime(second.published_at).strftime("%-d")
    assert f"Cette version n'est plus en vigueur depuis le {date} " in old_page
    assert 'href="/cgu/2.0/">Lire la version en vigueur (2.0)' in old_page
    assert client.get("/cgu/3.0/").status_code == 404
    assert client.get("/cgu/9.9/").status_code == 404


def test_a_text_typed_in_the_admin_is_shown_as_text_never_as_html(client):
    _publish("2.0", '<script>alert("x")</script>\n<a href="javascript:alert(1)">lien</a>')
    page = client.get("/cgu/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page


def test_signup_links_to_the_current_version_which_is_published(client):
    _publish("2.0")
    page = client.get(reverse("account_signup")).content.decode()
    assert 'href="/cgu/2.0/"' in page
    assert client.get("/cgu/2.0/").status_code == 200


def test_a_charter_has_its_own_pages_linked_from_the_cgu(client):
    charter = _publish(
        "1.0",
        "Les gestionnaires invitent les membres.",
        kind=TermsVersion.Kind.CHARTER,
        space_kind=Space.Kind.ORGANISATION,
    )
    assert charter.get_absolute_url() == "/chartes/organisation/1.0/"
    page = text(client.get("/chartes/organisation/"))
    assert "Charte : Espace d'organisation" in page
    assert "Les gestionnaires invitent les membres." in page
    assert f'href="{charter.get_absolute_url()}"' in text(client.get("/cgu/"))
    assert client.get("/chartes/inconnu/").status_code == 404


# --- Sign-up ----------------------------------------------------------------------------


def test_signup_records_the_version_current_at_signup_with_its_time(client):
    second = _publish("2.0")
    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
        signup(client, EMAIL)
        now = timezone.now()
    acceptance = TermsAcceptance.objects.get(user__email=EMAIL)
    assert acceptance.terms == second
    assert acceptance.accepted_at == now


# --- Acceptance at the next login --------------------------------------------------------


def test_a_new_version_stops_the_next_login_after_the_code_until_accepted(client):
    user = make_active_user(EMAIL)
    second = _publish("2.0", "## Ce qui compte\nLe texte 2.0.", summary="Nouvel article 3.")

    response = login_password(client, EMAIL)
    # The person is proven by the password and the second factor before being asked.
    assert response["Location"] == reverse("identity:second_factor")
    response = submit_code(client, code_in(last_message(EMAIL)))
    assert response.status_code == 302
    assert response["Location"] == reverse("identity:terms_accept")

    # Nothing else is reachable: the login is not complete.
    assert not _logged_in(client)
    assert "_auth_user_id" not in client.session
    page = text(_accept_page(client))
    assert "Avant de continuer, lisez et acceptez les conditions" in page
    assert "Version 2.0, publiée le" in page
    assert "Nouvel article 3." in page
    assert "<h3>Ce qui compte</h3>" in page
    assert 'href="/cgu/2.0/"' in page

    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False):
        response = _decide(client, "accept", [second])
        accepted_at = timezone.now()
    assert response.status_code == 302
    assert response["Location"] == HOME
    assert _logged_in(client)
    acceptance = TermsAcceptance.objects.get(user=user, terms=second)
    assert acceptance.accepted_at == accepted_at

    # Accepted once: the following login goes straight through.
    other = Client()
    assert login_with_emailed_code(other, EMAIL)["Location"] == HOME


def test_the_next_page_asked_for_is_kept_through_the_acceptance(client):
    make_active_user(EMAIL)
    second = _publish("2.0")
    client.post(
        reverse("account_login"),
        {"login": EMAIL, "password": PASSWORD, "next": reverse("identity:profile")},
    )
    submit_code(client, code_in(last_message(EMAIL)))
    assert _decide(client, "accept", [second])["Location"] == reverse("identity:profile")


def test_refusing_logs_out_with_a_clear_message_and_records_nothing(client):
    user = make_active_user(EMAIL)
    second = _publish("2.0")
    login_with_emailed_code(client, EMAIL)
    response = _decide(client, "refuse", [second])
    assert response["Location"] == reverse("account_login")
    page = text(client.get(response["Location"]))
    assert (
        "Connexion annulée : le service ne s'utilise qu'après acceptation des conditions." in page
    )
    assert not _logged_in(client)
    assert not TermsAcceptance.objects.filter(user=user, terms=second).exists()
    # The pending login is gone: the acceptance page sends back to the login.
    assert _accept_page(client)["Location"] == reverse("account_login")
    # And the next login asks again.
    assert login_with_emailed_code(Client(), EMAIL)["Location"] == reverse("identity:terms_accept")


def test_a_version_published_while_the_page_is_open_is_asked_too(client):
    user = make_active_user(EMAIL)
    second = _publish("2.0")
    login_with_emailed_code(client, EMAIL)
    third = _publish("2.1", "Encore un changement.")
    response = _decide(client, "accept", [second])  # the form showed 2.0 only
    assert response.status_code == 200
    assert "Version 2.1, publiée le" in text(response)
    assert not _logged_in(client)
    assert not TermsAcceptance.objects.filter(user=user, terms=third).exists()
    assert _decide(client, "accept", [third]).status_code == 302
    assert _logged_in(client)


def test_the_acceptance_page_without_a_pending_login_sends_to_the_login(client):
    make_active_user(EMAIL)
    assert _accept_page(client)["Location"] == reverse("account_login")
    # Even half-way: after the password only, the terms page is not reachable yet.
    _publish("2.0")
    login_password(client, EMAIL)
    assert _accept_page(client)["Location"] == reverse("account_login")


def test_a_session_already_open_goes_on_until_its_next_login(client):
    """ADR 0310: a version published during a session is asked at the next login."""
    make_active_user(EMAIL)
    login_with_emailed_code(client, EMAIL)
    _publish("2.0")
    assert _logged_in(client)


def test_a_member_of_an_organisation_accepts_its_charter_too(client):
    user = make_active_user(EMAIL)
    charter = _publish(
        "1.0",
        "La charte des associations.",
        kind=TermsVersion.Kind.CHARTER,
        space_kind=Space.Kind.ORGANISATION,
    )
    # Without an organisation space, the charter is not asked.
    assert login_with_emailed_code(Client(), EMAIL)["Location"] == HOME
    space = Space.objects.create(kind=Space.Kind.ORGANISATION, name="Les Amis du quartier")
    Membership.objects.create(user=user, space=space, role=Membership.Role.MEMBER)
    response = login_with_emailed_code(client, EMAIL)
    assert response["Location"] == reverse("identity:terms_accept")
    assert "La charte des associations." in text(_accept_page(client))
    _decide(client, "accept", [charter])
    assert _logged_in(client)
    assert TermsAcceptance.objects.filter(user=user, terms=charter).exists()


def test_a_staff_login_with_an_app_stays_strong_through_the_acceptance(client):
    """The terms stage comes after the app's code: the session keeps what proved it."""
    user = make_active_user(EMAIL, is_staff=True, is_superuser=True)
    device = totp_device_start(user=user)
    totp = pyotp.TOTP(totp_secret(device))
    assert totp_device_confirm(device=device, code=totp.now()) is not None
    second = _publish("2.0")
    with time_machine.travel(timezone.now() + timedelta(seconds=60)):
        login_password(client, EMAIL)
        assert submit_code(client, totp.now())["Location"] == reverse("identity:terms_accept")
        assert client.get("/django-admin/").status_code == 302  # not logged in yet
        _decide(client, "accept", [second])
        assert client.get("/django-admin/").status_code == 200


# --- Administrators ---------------------------------------------------------------------


@pytest.fixture
def admin_client():
    client = Client()
    force_app_login(client, User.objects.create_superuser("admin@example.fr", "x"))
    return client


def test_administrators_write_a_version_and_a_published_one_is_read_only(admin_client):
    add = reverse("admin:identity_termsversion_add")
    published_at = timezone.localtime() + timedelta(days=1)
    response = admin_client.post(
        add,
        {
            "kind": "cgu",
            "space_kind": "",
            "version": "2.0",
            "published_at_0": published_at.strftime("%d/%m/%Y"),
            "published_at_1": published_at.strftime("%H:%M:%S"),
            "summary": "",
            "body": "## Nouveau\nTexte <b>neuf</b>.",
        },
    )
    assert response.status_code == 302, text(response)[:3000]
    scheduled = TermsVersion.objects.get(version="2.0")
    change = reverse("admin:identity_termsversion_change", args=[scheduled.pk])
    page = admin_client.get(change).content.decode()
    assert 'name="body"' in page  # scheduled: still editable
    assert "<h2>Nouveau</h2>" in page
    assert "Texte &lt;b&gt;neuf&lt;/b&gt;." in page

    first = TermsVersion.objects.get(version="1.0")
    page = admin_client.get(
        reverse("admin:identity_termsversion_change", args=[first.pk])
    ).content.decode()
    assert 'name="body"' not in page
    assert 'name="version"' not in page
    body_before = first.body
    admin_client.post(
        reverse("admin:identity_termsversion_change", args=[first.pk]), {"body": "Changé."}
    )
    first.refresh_from_db()
    assert first.body == body_before


def test_a_charter_needs_its_kind_of_space_and_the_cgu_none(admin_client):
    now = timezone.localtime()
    data = {
        "kind": "charter",
        "space_kind": "",
        "version": "1.0",
        "published_at_0": now.strftime("%d/%m/%Y"),
        "published_at_1": now.strftime("%H:%M:%S"),
        "body": "Texte.",
    }
    response = admin_client.post(reverse("admin:identity_termsversion_add"), data)
    assert response.status_code == 200
    assert "Choisissez le type d'espace auquel la charte s'applique." in text(response)
    data["space_kind"] = "organisation"
    response = admin_client.post(reverse("admin:identity_termsversion_add"), data)
    assert response.status_code == 302
    assert TermsVersion.objects.filter(kind="charter", space_kind="organisation").exists()
