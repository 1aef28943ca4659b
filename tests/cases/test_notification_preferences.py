import pytest
from django.utils import timezone

from cases import notifications, services
from cases.models import Case, CaseEvent, NotificationPreference
from identity.models import Notification
from tests.support.client import page_text
from tests.support.filing import MOVE_ANSWERS, file_demande

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed_by_applicant(applicant_client, demo_procedures):
    case = file_demande(
        applicant_client,
        "changement-adresse",
        {**MOVE_ANSWERS, "justificatif_domicile__later": "on"},
    )
    Notification.objects.all().delete()
    return case


def test_sms_needs_a_verified_mobile(applicant_client, filed_by_applicant):
    page = page_text(applicant_client.get("/mes-demarches/notifications/"))
    assert "ajoutez et vérifiez votre téléphone mobile" in page
    applicant_client.post("/mes-demarches/notifications/", {"sms_message": "on"})
    assert not NotificationPreference.objects.get(event="message").sms


def test_account_holder_chooses_sms_instead_of_email_for_new_messages(
    applicant, applicant_client, filed_by_applicant
):
    applicant.phone, applicant.phone_verified_at = "+33612345678", timezone.now()
    applicant.save()
    others = {f"email_{e}": "on" for e in NotificationPreference.Event.values if e != "message"}
    response = applicant_client.post(
        "/mes-demarches/notifications/", {**others, "sms_message": "on"}
    )
    assert response.status_code == 302

    services.message_post(
        case=filed_by_applicant, author=None, role=CaseEvent.Role.INSTRUCTOR, body="Bonjour"
    )
    sent = list(Notification.objects.values_list("channel", "recipient"))
    assert sent == [("sms", "+33612345678")]

    decision = CaseEvent.objects.create(
        case=filed_by_applicant,
        kind=CaseEvent.Kind.DECISION,
        actor_role=CaseEvent.Role.INSTRUCTOR,
        status=Case.Status.ACCEPTED,
    )
    notifications.notify(filed_by_applicant, "decision", cause=decision)  # by email, as chosen
    assert Notification.objects.filter(channel="email").count() == 1
