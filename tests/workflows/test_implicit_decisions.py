"""Silence vaut accord / rejet (ADR 0405): a démarche's legal deadline runs from the
complete file, stops while the service waits for the applicant, and at its end the beat job
accepts or refuses the demande through the path of an instructor's decision (timeline,
message, decision letter, email, the flow closed)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from cases import services as case_services
from cases.models import Case, CaseEvent, Procedure
from identity.models import Notification
from tests.support.client import page_text
from tests.support.factories import CaseFactory
from tests.support.filing import pdf_upload
from tests.support.instruction import act, agrees, file_heating_aid, login, open_tasks, reply
from workflows import services as flow_services
from workflows.tasks import implicit_decisions

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
SVA, SVR = Procedure.ImplicitDecision.ACCEPT, Procedure.ImplicitDecision.REFUSE


def at(moment):
    return time_machine.travel(moment, tick=False)


def rule(procedures, implicit_decision, days=30, slug="aide-chauffage") -> Procedure:
    procedure = procedures[slug]
    procedure.implicit_decision, procedure.implicit_decision_days = implicit_decision, days
    procedure.save()
    return procedure


def decision_emails(case) -> list[str]:
    return list(
        Notification.objects.filter(
            recipient=case.applicant_email, subject__contains="est accept"
        ).values_list("subject", flat=True)
    ) + list(
        Notification.objects.filter(
            recipient=case.applicant_email, subject__contains="est refus"
        ).values_list("subject", flat=True)
    )


def applicant_page(client, applicant, case) -> str:
    client.force_login(applicant)  # a fresh session at the travelled time
    response = client.get(f"/demandes/{case.number}/")
    assert response.status_code == 200
    return page_text(response)


def test_silence_vaut_accord_at_the_deadline(demo_procedures, commit_client, applicant):
    procedure = rule(demo_procedures, SVA, days=30)
    procedure.decision_letter = ""  # no template of its own: the default legal letter
    procedure.save()
    with at(T0):
        case = CaseFactory(in_instruction=True, applicant=applicant)
        assert case.deadline_at == T0 + timedelta(days=30)
        assert open_tasks(case) == [("check", "NEW")]
        started = case.events.get(kind=CaseEvent.Kind.STATUS, status=Case.Status.IN_INSTRUCTION)
        assert started.summary == "Décision implicite le 02/04/2025."
        page = applicant_page(commit_client, applicant, case)
        assert "Sans réponse du service, votre demande sera acceptée le 2 avril 2025." in page

    with at(T0 + timedelta(days=30) - timedelta(minutes=1)):
        assert implicit_decisions() == 0
    with at(T0 + timedelta(days=30, minutes=5)):
        assert implicit_decisions() == 1

    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED
    assert case.decided_at == T0 + timedelta(days=30, minutes=5)
    wording = (
        "Décision implicite d'acceptation : en l'absence de réponse de l'administration dans "
        "le délai de 30 jours, votre demande est acceptée (article L. 231-1 du code des "
        "relations entre le public et l'administration)."
    )
    decision = case.events.get(kind=CaseEvent.Kind.DECISION)
    assert (decision.actor_role, decision.actor, decision.summary) == ("system", None, wording)
    message = case.thread.last()
    assert (message.author_role, message.body) == ("system", wording)
    letter = message.files.get()
    assert letter.name == f"courrier-decision-{case.number}.pdf"
    assert letter.mime == "application/pdf"
    assert decision_emails(case) == [f"Votre demande {case.display_number} est acceptée"]
    assert open_tasks(case) == []
    agrees(case)  # the flow ended: status and open tasks agree, queue copies follow

    page = applicant_page(commit_client, applicant, case)
    assert wording in page
    assert "sera acceptée le" not in page


def test_silence_vaut_rejet_closes_the_decide_task(demo_procedures, instructor):
    rule(demo_procedures, SVR, days=60)
    with at(T0):
        case = CaseFactory(in_instruction=True, checked=True, instructor=instructor)
        assert open_tasks(case) == [("decide", "ASSIGNED")]
        page = page_text(login(instructor).get(f"/instruction/demandes/{case.number}/"))
        assert "Décision implicite le 02/05/2025 11:00 (Silence vaut rejet)" in page
    with at(T0 + timedelta(days=61)):
        assert implicit_decisions() == 1

    case.refresh_from_db()
    assert case.status == Case.Status.REFUSED
    assert "votre demande est rejetée (article L. 231-4" in case.decision_reason
    assert "délai de 60 jours" in case.decision_reason
    # The démarche's own letter template, as for an instructor's generated letter.
    assert case.thread.last().files.get().name == f"courrier-decision-{case.number}.pdf"
    assert decision_emails(case) == [f"Votre demande {case.display_number} est refusée"]
    assert open_tasks(case) == []
    agrees(case)


def test_a_request_for_information_suspends_the_deadline_until_the_reply(
    demo_procedures, instructor, commit_client, applicant
):
    rule(demo_procedures, SVA, days=30)
    with at(T0):
        case = CaseFactory(
            in_instruction=True, taken=True, instructor=instructor, applicant=applicant
        )
    with at(T0 + timedelta(days=10)):
        act(login(instructor), case, "request", body="Merci d'envoyer votre RIB.")
        case.refresh_from_db()
        assert case.status == Case.Status.AWAITING_APPLICANT
        assert case.deadline_suspended_at == T0 + timedelta(days=10)
        page = applicant_page(commit_client, applicant, case)
        assert "Délai suspendu : le service attend votre réponse." in page
        assert "sera acceptée le" not in page

    # The original deadline passes while the service waits: nothing is decided.
    with at(T0 + timedelta(days=45)):
        assert implicit_decisions() == 0

    with at(T0 + timedelta(days=50)):
        commit_client.force_login(applicant)
        reply(commit_client, case, body="Voici mon RIB.")
        case.refresh_from_db()
        assert case.status == Case.Status.IN_INSTRUCTION
        assert case.deadline_suspended_at is None
        # 40 days suspended: the 20 days left run from the reply.
        assert case.deadline_at == T0 + timedelta(days=70)
        page = applicant_page(commit_client, applicant, case)
        assert "Sans réponse du service, votre demande sera acceptée le 12 mai 2025." in page
        assert "Délai suspendu" not in page
        events = case.events.filter(kind=CaseEvent.Kind.STATUS).values_list("summary", flat=True)
        assert list(events)[-2:] == [
            "Délai de décision suspendu.",
            "Décision implicite le 12/05/2025.",
        ]

    with at(T0 + timedelta(days=69)):
        assert implicit_decisions() == 0
    with at(T0 + timedelta(days=70, seconds=1)):
        assert implicit_decisions() == 1
    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED
    agrees(case)


def test_missing_documents_start_the_deadline_at_the_reply_that_brings_them(
    demo_procedures, commit_client, applicant
):
    rule(demo_procedures, SVR, days=30)
    commit_client.force_login(applicant)
    with at(T0):
        case = file_heating_aid(commit_client)  # the tax notice "plus tard"
        assert case.status == Case.Status.AWAITING_APPLICANT
        assert case.deadline_at is None
    with at(T0 + timedelta(days=5)):
        commit_client.force_login(applicant)
        reply(commit_client, case, avis_imposition=pdf_upload("avis.pdf"))
        case.refresh_from_db()
        assert case.status == Case.Status.IN_INSTRUCTION
        assert case.deadline_at == T0 + timedelta(days=35)


def test_the_job_twice_decides_once(demo_procedures):
    rule(demo_procedures, SVA, days=30)
    with at(T0):
        case = CaseFactory(in_instruction=True)
    with at(T0 + timedelta(days=31)):
        assert implicit_decisions() == 1
        assert implicit_decisions() == 0
        assert flow_services.instruction_decide_implicitly(case=case) is False
        assert case_services.case_decide_implicitly(case=case) is None
    assert case.events.filter(kind=CaseEvent.Kind.DECISION).count() == 1
    assert case.thread.count() == 1
    assert len(decision_emails(case)) == 1
    agrees(case)


def test_no_deadline_without_the_rule(demo_procedures):
    with at(T0):
        case = CaseFactory(in_instruction=True)
    assert case.deadline_at is None
    with at(T0 + timedelta(days=3650)):
        assert implicit_decisions() == 0
    case.refresh_from_db()
    assert case.status == Case.Status.IN_INSTRUCTION
    assert open_tasks(case) == [("check", "NEW")]


def test_a_rule_dropped_before_the_deadline_decides_nothing(demo_procedures):
    procedure = rule(demo_procedures, SVA, days=30)
    with at(T0):
        case = CaseFactory(in_instruction=True)
    procedure.implicit_decision = Procedure.ImplicitDecision.NONE
    procedure.save()
    with at(T0 + timedelta(days=31)):
        assert implicit_decisions() == 0
    case.refresh_from_db()
    assert case.status == Case.Status.IN_INSTRUCTION


def test_the_instructor_decision_before_the_deadline_wins(demo_procedures, instructor):
    rule(demo_procedures, SVR, days=30)
    with at(T0):
        case = CaseFactory(in_instruction=True, taken=True, instructor=instructor)
    with at(T0 + timedelta(days=5)):
        client = login(instructor)
        act(client, case, "complete")
        act(client, case, "decide", decision="accepted")
    with at(T0 + timedelta(days=31)):
        assert implicit_decisions() == 0
        assert case_services.case_decide_implicitly(case=case) is None
    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED
    decision = case.events.get(kind=CaseEvent.Kind.DECISION)
    assert (decision.actor_role, decision.actor) == ("instructor", instructor)
    assert decision_emails(case) == [f"Votre demande {case.display_number} est acceptée"]


def test_reopening_runs_a_new_full_deadline(demo_procedures, instructor):
    rule(demo_procedures, SVA, days=30)
    with at(T0):
        case = CaseFactory(in_instruction=True)
    with at(T0 + timedelta(days=31)):
        implicit_decisions()
    with at(T0 + timedelta(days=40)):
        response = login(instructor).post(f"/instruction/demandes/{case.number}/rouvrir/")
        assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.IN_INSTRUCTION
    assert case.deadline_at == T0 + timedelta(days=70)
    agrees(case)


def test_bientot_echues_lists_running_deadlines_nearest_first(
    demo_procedures, instructor, applicant
):
    rule(demo_procedures, SVA, days=30)
    cases = {}
    for name, start in (("later", 20), ("first", 0), ("middle", 10)):
        with at(T0 + timedelta(days=start)):
            cases[name] = CaseFactory(in_instruction=True)
    with at(T0 + timedelta(days=21)):
        suspended = CaseFactory(awaiting_applicant=True, instructor=instructor)
        assert suspended.deadline_suspended_at is not None
    rule(demo_procedures, Procedure.ImplicitDecision.NONE)
    demo_procedures["aide-chauffage"].implicit_decision_days = None
    demo_procedures["aide-chauffage"].save()
    CaseFactory(in_instruction=True)  # filed after the rule was dropped: no deadline

    with at(T0 + timedelta(days=22)):
        response = login(instructor).get("/instruction/?onglet=echeances")
    assert response.status_code == 200
    numbers = [row.number for row in response.context["rows"]]
    assert numbers == [cases[n].number for n in ("first", "middle", "later")]
    counts = {key: count for key, _label, count in response.context["tabs"]}
    assert counts["echeances"] == 3
    page = page_text(response)
    assert "Bientôt échues" in page
    assert "02/04/2025" in page  # the first deadline, in the list
