"""The broker is unreachable while a person submits a demande (CI real-services pass): the
submission answers at once, the demande is saved and its instruction starts, and the
emails wait in the outbox until the broker is back, then the real worker sends them."""

import json

import pytest

from cases.models import Case
from identity.models import Notification, User
from identity.tasks import outbox_drain
from tests.support.services import free_port, run_python

pytestmark = [
    pytest.mark.services("worker"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "nora.blanc@example.fr"

# A separate process whose broker is a port where nothing listens: it files a demande
# through the real views and times the submission.
SUBMIT = f"""
import json, time
import django
django.setup()
from django.test import Client
from identity.models import User
from tests.support.filing import ACTIVITY_ANSWERS, pdf_upload, start_draft

client = Client()
client.force_login(User.objects.get(email={EMAIL!r}))
case = start_draft(client, "declaration-activite")
client.post(f"/demandes/brouillon/{{case.pk}}/", {{**ACTIVITY_ANSWERS, "file__kbis": pdf_upload()}})
started = time.monotonic()
response = client.post(f"/demandes/brouillon/{{case.pk}}/verifier/", {{"deposer": "1"}})
print(json.dumps({{"status": response.status_code, "seconds": time.monotonic() - started,
                  "case": str(case.pk)}}))
"""


def test_a_submission_during_a_broker_outage_is_saved_and_its_emails_follow(
    celery_worker, smtp_server, demo_procedures
):
    User.objects.create_user(EMAIL, "x", first_name="Nora", last_name="Blanc")
    env = {**celery_worker.env, "CELERY_BROKER_URL": f"redis://127.0.0.1:{free_port()}/0"}
    answer = json.loads(run_python(SUBMIT, env).strip().splitlines()[-1])

    assert answer["status"] == 302  # on to the "déposée" page
    assert answer["seconds"] < 2
    case = Case.objects.get(pk=answer["case"])
    assert case.status == Case.Status.IN_INSTRUCTION  # saved, and the instruction started
    waiting = Notification.objects.filter(recipient=EMAIL)
    assert waiting.exists()
    assert set(waiting.values_list("status", flat=True)) == {Notification.Status.PENDING}

    outbox_drain.delay()  # the broker is back: the real worker empties the outbox
    received = smtp_server.wait_for(lambda m: m["To"] == EMAIL, timeout=60)
    text = received.get_body(preferencelist=("plain",)).get_content()
    assert case.display_number in str(received["Subject"]) + text
