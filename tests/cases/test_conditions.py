"""Conditional display (ADR 0020): the rules are validated when the form is saved, a
hidden field is never asked for, and what it held is not sent to the service."""

import pytest
from django.core.exceptions import ValidationError

from cases import formdef
from cases.models import Case, Procedure, Service
from cases.services import procedure_publish_version
from tests.support.client import CommitClient, page_text
from tests.support.filing import pdf_upload, start_draft

pytestmark = pytest.mark.django_db

CHILDREN = {"name": "enfants", "type": "yes_no", "label": "Avez-vous des enfants ?"}
ON, NOT_BEFORE = "la condition porte sur", "qui n'est pas un champ placé avant"
DEFINITION = [
    {"name": "nom", "type": "text", "label": "Votre nom", "required": True},
    CHILDREN,
    {
        "name": "famille",
        "type": "section",
        "label": "Vos enfants",
        "help_text": "Pour chacun d'eux.",
        "show_if": {"field": "enfants", "value": "oui"},
    },
    {"name": "nombre", "type": "integer", "label": "Nombre d'enfants", "required": True},
    {
        "name": "garde",
        "type": "choice",
        "label": "Mode de garde",
        "choices": ["Crèche", "Assistante maternelle"],
        "required": True,
    },
    {
        "name": "attestation",
        "type": "file",
        "label": "Attestation de la crèche",
        "required": True,
        "show_if": {"field": "garde", "value": "Crèche"},
    },
    {"name": "fin", "type": "section", "label": "Pour finir"},
    {"name": "remarque", "type": "long_text", "label": "Remarque"},
]


def _errors(definition) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        formdef.parse(definition)
    return caught.value.messages


@pytest.mark.parametrize(
    ("show_if", "expected"),
    [
        ({"field": "plus_loin", "value": "oui"}, f"{ON} « plus_loin », {NOT_BEFORE}"),
        ({"field": "absent", "value": "oui"}, f"{ON} « absent », {NOT_BEFORE}"),
        ({"field": "moi", "value": "oui"}, f"{ON} « moi », {NOT_BEFORE}"),
        (
            {"field": "nom", "value": "Dupont"},
            f"{ON} « nom », qui n'est pas un choix ou un oui / non",
        ),
        (
            {"field": "enfants", "value": "peut-être"},
            "la réponse « peut-être » n'est pas possible pour « enfants »",
        ),
        ({"field": "enfants"}, "la condition doit indiquer un champ et une réponse"),
    ],
    ids=["later-field", "missing-field", "itself", "not-a-choice", "impossible-value", "no-value"],
)
def test_a_condition_must_refer_to_an_earlier_choice(show_if, expected):
    definition = [
        {"name": "nom", "type": "text", "label": "Nom"},
        CHILDREN,
        {"name": "moi", "type": "yes_no", "label": "Moi", "show_if": show_if},
        {"name": "plus_loin", "type": "yes_no", "label": "Plus loin"},
    ]
    assert _errors(definition) == [f"Champ 3 : {expected}."]


def test_a_condition_on_a_section_heading_is_refused():
    definition = [
        {"name": "partie", "type": "section", "label": "Partie"},
        {"name": "a", "type": "text", "label": "A", "show_if": {"field": "partie", "value": "x"}},
    ]
    assert _errors(definition) == [
        "Champ 2 : la condition porte sur « partie », qui n'est pas un champ placé avant."
    ]


def test_a_form_of_sections_only_is_refused():
    assert _errors([{"name": "partie", "type": "section", "label": "Partie"}]) == [
        "Le formulaire doit contenir au moins un champ."
    ]


@pytest.mark.parametrize(
    ("answers", "shown"),
    [
        ({}, {"nom", "enfants", "remarque"}),
        ({"enfants": "non"}, {"nom", "enfants", "remarque"}),
        ({"enfants": "oui"}, {"nom", "enfants", "nombre", "garde", "remarque"}),
        (
            {"enfants": "oui", "garde": "Crèche"},
            {"nom", "enfants", "nombre", "garde", "attestation", "remarque"},
        ),
        # The crèche was chosen, then "no children": the section hides, and the file field
        # that depends on a hidden field hides with it.
        ({"enfants": "non", "garde": "Crèche"}, {"nom", "enfants", "remarque"}),
    ],
)
def test_visibility_follows_the_answers_through_sections_and_chains(answers, shown):
    assert formdef.visible_names(formdef.parse(DEFINITION), answers) == shown


