"""Activation of a pre-registered person in three steps, then login with the reference
number or the email (PRODUCT §2.4, ADR 0311), through the real views."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from identity.models import (
    Notification,
    PreregisteredActivation,
    PreregisteredPerson,
    Profile,
    User,
)
from identity.views.activation import wrong_facts_message
from tests.identity.helpers import (
    PASSWORD,
    altcha_payload,
    code_in,
    last_message,
    link_in,
    make_active_user,
    messages_to,
    path_of,
    submit_code,
    text,
)

pytestmark = pytest.mark.django_db

REFERENCE = "12345678"
EMAIL = "louise@example.fr"
FACTS = {
    "reference": REFERENCE,
    "birth_date": "1980-05-14",
    "sex": "F",
    "extra_fact": "Centre de Lyon",
}


@pytest.fixture
def person():
    return PreregisteredPerson.objects.create(
        reference=REFERENCE,
        birth_date=date(1980, 5, 14),
        sex="F",
        extra_fact="Centre de Lyon",
        imported_at=timezone.now(),
    )


def _facts(client, *, ip="198.51.100.1", altcha=True, **changes):
    """Step 1. A solved challenge is always sent: the form asks for it once failures
    have been seen (identity.antirobot); it is ignored before."""
    data = {**FACTS, **changes}
    if altcha:
        data["altcha"] = altcha_payload()
    return client.post(reverse("identity:activation_facts"), data, REMOTE_ADDR=ip)


def _credentials(client, email=EMAIL, password=PASSWORD, **changes):
    data = {"email": email, "email2": email, "password1": password, "password2": password}
    return client.post(reverse("identity:activation_credentials"), {**data, **changes})


def _activation_link(email=EMAIL) -> str:
    return path_of(link_in(last_message(email), "/compte/activer/lien/"))


def _activate(client, email=EMAIL):
    assert _facts(client)["Location"] == reverse("identity:activation_credentials")
    assert _credentials(client, email)["Location"] == reverse("identity:activation_link_sent")
    return client.post(_activation_link(email))


def _login(client, identifier: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": identifier, "password": password})


def _logged_in(client) -> bool:
    return client.get(reverse("identity:security")).status_code == 200


# --- The three steps --------------------------------------------------------------------


def test_activation_in_three_steps_then_the_emailed_link(client, person):
    page = text(client.get(reverse("identity:activation_facts")))
    assert "Étape 1 sur 3" in page
    assert 'class="fr-stepper"' in page
    assert "Centre de votre première visite" in page  # the extra fact's default label

    # Case, accents and spaces of the extra fact do not count; spaces in the reference
    # neither.
    response = _facts(client, reference="1234 5678", extra_fact="  centre de LYON ")
    assert response.status_code == 302
    assert response["Location"] == reverse("identity:activation_credentials")

    page = text(client.get(response["Location"]))
    assert "Étape 2 sur 3" in page
    assert "Étape suivante :</span> Le lien reçu par courriel" in page
    response = _credentials(client)
    assert response["Location"] == reverse("identity:activation_link_sent")
    page = text(client.get(response["Location"]))
    assert "Étape 3 sur 3" in page
    assert f"Un courriel vient d'être envoyé à {EMAIL}." in page
    # No account yet: only the link creates it.
    assert not User.objects.filter(email=EMAIL).exists()

    message = last_message(EMAIL)
    assert message.subject == "Activez votre compte"
    assert f"{settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS} jours" in message.body_text
    link = _activation_link()
    page = text(client.get(link))  # a link scanner's GET activates nothing
    assert "Étape 3 sur 3" in page
    assert "Activer mon compte" in page
    assert not User.objects.filter(email=EMAIL).exists()

    response = client.post(link)
    assert response.status_code == 200
    assert "Votre compte est activé" in text(response)
    user = User.objects.get(email=EMAIL)
    assert user.check_password(PASSWORD)
    assert EmailAddress.objects.get(user=user).verified
    person.refresh_from_db()
    assert person.user == user
    assert person.activated_at is not None
    assert Profile.objects.get(user=user).birth_date == date(1980, 5, 14)
    assert not PreregisteredActivation.objects.exists()
    # The link has served.
    assert client.post(link).status_code == 404


def test_the_extra_fact_is_named_by_the_site_setting(client, settings):
    settings.GUICHET_PREREGISTERED_FACT_LABEL = "Ville de votre centre de suivi"
    page = text(client.get(reverse("identity:activation_facts")))
    assert "Ville de votre centre de suivi" in page
    assert "Centre de votre première visite" not in page


def test_steps_2_and_3_are_not_reachable_without_step_1(client, person):
    assert client.get(reverse("identity:activation_credentials"))["Location"] == reverse(
        "identity:activation_facts"
    )
    response = _credentials(client)
    assert response["Location"] == reverse("identity:activation_facts")
    assert client.get(reverse("identity:activation_link_sent"))["Location"] == reverse(
        "identity:activation_facts"
    )
    assert not Notification.objects.exists()
    # Checked facts are good for 20 minutes.
    with time_machine.travel(timezone.now()) as clock:
        _facts(client)
        clock.shift(timedelta(minutes=21))
        assert _credentials(client)["Location"] == reverse("identity:activation_facts")


def test_step_2_asks_for_the_same_address_and_password_twice_and_a_strong_password(client, person):
    _facts(client)
    response = _credentials(client, email2="autre@example.fr", password2="Autre-Chose-2026!")
    page = text(response)
    assert "Saisissez la même adresse électronique deux fois." in page
    assert "Saisissez le même mot de passe deux fois." in page
    response = _credentials(client, password="motdepasse")
    assert "une lettre majuscule" in text(response)
    assert not Notification.objects.exists()


def test_only_the_latest_link_works_and_a_link_lasts_7_days(client, person):
    with time_machine.travel(timezone.now()) as clock:
        _facts(client)
        _credentials(client, "ancienne@example.fr")
        old = _activation_link("ancienne@example.fr")
        _facts(client)
        _credentials(client)
        new = _activation_link()
        assert "n'est plus valable" in text(client.get(old))
        assert client.post(old).status_code == 404
        clock.shift(timedelta(days=settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS, seconds=1))
        assert client.post(new).status_code == 404
    assert not User.objects.exists()


def test_an_address_with_an_account_gets_an_explanation_and_the_same_screen(client, person):
    make_active_user(EMAIL)
    _facts(client)
    response = _credentials(client)
    assert response["Location"] == reverse("identity:activation_link_sent")
    message = last_message(EMAIL)
    assert "déjà utilisée par un compte" in message.body_text
    assert "/compte/activer/lien/" not in message.body_text
    assert reverse("account_reset_password") in message.body_text
    assert not PreregisteredActivation.objects.exists()


# --- Wrong facts: one answer ------------------------------------------------------------

_VOLATILE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), "CSRF"),
    (re.compile(r'nonce="[^"]+"'), "NONCE"),
    (re.compile(r'challengejson="[^"]+"'), "CHALLENGE"),
    # What the person typed is shown back in the form.
    (re.compile(r' value="[^"]*"'), ""),
    (re.compile(r" checked"), ""),
]


def _normalised(response) -> str:
    page = response.content.decode()
    for pattern, replacement in _VOLATILE:
        page = pattern.sub(replacement, page)
    return page


@pytest.mark.parametrize(
    "wrong",
    [
        {"reference": "87654321"},
        {"birth_date": "1980-05-15"},
        {"sex": "M"},
        {"extra_fact": "Centre de Lille"},
    ],
    ids=["reference", "birth_date", "sex", "extra_fact"],
)
def test_each_wrong_fact_gives_exactly_the_same_answer(person, wrong):
    # The answer to a wrong reference is the yardstick for every other wrong fact.
    Client().get(reverse("identity:activation_facts"))  # caches warmed (the site, ...)
    with CaptureQueriesContext(connection) as baseline_queries:
        baseline = _facts(Client(), ip="203.0.113.1", reference="87654321")
    with CaptureQueriesContext(connection) as queries:
        response = _facts(Client(), ip="203.0.113.2", **wrong)
    assert response.status_code == baseline.status_code == 200
    assert wrong_facts_message() in text(response)
    assert _normalised(response) == _normalised(baseline)
    # The same work whatever is wrong: same database queries (in number).
    assert len(queries) == len(baseline_queries)
    assert not Notification.objects.exists()


def test_a_wrong_fact_never_says_which_one(client, person):
    page = text(_facts(client, sex="M"))
    assert "Le formulaire contient des erreurs" in page
    assert 'aria-invalid="true"' not in page
    assert "fr-input-group--error" not in page


# --- Limits -----------------------------------------------------------------------------


def test_attempts_are_limited_per_reference_from_any_ip(person):
    n = settings.GUICHET_RATE_LIMITS["preregistered_reference"]["attempts"]
    for attempt in range(n):
        response = _facts(Client(), ip=f"203.0.113.{attempt + 1}", extra_fact="Lille")
        assert wrong_facts_message() in text(response)
    # Past the limit even the right facts, from a new address, are refused for a while.
    response = _facts(Client(), ip="198.51.100.77")
    assert response.status_code == 200
    assert "Trop de tentatives. Réessayez dans" in text(response)
    # Another reference is not blocked from there.
    other = _facts(Client(), ip="198.51.100.77", reference="11112222")
    assert wrong_facts_message() in text(other)
    # The block ends.
    backoff = settings.GUICHET_RATE_LIMITS["preregistered_reference"]["backoff"]
    with time_machine.travel(timezone.now() + timedelta(seconds=backoff + 1)):
        response = _facts(Client(), ip="198.51.100.78")
    assert response["Location"] == reverse("identity:activation_credentials")


def test_attempts_are_limited_per_ip_whatever_the_reference(person):
    n = settings.GUICHET_RATE_LIMITS["preregistered_ip"]["attempts"]
    client = Client()
    for attempt in range(n):
        response = _facts(client, ip="203.0.113.9", reference=f"9000000{attempt}")
        assert wrong_facts_message() in text(response)
    response = _facts(client, ip="203.0.113.9")
    assert "Trop de tentatives. Réessayez dans" in text(response)
    # The person, from elsewhere, is not blocked.
    assert _facts(Client(), ip="198.51.100.5")["Location"] == reverse(
        "identity:activation_credentials"
    )


def test_after_failures_the_anti_robot_check_is_asked(person):
    threshold = settings.GUICHET_ANTIROBOT["preregistered"]["ip"]
    client = Client()
    for _ in range(threshold):
        _facts(client, ip="203.0.113.20", extra_fact="Lille")
    page = text(_facts(client, ip="203.0.113.20", altcha=False))
    assert "<altcha-widget" in page
    assert "Cochez la case « Je ne suis pas un robot »" in page
    assert _facts(client, ip="203.0.113.20")["Location"] == reverse(
        "identity:activation_credentials"
    )


def test_activation_links_sent_are_limited_per_reference(client, person):
    n = settings.GUICHET_RATE_LIMITS["preregistered_send"]["attempts"]
    for number in range(n):
        _facts(client)
        assert _credentials(client, f"essai{number}@example.fr").status_code == 302
    _facts(client)
    response = _credentials(client)
    assert "Trop de tentatives" in text(response)
    assert messages_to(EMAIL) == []


# --- Once only --------------------------------------------------------------------------


def test_a_reference_activates_once(client, person):
    _activate(client)
    response = _facts(Client(), ip="198.51.100.9")
    assert response.status_code == 200
    page = text(response)
    assert "Ce numéro de référence est déjà activé" in page
    assert "Connectez-vous avec votre numéro de référence ou votre adresse électronique" in page
    assert reverse("account_login") in page
    assert reverse("account_reset_password") in page
    assert User.objects.count() == 1


def test_a_second_link_opened_after_activation_is_refused(person):
    first, second = Client(), Client()
    _facts(first)
    _credentials(first, "premiere@example.fr")
    _facts(second, ip="198.51.100.3")
    # Both pending at once is impossible: the second request replaced the first one.
    _credentials(second, "seconde@example.fr")
    assert first.post(_activation_link("premiere@example.fr")).status_code == 404
    assert second.post(_activation_link("seconde@example.fr")).status_code == 200
    assert list(User.objects.values_list("email", flat=True)) == ["seconde@example.fr"]


# --- Logging in afterwards --------------------------------------------------------------


def _accept_terms(client):
    """Accept what the terms stage shows (a new account has accepted nothing yet)."""
    page = client.get(reverse("identity:terms_accept")).content.decode()
    shown = re.findall(r'name="terms" value="(\d+)"', page)
    return client.post(reverse("identity:terms_accept"), {"decision": "accept", "terms": shown})


def test_after_activation_the_person_logs_in_with_the_reference_number(client, person):
    _activate(client)
    response = _login(client, REFERENCE)
    # The same login view and the same stages: second factor (code to the account's
    # address), then the terms the person has not accepted yet.
    assert response["Location"] == reverse("identity:second_factor")
    response = submit_code(client, code_in(last_message(EMAIL)))
    assert response["Location"] == reverse("identity:terms_accept")
    assert _accept_terms(client).status_code == 302
    assert _logged_in(client)


def test_after_activation_the_person_logs_in_with_the_email_too(client, person):
    _activate(client)
    other = Client()
    assert _login(other, EMAIL)["Location"] == reverse("identity:second_factor")
    submit_code(other, code_in(last_message(EMAIL)))
    _accept_terms(other)
    assert _logged_in(other)


def _masked(response, typed: str) -> str:
    page = response.content.decode().replace(typed, "TYPED")
    for pattern, replacement in _VOLATILE[:3]:
        page = pattern.sub(replacement, page)
    return page


def test_a_wrong_password_with_a_reference_answers_like_an_unknown_reference(client, person):
    _activate(client)
    known = _login(Client(), REFERENCE, "Pas-Le-Bon-2026!")
    unknown = _login(Client(), "99999999", "Pas-Le-Bon-2026!")
    assert known.status_code == unknown.status_code == 200
    assert "L'identifiant ou le mot de passe est incorrect." in text(known)
    assert _masked(known, REFERENCE) == _masked(unknown, "99999999")
    assert len(messages_to(EMAIL)) == 1  # the activation link only: no code sent


def test_a_reference_not_yet_activated_cannot_log_in(person):
    response = _login(Client(), REFERENCE, PASSWORD)
    assert response.status_code == 200
    assert "L'identifiant ou le mot de passe est incorrect." in text(response)


def test_the_login_form_says_what_an_identifier_looks_like(client):
    response = _login(client, "louise")
    message = "Saisissez une adresse électronique ou un numéro de référence à 8 chiffres."
    assert message in text(response)


@pytest.mark.services("java")
def test_the_pages_of_activation_and_terms_are_valid_html(client, person):
    """RGAA 8.2 on every new page, rendered by the real views at each step."""
    from tests.support.html_check import vnu_errors

    pages = {"/cgu/": client.get("/cgu/").content.decode()}
    pages["facts"] = client.get(reverse("identity:activation_facts")).content.decode()
    pages["facts, wrong"] = _facts(client, ip="203.0.113.30", sex="M").content.decode()
    _facts(client)
    pages["credentials"] = client.get(reverse("identity:activation_credentials")).content.decode()
    pages["credentials, errors"] = _credentials(client, email2="x@example.fr").content.decode()
    _credentials(client)
    pages["link sent"] = client.get(reverse("identity:activation_link_sent")).content.decode()
    link = _activation_link()
    pages["confirm"] = client.get(link).content.decode()
    pages["done"] = client.post(link).content.decode()
    pages["already"] = _facts(Client(), ip="198.51.100.31").content.decode()
    pages["invalid link"] = client.get(link).content.decode()
    _login(client, REFERENCE)
    submit_code(client, code_in(last_message(EMAIL)))
    pages["terms to accept"] = client.get(reverse("identity:terms_accept")).content.decode()

    errors = {name: found for name, found in vnu_errors(pages).items() if found}
    assert not errors, errors
