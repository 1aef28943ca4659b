"""The instructors' queue as a browser and a screen reader get it: a short title, queues
as a navigation, paging with previous/last page and position, staff wording."""

import html
import re

import pytest

from tests.support.client import page_text
from tests.support.factories import CaseFactory

pytestmark = pytest.mark.django_db


def title_of(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def link(response, css_class: str) -> str | None:
    """The href of the pagination link with this class, None when it is disabled."""
    match = re.search(
        rf'<a class="fr-pagination__link {css_class}[^"]*"( href="([^"]*)")?',
        response.content.decode(),
    )
    assert match, css_class
    return html.unescape(match.group(2)) if match.group(2) else None


def position(response) -> str:
    return re.search(r"data-page-position>([^<]*)<", page_text(response)).group(1)


def numbers(response) -> list[str]:
    return [row.number for row in response.context["rows"]]


def test_the_title_is_the_page_name_and_the_queues_are_a_navigation(instructor_client):
    response = instructor_client.get("/instruction/", {"onglet": "attente"})
    title = title_of(response)
    assert "Instruction des demandes" in title
    assert len(title) < 120
    assert "<input" not in title
    assert "Exporter" not in title
    page = response.content.decode()
    assert "aria-selected" not in page
    assert 'role="tab' not in page
    current = re.findall(r'<a [^>]*aria-current="page"[^>]*>', page)
    queue_links = [a for a in current if "onglet=" in a]
    assert len(queue_links) == 1
    assert "onglet=attente" in queue_links[0]


def test_paging_has_previous_last_and_the_position(instructor_client, monkeypatch):
    from workflows import selectors

    filed = [c.number for c in CaseFactory.create_batch(5, in_instruction=True)]
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)

    first = instructor_client.get("/instruction/", {"onglet": "tous"})
    assert position(first) == "Page 1 sur 3"
    assert link(first, "fr-pagination__link--prev") is None
    assert link(first, "fr-pagination__link--first") is None
    assert numbers(first) == filed[:-3:-1]  # the newest first

    second = instructor_client.get("/instruction/" + link(first, "fr-pagination__link--next"))
    assert position(second) == "Page 2 sur 3"
    third = instructor_client.get("/instruction/" + link(second, "fr-pagination__link--next"))
    assert position(third) == "Page 3 sur 3"
    assert link(third, "fr-pagination__link--next") is None
    assert link(third, "fr-pagination__link--last") is None
    walked = numbers(first) + numbers(second) + numbers(third)
    assert sorted(walked) == sorted(filed)
    assert len(walked) == 5

    # Back from the third page: the second page again, then the first.
    back = instructor_client.get("/instruction/" + link(third, "fr-pagination__link--prev"))
    assert position(back) == "Page 2 sur 3"
    assert numbers(back) == numbers(second)
    back = instructor_client.get("/instruction/" + link(back, "fr-pagination__link--prev"))
    assert position(back) == "Page 1 sur 3"
    assert numbers(back) == numbers(first)

    # Straight to the last page from the first: the same page as walking there.
    last = instructor_client.get("/instruction/" + link(first, "fr-pagination__link--last"))
    assert position(last) == "Page 3 sur 3"
    assert numbers(last) == numbers(third)
    before_last = instructor_client.get("/instruction/" + link(last, "fr-pagination__link--prev"))
    assert position(before_last) == "Page 2 sur 3"
    assert numbers(before_last) == numbers(second)
    assert link(before_last, "fr-pagination__link--first") == "?onglet=tous"


def test_paging_keeps_the_filters_and_the_order(instructor_client, monkeypatch):
    from workflows import selectors

    filed = [c.number for c in CaseFactory.create_batch(3, in_instruction=True)]
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    query = {"onglet": "tous", "tri": "oldest", "q": "martin"}
    first = instructor_client.get("/instruction/", query)
    assert numbers(first) == filed[:2]
    last = instructor_client.get("/instruction/" + link(first, "fr-pagination__link--last"))
    assert numbers(last) == filed[2:]
    assert position(last) == "Page 2 sur 2"
    assert "tri=oldest" in link(last, "fr-pagination__link--prev")


def test_staff_read_staff_wording_the_applicant_keeps_hers(
    applicant, applicant_client, instructor, instructor_client
):
    case = CaseFactory(awaiting_applicant=True, applicant=applicant, instructor=instructor)

    applicant_words, staff_words = "En attente de votre réponse", "En attente de l'usager"
    queue = page_text(instructor_client.get("/instruction/", {"onglet": "attente"}))
    assert f'<span class="fr-badge fr-badge--sm">{staff_words}</span>' in queue
    assert f'<option value="awaiting_applicant">{staff_words}</option>' in queue
    case_page = page_text(instructor_client.get(f"/instruction/demandes/{case.number}/"))
    assert staff_words in case_page
    for page in (queue, case_page):
        assert applicant_words not in page

    assert applicant_words in page_text(applicant_client.get(f"/demandes/{case.number}/"))
