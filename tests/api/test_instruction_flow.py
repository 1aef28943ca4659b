"""Instruction through the API is the instruction of the screens: take → request
information → the applicant replies (through the portal's reply view, with the test
client) → take → complete → accept, once through the instructor's screens and once through the
API, give the same timeline (CaseEvent) and the same emails (mail.outbox, Celery eager)."""

import pytest

from tests.support.api import mails, timeline
from tests.support.instruction import act, agrees, file_heating_aid, reply, take

pytestmark = pytest.mark.django_db

QUESTION = "Merci d'envoyer votre RIB."


def instruct_on_screens(case, instructor_client, applicant_client):
    take(instructor_client, case)
    act(instructor_client, case, "request", body=QUESTION)
    reply(applicant_client, case, body="Le voici.")
    take(instructor_client, case)  # the reply puts the demande back in "À traiter"
    act(instructor_client, case, "complete")
    act(instructor_client, case, "decide", decision="accepted")


def _instruct_through_api(case, api, applicant_client):
    base = f"/api/v1/cases/{case.display_number}/"
    steps = [
        ("take/", {}),
        ("request-information/", {"body": QUESTION}),
        None,  # the applicant replies on the portal
        ("take/", {}),
        ("complete/", {}),
        ("decide/", {"decision": "accepted"}),
    ]
    for step in steps:
        if step is None:
            reply(applicant_client, case, body="Le voici.")
            continue
        response = api.post_json(base + step[0], step[1])
        assert response.status_code == 200, response.content
        agrees(case)
    return api.get(base).json()


def test_api_instruction_equals_the_screens(
    demarche_admin, instructor_client, applicant_client, make_token, api_client_for, mailoutbox
):
    _, secret = make_token("aide-chauffage")
    api = api_client_for(secret)

    on_screens = file_heating_aid(applicant_client, defer_tax_notice=False)
    events, sent = on_screens.events.count(), len(mailoutbox)
    instruct_on_screens(on_screens, instructor_client, applicant_client)
    screens = (timeline(on_screens, events), mails(mailoutbox, sent, on_screens))

    through_api = file_heating_aid(applicant_client, defer_tax_notice=False)
    events, sent = through_api.events.count(), len(mailoutbox)
    final = _instruct_through_api(through_api, api, applicant_client)
    by_api = (timeline(through_api, events), mails(mailoutbox, sent, through_api))

    assert by_api == screens
    kinds = [kind for kind, *_ in by_api[0]]
    assert kinds.count("decision") == 1
    assert "message" in kinds
    assert any("acceptée" in subject for _, subject, _ in by_api[1])
    assert final["status"] == "accepted"
    assert final["decision"]["status"] == "accepted"
    assert final["task"] is None
    # The actor of every instructor event is the token's creator.
    assert {actor for _, role, actor, *_ in by_api[0] if role == "instructor"} == {
        demarche_admin.pk
    }


def test_conflicts_are_409_problems(make_token, api_client_for, applicant_client, colleague):
    """What the screens refuse with a message, the API refuses with a 409 problem."""
    case = file_heating_aid(applicant_client, defer_tax_notice=False)
    _, secret = make_token("aide-chauffage")
    api = api_client_for(secret)
    base = f"/api/v1/cases/{case.number}/"
    # Acting before taking the demande.
    response = api.post_json(base + "request-information/", {"body": QUESTION})
    assert response.status_code == 409
    assert response.json()["detail"] == "Prenez d'abord ce dossier pour agir dessus."
    # Writing while the discussion is closed.
    assert api.post_json(base + "messages/", {"body": "Bonjour"}).status_code == 409
    # Giving it to a colleague, then trying to take it back: taken meanwhile.
    assert api.post_json(base + "assign/", {"to": colleague.email}).status_code == 200
    taken = api.post_json(base + "take/")
    assert taken.status_code == 409
    assert "Bruno Petit" in taken.json()["detail"]
    # A body that does not parse is a 400 problem listing the field.
    bad = api.post_json(base + "decide/", {"decision": "maybe"})
    assert bad.status_code == 400
    assert "decision" in bad.json()["errors"]
