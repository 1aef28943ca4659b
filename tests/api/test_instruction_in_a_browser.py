"""Issue 17, must show 4: the service's software instructs through the API — takes the
demande, asks for a document — the applicant answers in a real browser, the software
accepts. The timeline and the emails are those of the same instruction on the screens."""

import pytest
from playwright.sync_api import expect

from tests.api.test_instruction_flow import QUESTION, instruct_on_screens
from tests.support.api import mails, timeline
from tests.support.browser import context_with_session
from tests.support.instruction import agrees, file_heating_aid

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ANSWER = "Le voici."


def test_api_instruction_with_the_applicant_answering_in_a_browser(
    browser,
    live_server,
    screenshot,
    make_token,
    api_client_for,
    applicant_client,
    instructor_client,
    mailoutbox,
):
    _, secret = make_token("aide-chauffage")
    api = api_client_for(secret)
    case = file_heating_aid(applicant_client, defer_tax_notice=False)
    events, sent = case.events.count(), len(mailoutbox)
    base = f"/api/v1/cases/{case.display_number}/"
    for step, data in (("take/", {}), ("request-information/", {"body": QUESTION})):
        assert api.post_json(base + step, data).status_code == 200
    agrees(case)

    context = context_with_session(browser, live_server, applicant_client)
    page = context.new_page()
    page.goto(f"/demandes/{case.number}/?onglet=messagerie")
    messaging = page.get_by_role("tabpanel", name="Messagerie")
    expect(messaging.get_by_text(QUESTION)).to_be_visible()
    messaging.get_by_label("Votre message").fill(ANSWER)
    messaging.get_by_role("button", name="Envoyer mon message").click()
    expect(page.get_by_text("Votre message est envoyé au service.")).to_be_visible()
    screenshot(page, "api-01-applicant-answered")
    agrees(case)

    for step, data in (("take/", {}), ("complete/", {}), ("decide/", {"decision": "accepted"})):
        assert api.post_json(base + step, data).status_code == 200, step
    page.goto(f"/demandes/{case.number}/?onglet=historique")
    expect(page.locator(".fr-badge").first).to_have_text("Acceptée")
    screenshot(page, "api-02-accepted")
    context.close()
    by_api = (timeline(case, events), mails(mailoutbox, sent, case))

    on_screens = file_heating_aid(applicant_client, defer_tax_notice=False)
    events, sent = on_screens.events.count(), len(mailoutbox)
    instruct_on_screens(on_screens, instructor_client, applicant_client)
    assert by_api == (timeline(on_screens, events), mails(mailoutbox, sent, on_screens))
