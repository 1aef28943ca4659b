"""Helpers for the account journeys: solve ALTCHA honestly, read the outbox, sign up, log in.

Forms ask for ALTCHA only when the risk calls for it (identity.antirobot): by default the
helpers post like a person without JavaScript (no ALTCHA); ``altcha=True`` solves one.
"""

import base64
import html
import json
import re

from altcha import solve_challenge
from django.urls import reverse
from django_altcha import get_altcha_challenge

from identity.models import Notification

PASSWORD = "Un-Mot-De-Passe-2026!"
NEW_PASSWORD = "Autre-Secret-Solide-77?"


def altcha_payload() -> str:
    """Solve a real (small) proof-of-work challenge signed with the server's HMAC key."""
    challenge = get_altcha_challenge(max_number=2000)
    solution = solve_challenge(challenge)
    payload = {
        "algorithm": challenge.algorithm,
        "challenge": challenge.challenge,
        "number": solution.number,
        "salt": challenge.salt,
        "signature": challenge.signature,
    }
    return base64.b64encode(json.dumps(payload).encode()).decode()


def text(response) -> str:
    """The page as a person reads it (entities decoded)."""
    return html.unescape(response.content.decode())


def messages_to(recipient: str, channel: str = Notification.Channel.EMAIL):
    return list(
        Notification.objects.filter(recipient=recipient, channel=channel).order_by("created_at")
    )


def last_message(recipient: str, channel: str = Notification.Channel.EMAIL) -> Notification:
    found = messages_to(recipient, channel)
    assert found, f"no {channel} to {recipient}"
    return found[-1]


def link_in(notification: Notification, fragment: str) -> str:
    match = re.search(r"https?://\S*" + re.escape(fragment) + r"\S*", notification.body_text)
    assert match, notification.body_text
    return match.group(0).rstrip(".")


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def code_in(notification: Notification) -> str:
    return re.search(r"\b(\d{6})\b", notification.body_text).group(1)


def with_altcha(data: dict, altcha: bool) -> dict:
    return {**data, "altcha": altcha_payload()} if altcha else data


def from_ip(ip: str | None) -> dict:
    """Extra request arguments that make the request come from ``ip``."""
    return {"REMOTE_ADDR": ip} if ip else {}


def signup(client, email: str, password: str = PASSWORD, *, altcha=False, ip=None, **extra):
    data = {
        "email": email,
        "email2": email,
        "password1": password,
        "password2": password,
        "terms": "on",
        **extra,
    }
    return client.post(reverse("account_signup"), with_altcha(data, altcha), **from_ip(ip))


def activate(client, email: str):
    link = link_in(last_message(email), "/compte/confirm-email/")
    return client.post(path_of(link))


def login_password(client, email: str, password: str = PASSWORD, *, altcha=False, ip=None):
    return client.post(
        reverse("account_login"),
        with_altcha({"login": email, "password": password}, altcha),
        **from_ip(ip),
    )


def asks_for_altcha(response) -> bool:
    """Whether the page shows the anti-robot widget."""
    return "<altcha-widget" in response.content.decode()


def submit_code(client, code: str, *, ip=None):
    return client.post(reverse("identity:second_factor"), {"code": code}, **from_ip(ip))


def login_with_emailed_code(client, email: str, password: str = PASSWORD):
    response = login_password(client, email, password)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == reverse("identity:second_factor")
    return submit_code(client, code_in(last_message(email)))


def make_active_user(email: str, password: str = PASSWORD, **fields):
    """An activated account (verified email, current terms accepted) as a sign-up leaves
    it, created through the model layer."""
    from allauth.account.models import EmailAddress

    from identity.models import User
    from identity.services import terms_accept_current

    user = User.objects.create_user(email, password, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    terms_accept_current(user=user)
    return user
