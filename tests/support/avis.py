"""Expert-opinion helpers (workflows/avis, ADR 0408): the instructor asks through the real
view, the expert takes the emailed link and creates their account through the real view."""

import re
from datetime import timedelta

from django.utils import timezone

from identity.models import User
from tests.support.client import CommitClient, page_text
from tests.support.filing import PASSWORD
from workflows.models import Avis

EXPERT = "expert.bati@cabinet.example"
LINK = re.compile(r"https?://\S+?(/avis/invitation/[^/\s]+/)")


def ask(instructor_client, case, *, email=EXPERT, share=(), **fields):
    """POST the request form; returns the new avis."""
    data = {
        "avis-email": email,
        "avis-question": "Le logement est-il conforme aux normes d'isolation ?",
        "avis-due_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "avis-shared_files": [str(f.pk) for f in share],
    }
    data.update({f"avis-{k}": v for k, v in fields.items()})
    response = instructor_client.post(f"/instruction/demandes/{case.number}/avis/", data)
    assert response.status_code == 302, page_text(response)
    return Avis.objects.filter(case=case, email=email).latest("created_at")


def link_in(mailoutbox, email=EXPERT) -> str:
    """The path of the latest invitation link emailed to ``email``."""
    bodies = [m.body for m in mailoutbox if m.to == [email] and LINK.search(m.body)]
    assert bodies, [(m.to, m.subject) for m in mailoutbox]
    return LINK.search(bodies[-1]).group(1)


def enrol(link: str) -> CommitClient:
    """A new expert opens the link, chooses a password; then logs in (the usual login with
    its second factor is walked through in tests/e2e/test_avis.py)."""
    client = CommitClient()
    assert "Créer mon compte" in page_text(client.get(link))
    response = client.post(link, {"password1": PASSWORD, "password2": PASSWORD, "terms": "on"})
    assert response.status_code == 302, page_text(response)
    assert response["Location"].startswith("/compte/login/?next=/avis/")
    expert_client = CommitClient()
    expert_client.force_login(User.objects.get(email__iexact=link_email(response)))
    return expert_client


def link_email(response) -> str:
    avis_id = response["Location"].rsplit("/avis/", 1)[1].strip("/")
    return Avis.objects.get(pk=avis_id).email
