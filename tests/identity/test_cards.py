"""OTP cards (ADR 0309), through the views: the import (command and admin; a secret is
never shown again), a manager linking a physical card (only one in stock) or a digital
card (QR code), the member logging in with it, a lost card refused at once, a code never
accepted twice, and a drifted card accepted only after two consecutive codes."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from identity.crypto import decrypt_secret, encrypt_secret
from identity.models import (
    Membership,
    Notification,
    OtpCard,
    SecurityEvent,
    SpaceEvent,
    TotpDevice,
)
from identity.selectors import SECOND_FACTOR_SESSION_KEY
from tests.identity.helpers import last_message, login_password, submit_code, text
from tests.support.client import CommitClient
from tests.support.filing import PASSWORD
from tests.support.organisations import add_member, card_stock, client_for, organisation, person

pytestmark = pytest.mark.django_db

# A fixed instant in the middle of a 60-second step, so that steps are known exactly.
T0 = datetime(2026, 6, 1, 9, 0, 15, tzinfo=UTC)
NEXT_CODE = "Attendez que la carte affiche un nouveau code"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def manager(db):
    return person("gerante@asso.example", "Gaëlle", "Rivière")


@pytest.fixture
def org(manager):
    return organisation(manager)


@pytest.fixture
def member(org):
    return add_member(org, person("membre@asso.example", "Marc", "Lemoine"))


@pytest.fixture
def manager_client(manager, org):
    return client_for(manager, org, strong=True)


@pytest.fixture
def cards():
    return card_stock(("CARD-0001", 30), ("CARD-0002", 30), ("CARD-0060", 60))


def _step(totp) -> int:
    return int(T0.timestamp()) // totp.interval


def _link(manager_client, member, serial, code):
    response = manager_client.post(
        reverse("identity:space_card_physical", args=[member.pk]), {"serial": serial}
    )
    if response.status_code != 302:
        return response
    assert response["Location"] == reverse("identity:space_card_confirm", args=[member.pk])
    return manager_client.post(response["Location"], {"code": code})


def _login(client, email, code):
    """Password, then the code page (an app or a card: the TOTP method)."""
    client.logout()
    assert login_password(client, email, PASSWORD).status_code == 302
    return submit_code(client, code)


def _logged_in_with_card(client) -> bool:
    return client.session.get(SECOND_FACTOR_SESSION_KEY) == "totp"


def test_import_encrypts_secrets_and_never_shows_them(tmp_path, capsys):
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    path = tmp_path / "graines.csv"
    path.write_text(
        f"serial,secret,period\nA-1,{secret},30\nA-2,{secret},60\n"
        "A-3,pas-du-base32!,30\nA-4,JBSWY3DP,30\nA-5,{secret},45\n".replace("{secret}", secret)
    )
    with pytest.raises(CommandError, match="3 line"):
        call_command("import_otp_cards", str(path))
    out = capsys.readouterr()
    assert secret not in out.out + out.err
    card = OtpCard.objects.get(serial="A-1")
    assert secret not in card.secret_encrypted
    assert decrypt_secret(card.secret_encrypted) == secret
    assert set(OtpCard.objects.values_list("serial", "period")) == {("A-1", 30), ("A-2", 60)}

    admin = person("admin@guichet.example")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = client_for(admin, strong=True)
    page = text(
        client.post(
            reverse("admin:identity_otpcard_import"), {"content": f"B-1;{secret};30\n"}, follow=True
        )
    )
    assert "1 ajoutée(s), 0 déjà connue(s)." in page
    for url in (
        reverse("admin:identity_otpcard_changelist"),
        reverse("admin:identity_otpcard_change", args=[card.pk]),
    ):
        page = text(client.get(url))
        assert secret not in page
        assert card.secret_encrypted not in page
    assert client.get(reverse("admin:identity_otpcard_add")).status_code == 403


def test_a_manager_links_a_physical_card_and_the_member_logs_in_with_it(
    manager_client, member, org, cards
):
    totp = cards["CARD-0001"]
    step = _step(totp)
    response = _link(manager_client, member, "CARD-0001", totp.generate_otp(step))
    assert response.status_code == 302
    card = OtpCard.objects.get(serial="CARD-0001")
    assert card.status == OtpCard.Status.LINKED
    assert card.device.user == member.user
    assert card.device.kind == TotpDevice.Kind.CARD
    assert SpaceEvent.objects.filter(space=org, kind=SpaceEvent.Kind.CARD_LINKED).exists()
    assert SecurityEvent.objects.filter(
        user=member.user, kind=SecurityEvent.Kind.CARD_LINKED
    ).exists()
    assert "carte OTP" in last_message(member.user.email).subject
    assert "CARD-0001" in text(
        manager_client.get(reverse("identity:space_member", args=[member.pk]))
    )

    client = CommitClient()
    response = _login(client, member.user.email, totp.generate_otp(step + 1))
    assert response.status_code == 302
    assert _logged_in_with_card(client)
    # No code was emailed or sent by SMS: the card is the second factor.
    assert not Notification.objects.filter(subject__icontains="code de connexion").exists()


def test_only_a_card_in_stock_can_be_linked(manager_client, member, org, cards):
    other = add_member(org, person("autre@asso.example"))
    totp = cards["CARD-0001"]
    assert (
        _link(manager_client, member, "CARD-0001", totp.generate_otp(_step(totp))).status_code
        == 302
    )
    for serial in ("CARD-0001", "INCONNUE"):
        response = _link(manager_client, other, serial, "000000")
        assert response.status_code == 200
        assert "Aucune carte disponible ne porte ce numéro" in text(response)
    assert not TotpDevice.objects.filter(user=other.user).exists()


def test_a_wrong_code_does_not_link_the_card(manager_client, member, cards):
    totp = cards["CARD-0001"]
    wrong = f"{(int(totp.generate_otp(_step(totp))) + 1) % 1_000_000:06d}"
    response = _link(manager_client, member, "CARD-0001", wrong)
    assert response.status_code == 400
    assert "Ce code n'est pas le bon" in text(response)
    assert OtpCard.objects.get(serial="CARD-0001").status == OtpCard.Status.AVAILABLE
    assert not TotpDevice.objects.filter(user=member.user, confirmed_at__isnull=False).exists()


def test_a_card_code_is_never_accepted_twice(manager_client, member, cards):
    totp = cards["CARD-0001"]
    step = _step(totp)
    _link(manager_client, member, "CARD-0001", totp.generate_otp(step))
    client = CommitClient()
    code = totp.generate_otp(step + 1)
    assert _login(client, member.user.email, code).status_code == 302
    # The same code again (a replay), then the code used to link the card (older).
    for replayed in (code, totp.generate_otp(step)):
        response = _login(client, member.user.email, replayed)
        assert response.status_code == 200
        assert "Ce code n'est pas le bon" in text(response)
        assert "_auth_user_id" not in client.session


def test_a_lost_card_is_refused_at_once(manager_client, member, org, cards, frozen):
    totp = cards["CARD-0001"]
    step = _step(totp)
    _link(manager_client, member, "CARD-0001", totp.generate_otp(step))
    device = TotpDevice.objects.get(user=member.user, kind=TotpDevice.Kind.CARD)
    client = CommitClient()
    assert login_password(client, member.user.email, PASSWORD).status_code == 302  # code page

    response = manager_client.post(reverse("identity:space_card_lost", args=[device.pk]))
    assert response.status_code == 302
    card = OtpCard.objects.get(serial="CARD-0001")
    assert (card.status, card.device) == (OtpCard.Status.LOST, None)
    assert not TotpDevice.objects.filter(pk=device.pk).exists()
    assert SpaceEvent.objects.filter(space=org, kind=SpaceEvent.Kind.CARD_LOST).exists()
    assert SecurityEvent.objects.filter(
        user=member.user, kind=SecurityEvent.Kind.CARD_LOST
    ).exists()

    # The login already at its code page, and a new one, refuse the card's codes.
    response = submit_code(client, totp.generate_otp(step + 1))
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    frozen.shift(timedelta(seconds=30))
    response = _login(CommitClient(), member.user.email, totp.generate_otp(step + 2))
    assert response.status_code == 200
    # A lost card is never linked again.
    assert "Aucune carte disponible" in text(
        _link(manager_client, member, "CARD-0001", totp.generate_otp(step + 2))
    )


def test_a_drifted_card_is_accepted_only_after_two_consecutive_codes(
    manager_client, member, cards, frozen
):
    totp = cards["CARD-0001"]
    step = _step(totp)
    _link(manager_client, member, "CARD-0001", totp.generate_otp(step))
    device = TotpDevice.objects.get(user=member.user, confirmed_at__isnull=False)
    client = CommitClient()
    frozen.shift(timedelta(seconds=30))  # now step + 1; the card's clock runs 5 steps ahead
    now = step + 1

    shown = totp.generate_otp(now + 5)
    response = _login(client, member.user.email, shown)
    assert response.status_code == 200
    assert NEXT_CODE in text(response)  # one drifted code is never enough
    assert "_auth_user_id" not in client.session
    response = submit_code(client, shown)  # the same code typed again is not the next one
    assert NEXT_CODE in text(response)
    assert "_auth_user_id" not in client.session

    frozen.shift(timedelta(seconds=30))  # the card shows its next code
    now += 1
    response = submit_code(client, totp.generate_otp(now + 5))
    assert response.status_code == 302
    assert _logged_in_with_card(client)
    device.refresh_from_db()
    assert device.drift == 5
    assert device.last_used_step == now + 5

    # Resynchronised: the next login takes a single code at the learnt drift.
    frozen.shift(timedelta(seconds=30))
    now += 1
    client = CommitClient()
    assert _login(client, member.user.email, totp.generate_otp(now + 5)).status_code == 302
    assert _logged_in_with_card(client)


def test_the_window_is_not_widened_for_anyone(manager_client, member, cards, frozen):
    """Codes 2 or more steps away are refused (±1 only), for a card unless two consecutive
    codes resynchronise it, and for an app always: an app is never resynchronised."""
    totp = cards["CARD-0001"]
    step = _step(totp)
    _link(manager_client, member, "CARD-0001", totp.generate_otp(step))
    frozen.shift(timedelta(seconds=90))  # now step + 3
    client = CommitClient()
    response = _login(client, member.user.email, totp.generate_otp(step + 5))
    assert NEXT_CODE in text(response)
    response = submit_code(client, totp.generate_otp(step + 8))  # not the consecutive one
    assert NEXT_CODE in text(response)
    assert "_auth_user_id" not in client.session

    app_user = person("appli@example.fr")
    secret = pyotp.random_base32()
    TotpDevice.objects.create(
        user=app_user, secret_encrypted=encrypt_secret(secret), confirmed_at=T0
    )
    app = pyotp.TOTP(secret)
    now = int(T0.timestamp()) // 30 + 3
    client = CommitClient()
    for code in (app.generate_otp(now + 3), app.generate_otp(now + 4)):
        response = _login(client, app_user.email, code)
        assert response.status_code == 200
        assert NEXT_CODE not in text(response)
        assert "_auth_user_id" not in client.session
    assert TotpDevice.objects.get(user=app_user).drift == 0


def test_a_sixty_second_card(manager_client, member, cards, frozen):
    totp = cards["CARD-0060"]
    step = _step(totp)
    assert _link(manager_client, member, "CARD-0060", totp.generate_otp(step)).status_code == 302
    assert TotpDevice.objects.get(user=member.user).period == 60
    frozen.shift(timedelta(seconds=60))
    assert _login(CommitClient(), member.user.email, totp.generate_otp(step + 1)).status_code == 302


def test_a_digital_card_is_a_qr_code_on_the_managers_screen(manager_client, member):
    response = manager_client.post(reverse("identity:space_card_digital", args=[member.pk]))
    page = text(manager_client.get(response["Location"]))
    assert 'src="data:image/svg+xml' in page
    secret = page.split('id="totp-secret">')[1].split("<")[0]
    phone = pyotp.TOTP(secret)
    response = manager_client.post(response["Location"], {"code": phone.now()})
    assert response.status_code == 302
    device = TotpDevice.objects.get(user=member.user, confirmed_at__isnull=False)
    assert (device.kind, device.label) == (TotpDevice.Kind.CARD, "Carte numérique")
    assert not OtpCard.objects.exists()  # no stock card involved
    assert (
        _login(CommitClient(), member.user.email, phone.at(T0 + timedelta(seconds=30))).status_code
        == 302
    )


def test_a_removed_member_gives_back_the_cards_of_the_space(manager_client, member, cards):
    totp = cards["CARD-0002"]
    _link(manager_client, member, "CARD-0002", totp.generate_otp(_step(totp)))
    manager_client.post(reverse("identity:space_member_remove", args=[member.pk]))
    card = OtpCard.objects.get(serial="CARD-0002")
    assert (card.status, card.device) == (OtpCard.Status.AVAILABLE, None)
    assert not TotpDevice.objects.filter(user=member.user).exists()
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_cards_of_another_space_are_out_of_reach(manager_client, member, cards):
    """A manager of another organisation can neither see nor report someone's card."""
    totp = cards["CARD-0001"]
    _link(manager_client, member, "CARD-0001", totp.generate_otp(_step(totp)))
    device = TotpDevice.objects.get(user=member.user)
    rival = person("rival@autre.example")
    other = organisation(rival, "Autre club")
    client = client_for(rival, other, strong=True)
    assert client.get(reverse("identity:space_card_lost", args=[device.pk])).status_code == 404
    assert client.post(reverse("identity:space_card_lost", args=[device.pk])).status_code == 404
    assert TotpDevice.objects.filter(pk=device.pk).exists()