def test_a_multiple_choice_condition_holds_when_the_value_is_ticked():
    specs = formdef.parse(
        [
            {"name": "aides", "type": "multiple_choice", "label": "Aides", "choices": ["A", "B"]},
            {
                "name": "b",
                "type": "text",
                "label": "B",
                "show_if": {"field": "aides", "value": "B"},
            },
        ]
    )
    assert "b" in formdef.visible_names(specs, {"aides": ["A", "B"]})
    assert "b" not in formdef.visible_names(specs, {"aides": ["A"]})


@pytest.fixture
def family_aid(db):
    service = Service.objects.create(name="Service famille", slug="famille")
    procedure = Procedure.objects.create(
        title="Aide aux familles",
        slug="aide-familles",
        service=service,
        account_required=False,
        definition=DEFINITION,
    )
    procedure_publish_version(procedure=procedure)
    return procedure


def _verify_email(client, case, mailoutbox):
    url = f"/demandes/brouillon/{case.pk}/courriel/"
    client.post(url, {"email": "famille@example.org", "send": "1"})
    client.post(url, {"code": mailoutbox[-1].subject.rsplit(" ", 1)[-1]})


def test_the_form_shows_every_field_with_its_condition_in_words(family_aid):
    client = CommitClient()
    case = start_draft(client, "aide-familles")
    response = client.get(f"/demandes/brouillon/{case.pk}/")
    body = response.content.decode()
    # Without JavaScript nothing is hidden: every field is in the page, in order, and says
    # when it is needed.
    assert "hidden" not in body.split('data-block="famille"')[1].split(">")[0]
    text = page_text(response)
    for label in ("Votre nom", "Vos enfants", "Nombre d'enfants", "Attestation de la crèche"):
        assert label in text
    assert text.index("Vos enfants") < text.index("Nombre d'enfants") < text.index("Pour finir")
    assert "Seulement si vous avez répondu « Oui » à « Avez-vous des enfants ? »." in text
    assert "Seulement si vous avez répondu « Crèche » à « Mode de garde »." in text


def test_a_hidden_required_field_is_not_asked_and_its_answers_are_not_sent(family_aid, mailoutbox):
    client = CommitClient()
    case = start_draft(client, "aide-familles")
    url = f"/demandes/brouillon/{case.pk}/"
    # First "yes", a number, the crèche and its certificate; then a change of mind.
    client.post(
        url,
        {
            "nom": "Durand",
            "enfants": "oui",
            "nombre": "2",
            "garde": "Crèche",
            "file__attestation": pdf_upload("creche.pdf"),
            "save": "1",
        },
    )
    assert case.files.count() == 1
    client.post(url, {"nom": "Durand", "enfants": "non", "nombre": "2", "garde": "Crèche"})
    review = page_text(client.get(f"{url}verifier/"))
    assert "Il manque" not in review
    assert "Nombre d'enfants" not in review
    assert "Attestation de la crèche" not in review
    _verify_email(client, case, mailoutbox)
    client.post(f"{url}verifier/", {"deposer": "1"})
    case.refresh_from_db()
    assert case.status != Case.Status.DRAFT
    assert case.answers["enfants"] == "non"
    assert "nombre" not in case.answers
    assert "garde" not in case.answers
    assert case.files.count() == 0


def test_a_shown_required_field_is_still_required(family_aid, mailoutbox):
    client = CommitClient()
    case = start_draft(client, "aide-familles")
    url = f"/demandes/brouillon/{case.pk}/"
    client.post(url, {"nom": "Durand", "enfants": "oui", "garde": "Crèche", "save": "1"})
    _verify_email(client, case, mailoutbox)
    response = client.post(f"{url}verifier/", {"deposer": "1"}, follow=True)
    text = page_text(response)
    assert "Il manque : Nombre d'enfants." in text
    assert "Il manque : Attestation de la crèche." in text
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFT
