"""The instructor workspace through its views: queues, taking and handing over tasks,
discussion, private notes, exports, and the walls between services."""

import pytest
from django.core import mail
from openpyxl import load_workbook

from cases.models import Case
from tests.support.client import page_text
from tests.support.factories import CaseFactory
from tests.support.files import pdf_text
from tests.support.filing import pdf_upload
from tests.support.instruction import human_task, login, open_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(applicant, instructor):
    return CaseFactory(in_instruction=True, applicant=applicant)


def counts(page: str) -> dict:
    import re

    return dict(re.findall(r'data-tab-count="(\w+)">(\d+)<', page))


def test_queue_tabs_counts_take_release_and_assign(case, instructor_client, colleague):
    page = page_text(instructor_client.get("/instruction/"))
    assert counts(page) == {
        "a_traiter": "1",
        "mes_dossiers": "0",
        "echeances": "0",
        "attente": "0",
        "traites": "0",
        "tous": "1",
    }
    assert case.display_number in page

    task = human_task(case)
    instructor_client.post(f"/instruction/taches/{task.pk}/prendre/")
    page = page_text(instructor_client.get("/instruction/?onglet=mes_dossiers"))
    assert counts(page)["a_traiter"] == "0"
    assert counts(page)["mes_dossiers"] == "1"
    assert case.display_number in page

    instructor_client.post(f"/instruction/taches/{task.pk}/liberer/")
    assert open_tasks(case) == [("check", "NEW")]

    instructor_client.post(f"/instruction/taches/{task.pk}/confier/", {"to": colleague.pk})
    task.refresh_from_db()
    assert task.owner == colleague
    colleague_page = page_text(login(colleague).get("/instruction/?onglet=mes_dossiers"))
    assert case.display_number in colleague_page

    # A colleague's task can be handed over while they are away.
    instructor_client.post(
        f"/instruction/taches/{task.pk}/confier/",
        {"to": instructor_client.session["_auth_user_id"]},
    )
    task.refresh_from_db()
    assert task.owner_id == int(instructor_client.session["_auth_user_id"])


def test_taking_a_task_already_taken_says_who_has_it(case, instructor_client, colleague):
    task = human_task(case)
    login(colleague).post(f"/instruction/taches/{task.pk}/prendre/")
    response = instructor_client.post(f"/instruction/taches/{task.pk}/prendre/", follow=True)
    assert "Ce dossier vient d'être pris par Bruno Petit." in page_text(response)
    task.refresh_from_db()
    assert task.owner == colleague


def test_bulk_assign_from_the_list(instructor_client, colleague):
    cases = CaseFactory.create_batch(3, in_instruction=True)
    tasks = [human_task(c).pk for c in cases]
    response = instructor_client.post(
        "/instruction/confier/", {"tasks": tasks[:2], "to": colleague.pk}, follow=True
    )
    assert "2 dossier(s) confié(s) à Bruno Petit." in page_text(response)
    owners = [human_task(c).owner for c in cases]
    assert owners == [colleague, colleague, None]


def test_search_and_filters(instructor_client, applicant):
    case = CaseFactory(in_instruction=True, applicant=applicant)
    for query in (case.display_number.lower(), "martin", "camille.martin@"):
        page = page_text(instructor_client.get("/instruction/", {"onglet": "tous", "q": query}))
        assert case.display_number in page, query
    page = page_text(instructor_client.get("/instruction/", {"onglet": "tous", "q": "dupont"}))
    assert case.display_number not in page
    page = page_text(
        instructor_client.get("/instruction/", {"onglet": "tous", "status": "accepted"})
    )
    assert case.display_number not in page


def test_keyset_pagination_walks_every_demande_once(instructor_client):
    from workflows import selectors

    numbers = {case.number for case in CaseFactory.create_batch(5, in_instruction=True)}
    selectors.PAGE_SIZE, previous = 2, selectors.PAGE_SIZE
    try:
        seen, url = [], "/instruction/?onglet=tous"
        while url:
            response = instructor_client.get(url)
            rows = response.context["rows"]
            seen += [row.number for row in rows]
            cursor = response.context["next_cursor"]
            url = f"/instruction/?onglet=tous&apres={cursor}" if cursor else None
    finally:
        selectors.PAGE_SIZE = previous
    assert sorted(seen) == sorted(numbers)
    assert len(seen) == 5


def test_instructor_discussion_with_files_and_private_notes_never_reach_the_applicant(
    case, applicant_client, instructor_client, mailoutbox
):
    task = human_task(case)
    instructor_client.post(f"/instruction/taches/{task.pk}/prendre/")
    instructor_client.post(
        f"/instruction/taches/{task.pk}/agir/",
        {
            "action": "request",
            "body": "Votre RIB est illisible.",
            "files": [pdf_upload("modele.pdf")],
        },
    )
    instructor_client.post(
        f"/instruction/demandes/{case.number}/messages/",
        {"discussion-body": "Un modèle est joint."},
    )
    secret = "NOTE-INTERNE-revenus-a-verifier"
    response = instructor_client.post(
        f"/instruction/demandes/{case.number}/notes/", {"note-body": secret}
    )
    assert response.status_code == 302
    assert secret in page_text(instructor_client.get(f"/instruction/demandes/{case.number}/"))

    applicant_page = page_text(applicant_client.get(f"/demandes/{case.number}/"))
    assert "Votre RIB est illisible." in applicant_page
    assert "modele.pdf" in applicant_page
    assert "Un modèle est joint." in applicant_page
    assert secret not in applicant_page
    activity = page_text(applicant_client.get("/activite/"))
    assert secret not in activity
    receipt = b"".join(applicant_client.get(f"/demandes/{case.number}/recepisse.pdf"))
    assert secret not in pdf_text(receipt)
    assert all(secret not in m.body for m in mailoutbox)
    assert all(secret not in str(m.alternatives) for m in mailoutbox)

    for export_format in ("csv", "xlsx"):
        instructor_client.post(
            "/instruction/exports/", {"format": export_format, "onglet": "tous", "q": case.number}
        )
    from workflows.models import Export

    csv_export, xlsx_export = (Export.objects.get(format=f) for f in ("csv", "xlsx"))
    csv_content = b"".join(instructor_client.get(f"/instruction/exports/{csv_export.pk}/")).decode(
        "utf-8-sig"
    )
    assert case.display_number in csv_content
    assert secret not in csv_content
    import io

    sheet = load_workbook(
        io.BytesIO(b"".join(instructor_client.get(f"/instruction/exports/{xlsx_export.pk}/")))
    ).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row]
    assert case.display_number in cells
    assert not any(secret in c for c in cells)


def test_an_instructor_of_another_service_gets_404_everywhere(
    case, instructor_client, other_instructor, applicant_client
):
    task = human_task(case)
    instructor_client.post(f"/instruction/taches/{task.pk}/prendre/")
    file_id = case.files.first().pk
    intruder = login(other_instructor)
    number = case.number
    gets = [
        f"/instruction/demandes/{number}/",
        f"/instruction/demandes/{number}/fichiers/{file_id}/",
    ]
    posts = [
        (f"/instruction/demandes/{number}/messages/", {"discussion-body": "Bonjour"}),
        (f"/instruction/demandes/{number}/notes/", {"note-body": "Note"}),
        (f"/instruction/demandes/{number}/rouvrir/", {}),
        (f"/instruction/taches/{task.pk}/prendre/", {}),
        (f"/instruction/taches/{task.pk}/confier/", {"to": other_instructor.pk}),
        (f"/instruction/taches/{task.pk}/liberer/", {}),
        (f"/instruction/taches/{task.pk}/agir/", {"action": "complete"}),
        ("/instruction/confier/", {"tasks": [task.pk], "to": other_instructor.pk}),
        ("/instruction/exports/", {"format": "csv", "procedure": case.procedure_id}),
    ]
    for url in gets:
        assert intruder.get(url).status_code == 404, url
    for url, data in posts:
        assert intruder.post(url, data).status_code == 404, url
    assert case.display_number not in page_text(intruder.get("/instruction/?onglet=tous"))
    task.refresh_from_db()
    assert task.owner.email == "alice.durand@departement.example"
    case.refresh_from_db()
    assert case.status == Case.Status.IN_INSTRUCTION
    # The applicant is no instructor at all.
    assert applicant_client.get("/instruction/").status_code == 404
    assert applicant_client.get(f"/instruction/demandes/{number}/").status_code == 404


def test_daily_digest_is_one_mail_per_instructor(
    instructor, colleague, django_capture_on_commit_callbacks
):
    from workflows.digest import digests_send

    CaseFactory.create_batch(3, in_instruction=True)
    mail.outbox.clear()
    service = instructor.instruction_services.get()
    expected = sorted(service.instructors.values_list("email", flat=True))
    assert colleague.email in expected
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send() == len(expected)
        assert digests_send() == 0  # once a day
    assert sorted(m.to[0] for m in mail.outbox) == expected
    assert "3 nouvelles demandes sont à traiter" in mail.outbox[0].body
