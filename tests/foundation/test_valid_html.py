"""RGAA criterion 8.2: the key pages of every role pass the Nu HTML Checker with no error.

The pages are rendered by the real views on the demo data (``seed_demo``), as an
anonymous visitor, an applicant and an instructor, then checked in one batch.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases.models import Case
from identity.models import User
from identity.selectors import SECOND_FACTOR_SESSION_KEY
from tests.support.client import CommitClient
from tests.support.html_check import vnu_errors

pytestmark = [pytest.mark.django_db, pytest.mark.services("java")]

ANONYMOUS_PAGES = [
    "/",
    "/guides/",
    "/faq/",
    "/recherche/?q=aide",
    "/suivre/",
    "/compte/login/",
    "/compte/signup/",
    "/compte/password/reset/",
    "/faire-une-demarche/",
]

APPLICANT_PAGES = [
    "/mes-demarches/",
    "/activite/",
    "/porte-documents/",
    "/porte-documents/ajouter/",
    "/compte/securite/",
    "/compte/informations/",
    "/compte/mobile/",
]


def _session(email: str, *, second_factor: str) -> CommitClient:
    client = CommitClient()
    client.force_login(User.objects.get(email=email))
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = second_factor
    session.save()
    return client


def _html(client, url: str) -> str:
    response = client.get(url, follow=True)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.content.decode()


def test_key_pages_of_every_role_are_valid_html():
    call_command("seed_demo", stdout=None)
    pages: dict[str, str] = {}

    anonymous = CommitClient()
    for url in ANONYMOUS_PAGES:
        pages[f"anonymous {url}"] = _html(anonymous, url)

    applicant = _session("usager@guichet.test", second_factor="code")
    for url in APPLICANT_PAGES:
        pages[f"applicant {url}"] = _html(applicant, url)
    case = (
        Case.objects.filter(space__memberships__user__email="usager@guichet.test")
        .exclude(number="")
        .first()
    )
    detail = reverse("cases:case_detail", args=[case.number])
    for url in (detail, f"{detail}?onglet=historique", f"{detail}?onglet=messagerie"):
        pages[f"applicant {url}"] = _html(applicant, url)
    draft = Case.objects.filter(space=case.space, status=Case.Status.DRAFT).first()
    if draft is not None:
        url = reverse("cases:draft_edit", args=[draft.pk])
        pages[f"applicant {url}"] = _html(applicant, url)

    instructor = _session("instructeur@guichet.test", second_factor="totp")
    pages["instructor /instruction/"] = _html(instructor, "/instruction/")
    handled = (
        Case.objects.filter(service__instructors__email="instructeur@guichet.test")
        .exclude(status=Case.Status.DRAFT)
        .exclude(number="")
        .order_by("submitted_at")
        .first()
    )
    url = reverse("workflows:case", args=[handled.number])
    pages[f"instructor {url}"] = _html(instructor, url)

    errors = {name: found for name, found in vnu_errors(pages).items() if found}
    report = "\n".join(f"{name}:\n  " + "\n  ".join(found) for name, found in errors.items())
    assert not errors, f"{len(errors)} of {len(pages)} pages are not valid HTML:\n{report}"
