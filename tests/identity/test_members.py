"""Members of an organisation space, through the views (ADR 0308): invitations by email
(7 days), a new member's first connection with the emailed link and the code sent by SMS
to the mobile the manager typed, roles, removal (access ends at the next request), the
last manager who cannot leave, the space's log, and the management pages as a staff area.
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from identity.models import Membership, Notification, SpaceEvent, SpaceInvitation, User
from identity.selectors import space_personal_for
from tests.identity.helpers import (
    code_in,
    last_message,
    link_in,
    login_password,
    login_with_emailed_code,
    path_of,
    submit_code,
    text,
)
from tests.support.client import CommitClient
from tests.support.filing import PASSWORD
from tests.support.organisations import add_member, client_for, organisation, person

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Nouveau-Membre-2026!"
MOBILE = "+33612345678"
MANAGE = reverse("identity:space_manage")
INVITE = reverse("identity:space_invite")


@pytest.fixture
def manager(db):
    return person("gerante@asso.example", "Gaëlle", "Rivière")


@pytest.fixture
def org(manager):
    return organisation(manager)


@pytest.fixture
def manager_client(manager, org):
    return client_for(manager, org, strong=True)


def _invite(client, email="nouveau@example.fr", phone="06 12 34 56 78", role="member"):
    response = client.post(INVITE, {"email": email, "phone": phone, "role": role})
    assert response.status_code == 302, text(response)[:3000]
    return link_in(last_message(email), "/invitation/")


def _first_connection(client, link, *, password=NEW_PASSWORD):
    """Open the link, ask for the SMS code, type it with a password."""
    page = client.get(path_of(link))
    assert "se terminant par 78" in text(page)
    response = client.post(path_of(link) + "code/envoyer/")
    assert response.status_code == 302
    code = code_in(last_message(MOBILE, Notification.Channel.SMS))
    return client.post(
        path_of(link) + "code/",
        {"code": code, "password1": password, "password2": password, "terms": "on"},
    )


def test_a_new_member_joins_with_the_link_and_the_sms_code(manager_client, org):
    link = _invite(manager_client)
    invitation = SpaceInvitation.objects.get()
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    assert "Gaëlle Rivière" in last_message("nouveau@example.fr").body_text

    client = CommitClient()
    response = _first_connection(client, link)
    assert response["Location"] == reverse("identity:invitation_welcome")
    user = User.objects.get(email="nouveau@example.fr")
    assert user.check_password(NEW_PASSWORD)
    assert user.verified_phone == MOBILE  # the code proved the number
    assert user.emailaddress_set.get().verified
    assert Membership.objects.get(user=user, space=org).role == Membership.Role.MEMBER
    page = text(client.get(response["Location"]))
    assert reverse("identity:totp_enrol") in page  # enrol an app now, or get a card
    assert org.name in text(client.get(reverse("cases:my_cases")))  # acting in the org
    assert SpaceEvent.objects.filter(space=org, kind=SpaceEvent.Kind.JOINED).exists()
    # The link is used: a second time it says so.
    assert client_for(user).get(path_of(link)).status_code == 404
    # Later logins are ordinary ones: the password just chosen, a code by SMS to the
    # mobile now verified.
    client.logout()
    assert login_password(client, "nouveau@example.fr", NEW_PASSWORD).status_code == 302
    response = submit_code(client, code_in(last_message(MOBILE, Notification.Channel.SMS)))
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_link_alone_or_a_wrong_code_does_not_let_anyone_in(manager_client, org):
    link = _invite(manager_client)
    client = CommitClient()
    # Without the SMS code step, the code page sends back to the link's page.
    assert client.get(path_of(link) + "code/")["Location"] == path_of(link)
    client.post(path_of(link) + "code/envoyer/")
    right = code_in(last_message(MOBILE, Notification.Channel.SMS))
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    data = {"code": wrong, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "terms": "on"}
    response = client.post(path_of(link) + "code/", data)
    assert response.status_code == 400
    assert "Ce code n'est pas le bon" in text(response)
    assert "_auth_user_id" not in client.session
    assert not Membership.objects.filter(space=org, user__email="nouveau@example.fr").exists()
    # Another browser (no code asked there) cannot use the code sent to this one.
    other = CommitClient()
    other.get(path_of(link))
    assert other.post(path_of(link) + "code/", {**data, "code": right}).status_code == 302
    assert other.get(path_of(link) + "code/").status_code == 302  # nothing was sent to it
    assert "_auth_user_id" not in other.session


def test_a_weak_password_is_refused_and_the_code_still_works(manager_client, org):
    link = _invite(manager_client)
    client = CommitClient()
    client.post(path_of(link) + "code/envoyer/")
    code = code_in(last_message(MOBILE, Notification.Channel.SMS))
    data = {"code": code, "password1": "court", "password2": "court", "terms": "on"}
    assert client.post(path_of(link) + "code/", data).status_code == 400
    data |= {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.post(path_of(link) + "code/", data).status_code == 302


def test_an_invitation_link_dies_after_7_days(manager_client, org):
    link = _invite(manager_client)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = CommitClient().get(path_of(link))
    assert response.status_code == 404
    assert "n'est plus valable" in text(response)


def test_someone_with_an_account_logs_in_and_accepts(manager_client, org):
    existing = person("ancienne@example.fr", "Inès", "Durand")
    link = _invite(manager_client, email="ancienne@example.fr")
    client = CommitClient()
    page = text(client.get(path_of(link)))
    assert "Vous avez déjà un compte" in page
    assert client.post(path_of(link) + "code/envoyer/")["Location"] == path_of(link)
    assert not Notification.objects.filter(channel="sms").exists()  # no code for them

    login_with_emailed_code(client, "ancienne@example.fr", PASSWORD)
    assert client.post(path_of(link)).status_code == 302
    assert Membership.objects.get(user=existing, space=org).role == Membership.Role.MEMBER
    # Someone else's session cannot use the link.
    link2 = _invite(manager_client, email="autre@example.fr")
    response = client.post(path_of(link2))
    assert "pour une autre adresse" in text(response)
    assert not Membership.objects.filter(space=org, user__email="autre@example.fr").exists()


def test_a_member_is_not_invited_again(manager_client, org):
    add_member(org, person("membre@asso.example"))
    response = manager_client.post(
        INVITE, {"email": "MEMBRE@asso.example", "phone": MOBILE, "role": "member"}
    )
    assert "déjà membre de l'espace" in text(response)
    assert not SpaceInvitation.objects.exists()


def test_a_revoked_or_replaced_invitation_stops_working(manager_client, org):
    first = _invite(manager_client)
    second = _invite(manager_client)  # the same address again: the first link dies
    assert CommitClient().get(path_of(first)).status_code == 404
    invitation = SpaceInvitation.objects.get(revoked_at=None)
    response = manager_client.post(
        reverse("identity:space_invitation_revoke", args=[invitation.pk])
    )
    assert response.status_code == 302
    assert CommitClient().get(path_of(second)).status_code == 404


def test_the_manager_sets_roles_and_a_co_manager_cannot(manager_client, org, manager):
    member = add_member(org, person("membre@asso.example", "Marc", "Lemoine"))
    role_url = reverse("identity:space_member_role", args=[member.pk])
    assert manager_client.post(role_url, {"role": "co_manager"}).status_code == 302
    member.refresh_from_db()
    assert member.role == Membership.Role.CO_MANAGER
    event = SpaceEvent.objects.get(kind=SpaceEvent.Kind.ROLE_CHANGED)
    assert (event.actor_name, event.subject_name) == ("Gaëlle Rivière", "Marc Lemoine")

    co_manager = client_for(member.user, org, strong=True)
    assert co_manager.get(MANAGE).status_code == 200
    mine = Membership.objects.get(user=manager, space=org)
    assert (
        co_manager.post(
            reverse("identity:space_member_role", args=[mine.pk]), {"role": "member"}
        ).status_code
        == 404
    )
    assert (
        co_manager.post(reverse("identity:space_member_remove", args=[mine.pk])).status_code == 404
    )
    # A co-manager invites, but not managers.
    page = text(co_manager.get(INVITE))
    assert 'value="co_manager"' in page
    assert 'value="manager"' not in page


def test_a_removed_member_is_refused_at_their_next_request(manager_client, org):
    member = add_member(org, person("membre@asso.example"), Membership.Role.CO_MANAGER)
    their_client = client_for(member.user, org, strong=True)
    assert their_client.get(MANAGE).status_code == 200
    response = manager_client.post(reverse("identity:space_member_remove", args=[member.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert their_client.get(MANAGE).status_code == 404
    assert org.name not in text(their_client.get(reverse("cases:my_cases")))
    assert SpaceEvent.objects.filter(kind=SpaceEvent.Kind.REMOVED).exists()


def test_the_last_manager_can_neither_leave_nor_be_removed_nor_demoted(
    manager_client, org, manager
):
    mine = Membership.objects.get(user=manager, space=org)
    response = manager_client.post(reverse("identity:space_leave"), follow=True)
    assert "doit garder au moins un gestionnaire" in text(response)
    response = manager_client.post(
        reverse("identity:space_member_remove", args=[mine.pk]), follow=True
    )
    assert "doit garder au moins un gestionnaire" in text(response)
    response = manager_client.post(
        reverse("identity:space_member_role", args=[mine.pk]), {"role": "member"}, follow=True
    )
    assert "doit garder au moins un gestionnaire" in text(response)
    mine.refresh_from_db()
    assert mine.role == Membership.Role.MANAGER

    # With a second manager, the first may leave.
    add_member(org, person("second@asso.example"), Membership.Role.MANAGER)
    assert manager_client.post(reverse("identity:space_leave")).status_code == 302
    assert not Membership.objects.filter(pk=mine.pk).exists()
    page = text(manager_client.get(reverse("cases:my_cases")))
    assert "Mon espace personnel" in page
    assert "plus accès" not in page


def test_a_member_leaves_and_a_personal_space_cannot_be_left(org):
    member = add_member(org, person("membre@asso.example"))
    client = client_for(member.user, org)
    assert client.post(reverse("identity:space_leave")).status_code == 302
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert SpaceEvent.objects.filter(kind=SpaceEvent.Kind.LEFT).exists()
    assert client.post(reverse("identity:space_leave")).status_code == 404  # personal now
    assert Membership.objects.filter(space=space_personal_for(user=member.user)).exists()


def test_the_space_log_says_who_did_what(manager_client, org):
    _invite(manager_client)
    member = add_member(org, person("membre@asso.example", "Marc", "Lemoine"))
    manager_client.post(reverse("identity:space_member_remove", args=[member.pk]))
    page = text(manager_client.get(reverse("identity:space_log")))
    for line in ("Espace créé", "Invitation envoyée", "Membre retiré", "Marc Lemoine"):
        assert line in page
    assert page.count("Gaëlle Rivière") >= 3


def test_management_pages_need_an_app_or_card_login(org, manager):
    """Managers are staff (ADR 0007): a session that used an emailed code gets the 403
    page on every management URL, a member gets 404, a strong session gets in."""
    member = add_member(org, person("membre@asso.example"))
    weak = CommitClient()
    login_with_emailed_code(weak, manager.email, PASSWORD)
    urls = [
        MANAGE,
        INVITE,
        reverse("identity:space_log"),
        reverse("identity:space_member", args=[member.pk]),
    ]
    for url in urls:
        response = weak.get(url)
        assert response.status_code == 403, url
        assert "Connexion renforcée nécessaire" in text(response)
    assert weak.post(INVITE, {"email": "x@example.fr", "phone": MOBILE}).status_code == 403
    assert not SpaceInvitation.objects.exists()
    plain_member = client_for(member.user, org, strong=True)
    assert all(plain_member.get(url).status_code == 404 for url in urls)
    strong = client_for(manager, org, strong=True)
    assert all(strong.get(url).status_code == 200 for url in urls)
    # A strong session acting in another space manages nothing there.
    strong.post(reverse("identity:space_switch"), {"space": space_personal_for(user=manager).pk})
    assert strong.get(MANAGE).status_code == 404


def test_sms_codes_of_an_invitation_are_limited(manager_client, org, settings):
    link = _invite(manager_client)
    client = CommitClient()
    attempts = settings.GUICHET_RATE_LIMITS["invitation_code_send"]["attempts"]
    for _ in range(attempts):
        assert client.post(path_of(link) + "code/envoyer/")["Location"].endswith("/code/")
    response = client.post(path_of(link) + "code/envoyer/", follow=True)
    assert "Trop de tentatives" in text(response)
    assert Notification.objects.filter(channel="sms").count() == attempts
