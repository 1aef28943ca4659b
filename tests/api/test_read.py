"""Reads of /api/v1/: a token's démarches, their demandes (filters, cursor pages), one
demande with its answers, files, timeline, discussion, avis and decision."""

import hashlib

import pytest
from django.utils import timezone

from api.models import ApiToken
from cases.models import Case
from tests.support.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_procedures_list_and_detail(make_token, api_client_for):
    _, secret = make_token("aide-chauffage")
    client = api_client_for(secret)
    response = client.get("/api/v1/procedures/")
    assert response.status_code == 200
    assert [p["slug"] for p in response.json()] == ["aide-chauffage"]
    detail = client.get("/api/v1/procedures/aide-chauffage/").json()
    assert detail["current_version"] == 1
    assert detail["versions"][0]["number"] == 1
    assert {"name", "type", "label", "required", "choices"} <= set(
        detail["versions"][0]["fields"][0]
    )


def test_cases_filters_and_cursor_pages(make_token, api_client_for, django_assert_max_num_queries):
    accepted = CaseFactory(accepted=True)
    waiting = CaseFactory(awaiting_applicant=True)
    CaseFactory(draft=True)  # never listed
    _, secret = make_token("aide-chauffage")
    client = api_client_for(secret)
    everything = client.get("/api/v1/procedures/aide-chauffage/cases/").json()
    assert {c["number"] for c in everything["results"]} == {accepted.number, waiting.number}
    only = client.get("/api/v1/procedures/aide-chauffage/cases/?status=accepted").json()
    assert [c["number"] for c in only["results"]] == [accepted.number]
    waiting.refresh_from_db()
    since = client.get(
        "/api/v1/procedures/aide-chauffage/cases/",
        {"updated_since": waiting.updated_at.isoformat()},
    ).json()
    assert [c["number"] for c in since["results"]] == [waiting.number]
    # Cursor pages of one: the first page links to the second, oldest change first.
    first = client.get("/api/v1/procedures/aide-chauffage/cases/?page_size=1").json()
    assert len(first["results"]) == 1
    assert first["next"]
    with django_assert_max_num_queries(12):
        second = client.get(first["next"]).json()
    assert [c["number"] for c in first["results"] + second["results"]] == sorted(
        [accepted.number, waiting.number],
        key=lambda n: Case.objects.get(number=n).updated_at,
    )
    bad = client.get("/api/v1/procedures/aide-chauffage/cases/?status=nope")
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    assert bad.json()["errors"]["status"]


def test_one_case_with_everything_and_its_files(
    make_token, api_client_for, django_assert_max_num_queries
):
    case = CaseFactory(refused=True)
    _, secret = make_token("aide-chauffage")
    client = api_client_for(secret)
    with django_assert_max_num_queries(20):  # a fixed number, whatever the demande holds
        data = client.get(f"/api/v1/cases/{case.display_number}/").json()
    assert data["number"] == case.number
    assert data["decision"] == {
        "status": "refused",
        "reason": case.decision_reason,
        "decided_at": data["decided_at"],
    }
    answers = {a["name"]: a for a in data["answers"]}
    assert all(a["type"] for a in answers.values())
    assert [e["kind"] for e in data["events"]] == list(case.events.values_list("kind", flat=True))
    assert data["messages"]
    assert data["messages"][-1]["author_role"] == "instructor"
    assert data["task"] is None
    file = data["files"][0]
    response = client.get(file["download_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == file["mime"]
    assert hashlib.sha256(response.content).hexdigest() == file["sha256"]
    # A file field's answer names its files.
    field = answers[case.files.filter(message__isnull=True).first().field_name]
    assert str(case.files.filter(message__isnull=True).first().pk) in field["value"]


def test_token_is_stored_hashed_and_its_use_recorded(make_token, api_client_for):
    token, secret = make_token("aide-chauffage")
    assert secret.startswith("gch_")
    assert len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(stored.__dict__)
    assert stored.last_used_at is None
    api_client_for(secret).get("/api/v1/procedures/")
    stored.refresh_from_db()
    assert stored.last_used_at is not None
    assert timezone.now() - stored.last_used_at < timezone.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("language", "title"), [("fr", "Ressource introuvable"), ("en", "Not found")]
)
def test_errors_are_problems_in_french_or_english(make_token, api_client_for, language, title):
    _, secret = make_token("aide-chauffage")
    response = api_client_for(secret).get("/api/v1/cases/ABCDEFGH/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["title"] == title
    assert body["status"] == 404
    assert body["type"].endswith("/introuvable")
    assert "detail" in body


def test_without_a_token_401(db, client):
    response = client.get("/api/v1/procedures/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["status"] == 401


def test_rate_limit_429_with_retry_after(make_token, api_client_for, settings):
    settings.GUICHET_RATE_LIMITS = {
        **settings.GUICHET_RATE_LIMITS,
        "api_token": {"attempts": 3, "window": 60, "backoff": 30, "max_backoff": 60},
    }
    _, secret = make_token("aide-chauffage")
    client = api_client_for(secret)
    assert [client.get("/api/v1/procedures/").status_code for _ in range(3)] == [200] * 3
    refused = client.get("/api/v1/procedures/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 31
    assert refused.json()["title"] == "Trop de requêtes"
    # Another token has its own allowance.
    _, other = make_token("aide-chauffage")
    assert api_client_for(other).get("/api/v1/procedures/").status_code == 200
