"""Who may call what on /api/v1/. Every endpoint is listed here: the first test fails
when the URL resolver has one this list lacks, so a new endpoint cannot skip these tests.

A token reaches only its démarches (404 elsewhere, nothing changed), a read token never
acts (403), and an expired or revoked token is refused (401).
"""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from api import services
from cases.models import Case, CaseEvent, CaseMessage
from tests.support.factories import CaseFactory

pytestmark = pytest.mark.django_db

V1 = "api/v1/"


def _number(case):
    return case.display_number


def _file(case):
    return str(case.files.first().pk)


# name: (method, path template, JSON body). {slug}, {number} and {file} are the target's.
ENDPOINTS = {
    "v1-procedures": ("get", "procedures/", None),
    "v1-procedure": ("get", "procedures/{slug}/", None),
    "v1-cases": ("get", "procedures/{slug}/cases/", None),
    "v1-case": ("get", "cases/{number}/", None),
    "v1-case-file": ("get", "cases/{number}/files/{file}/", None),
    "v1-take": ("post", "cases/{number}/take/", {}),
    "v1-assign": ("post", "cases/{number}/assign/", {"to": "alice.durand@departement.example"}),
    "v1-complete": ("post", "cases/{number}/complete/", {}),
    "v1-request-information": ("post", "cases/{number}/request-information/", {"body": "RIB ?"}),
    "v1-message": ("post", "cases/{number}/messages/", {"body": "Bonjour"}),
    "v1-decide": ("post", "cases/{number}/decide/", {"decision": "accepted"}),
}
WRITES = [name for name, (method, _, _) in ENDPOINTS.items() if method == "post"]


def _v1_names(resolver=None, prefix=""):
    """The names of every URL pattern under /api/v1/, found through the whole URLconf."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            names |= _v1_names(pattern, route)
        elif isinstance(pattern, URLPattern) and route.startswith(V1):
            names.add(pattern.name)
    return names


def test_every_v1_endpoint_is_listed():
    assert _v1_names() == set(ENDPOINTS)


def _call(client, name, case):
    method, template, body = ENDPOINTS[name]
    path = (
        "/" + V1 + template.format(slug=case.procedure.slug, number=_number(case), file=_file(case))
    )
    if method == "get":
        return client.get(path)
    return client.post(path, body, content_type="application/json")


def _state(case):
    case.refresh_from_db()
    return (
        case.status,
        case.next_task_status,
        case.next_task_owner_id,
        CaseEvent.objects.filter(case=case).count(),
        CaseMessage.objects.filter(case=case).count(),
    )


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_a_token_of_another_demarche_reaches_nothing(name, make_token, api_client_for):
    """A token for "changement-adresse" (same administrator, same service, instruct
    scope) against a demande of "aide-chauffage": 404, nothing changes. Then the heating
    aid's own token reaches the same URL, so the 404 is the authorisation's."""
    case = CaseFactory(in_instruction=True)
    _, other = make_token("changement-adresse")
    before = _state(case)
    response = _call(api_client_for(other), name, case)
    if name == "v1-procedures":
        assert response.status_code == 200
        assert "aide-chauffage" not in {p["slug"] for p in response.json()}
    else:
        assert response.status_code == 404, response.content
        assert response["Content-Type"] == "application/problem+json"
    assert _state(case) == before
    _, own = make_token("aide-chauffage")
    response = _call(api_client_for(own), name, case)
    assert response.status_code != 404, response.content
    if name == "v1-procedures":
        assert "aide-chauffage" in {p["slug"] for p in response.json()}


@pytest.mark.parametrize("name", WRITES)
def test_a_read_token_cannot_instruct(name, make_token, api_client_for):
    case = CaseFactory(in_instruction=True)
    _, read = make_token("aide-chauffage", can_instruct=False)
    before = _state(case)
    response = _call(api_client_for(read), name, case)
    assert response.status_code == 403, response.content
    assert response.json()["title"] == "Action interdite"
    assert _state(case) == before


def _expired(make_token):
    token, secret = make_token("aide-chauffage")
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save(update_fields=["expires_at"])
    return secret


def _revoked(make_token):
    token, secret = make_token("aide-chauffage")
    services.token_revoke(token=token, user=token.created_by)
    return secret


def _creator_deactivated(make_token):
    token, secret = make_token("aide-chauffage")
    token.created_by.is_active = False
    token.created_by.save(update_fields=["is_active"])
    return secret


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
@pytest.mark.parametrize(
    "spoil",
    [_expired, _revoked, _creator_deactivated],
    ids=["expired", "revoked", "creator-deactivated"],
)
def test_expired_or_revoked_tokens_are_refused(name, spoil, make_token, api_client_for):
    case = CaseFactory(in_instruction=True)
    secret = spoil(make_token)
    before = _state(case)
    response = _call(api_client_for(secret), name, case)
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == "Bearer"
    assert _state(case) == before


def test_an_instruct_token_acts_as_its_creator_who_must_instruct(
    make_token, api_client_for, demarche_admin, colleague, demo_procedures
):
    """The actor is the token's creator: once they no longer instruct the service, the
    instruction services refuse the call (403), though the token still reads."""
    case = CaseFactory(in_instruction=True)
    _, secret = make_token("aide-chauffage")
    client = api_client_for(secret)
    demo_procedures["aide-chauffage"].service.instructors.remove(demarche_admin)
    before = _state(case)
    assert client.post(f"/api/v1/cases/{case.number}/take/").status_code == 403
    assert _state(case) == before
    assert client.get(f"/api/v1/cases/{case.number}/").status_code == 200


def test_an_instruct_token_needs_an_instructor(demarche_admin, demo_procedures):
    from django.core.exceptions import ValidationError

    demo_procedures["aide-chauffage"].service.instructors.remove(demarche_admin)
    with pytest.raises(ValidationError):
        services.token_create(
            user=demarche_admin,
            name="x",
            procedures=[demo_procedures["aide-chauffage"]],
            can_instruct=True,
            expires_at=timezone.now() + timedelta(days=1),
        )


def test_drafts_are_never_reachable(make_token, api_client_for):
    draft = CaseFactory(draft=True)
    _, secret = make_token("aide-chauffage")
    assert draft.number is None
    listed = api_client_for(secret).get("/api/v1/procedures/aide-chauffage/cases/?status=draft")
    assert listed.json()["results"] == []
    assert Case.objects.filter(status=Case.Status.DRAFT).exists()
