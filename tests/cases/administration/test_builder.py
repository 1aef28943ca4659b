"""The form builder (ADR 0024): its services refuse what would break the form and record
what they change; its pages add, edit, move and remove every item type without JavaScript,
publish the draft as a new version and cancel the draft's changes."""

import pytest
from django.core.exceptions import ValidationError

from cases import formdef
from cases.administration import builder
from cases.models import Procedure, ProcedureChange
from cases.services import case_start
from tests.support.client import page_text
from tests.support.instruction import login

pytestmark = pytest.mark.django_db

BASE = "/administration/demarches/aide-chauffage/formulaire/"


def _draft(procedure) -> list:
    procedure.refresh_from_db()
    return procedure.definition


def _names(procedure) -> list[str]:
    return [item["name"] for item in _draft(procedure)]


def _form_changes(procedure) -> int:
    return ProcedureChange.objects.filter(
        procedure=procedure, action=ProcedureChange.Action.FORM_CHANGED
    ).count()


@pytest.fixture
def children(heating, demarche_admin):
    """The heating aid's draft with a yes/no question "enfants" and, after it, "nombre"
    shown when the answer is "oui"."""
    builder.definition_add(
        procedure=heating, user=demarche_admin, kind="yes_no", label="Avez-vous des enfants ?"
    )
    builder.definition_add(
        procedure=heating, user=demarche_admin, kind="integer", label="Nombre d'enfants"
    )
    builder.definition_update(
        procedure=heating,
        user=demarche_admin,
        name="nombre_d_enfants",
        values={"show_if": {"field": "avez_vous_des_enfants", "value": "oui"}},
    )
    heating.refresh_from_db()
    return heating


# --- Names and the services --------------------------------------------------------------


def test_a_technical_name_comes_from_the_label():
    assert builder.name_from_label("Avez-vous des enfants ?", set()) == "avez_vous_des_enfants"
    assert builder.name_from_label("Élève", {"eleve"}) == "eleve_2"
    assert builder.name_from_label("Élève", {"eleve", "eleve_2"}) == "eleve_3"
    assert builder.name_from_label("2 roues", set()) == "champ_2_roues"
    assert builder.name_from_label("???", set()) == "champ"
    long = builder.name_from_label("x" * 80, set())
    assert len(long) <= 50
    assert formdef._NAME.match(long)


def test_a_field_is_added_where_asked_and_recorded(heating, demarche_admin):
    before = _names(heating)
    builder.definition_add(
        procedure=heating, user=demarche_admin, kind="text", label="Nom d'usage", after="nom"
    )
    builder.definition_add(
        procedure=heating, user=demarche_admin, kind="section", label="Identité", after="-"
    )
    builder.definition_add(procedure=heating, user=demarche_admin, kind="email", label="Courriel")
    names = _names(heating)
    assert names[0] == "identite"
    assert names[names.index("nom") + 1] == "nom_d_usage"
    assert names[-1] == "courriel"
    assert len(names) == len(before) + 3
    change = ProcedureChange.objects.filter(procedure=heating).first()
    assert change.action == ProcedureChange.Action.FORM_CHANGED
    assert change.actor == demarche_admin
    assert change.details == {
        "operation": "added",
        "type": "email",
        "label": "Courriel",
        "field": "courriel",
        "position": len(names),
    }
    # The published version has not changed.
    assert heating.current_version.definition != heating.definition


def _refused(procedure, user, call, **kwargs) -> str:
    """Run a builder service that must refuse: nothing changes, nothing is recorded."""
    before, changes = _draft(procedure), _form_changes(procedure)
    with pytest.raises(ValidationError) as error:
        call(procedure=procedure, user=user, **kwargs)
    assert _draft(procedure) == before
    assert _form_changes(procedure) == changes
    return " ".join(error.value.messages)


@pytest.mark.parametrize(
    ("name", "show_if", "message"),
    [
        # "situation" comes after "prenom".
        ("prenom", {"field": "situation", "value": "En couple"}, "pas un champ placé avant"),
        ("prenom", {"field": "inconnu", "value": "x"}, "« inconnu », qui n'est pas un champ"),
        ("situation", {"field": "situation", "value": "En couple"}, "pas un champ placé avant"),
        ("situation", {"field": "prenom", "value": "Camille"}, "pas un choix ou un oui / non"),
        ("situation", {"field": "civilite", "value": "Docteur"}, "« Docteur » n'est pas possible"),
    ],
    ids=["later field", "missing field", "itself", "not a choice", "impossible answer"],
)
def test_a_condition_must_refer_to_an_earlier_choice(
    heating, demarche_admin, name, show_if, message
):
    error = _refused(
        heating,
        demarche_admin,
        builder.definition_update,
        name=name,
        values={"show_if": show_if},
    )
    assert message in error


def test_a_section_condition_follows_the_same_rules(children, demarche_admin):
    builder.definition_add(
        procedure=children, user=demarche_admin, kind="section", label="Vos enfants", after="-"
    )
    error = _refused(
        children,
        demarche_admin,
        builder.definition_update,
        name="vos_enfants",
        values={"show_if": {"field": "avez_vous_des_enfants", "value": "oui"}},
    )
    assert "pas un champ placé avant" in error


def test_a_field_cannot_move_above_the_field_its_condition_uses(children, demarche_admin):
    error = _refused(
        children, demarche_admin, builder.definition_move, name="nombre_d_enfants", up=True
    )
    assert error == (
        "« Nombre d'enfants » dépend de la réponse à « Avez-vous des enfants ? » : "
        "il doit rester placé après lui."
    )
    # Nor may the question go below the field that depends on it.
    error = _refused(
        children, demarche_admin, builder.definition_move, name="avez_vous_des_enfants", up=False
    )
    assert "« Nombre d'enfants » dépend de la réponse à « Avez-vous des enfants ? »" in error
    # The ends of the list.
    first = _names(children)[0]
    assert "déjà en premier" in _refused(
        children, demarche_admin, builder.definition_move, name=first, up=True
    )


def test_a_field_a_condition_uses_cannot_be_removed(children, demarche_admin):
    error = _refused(
        children, demarche_admin, builder.definition_remove, name="avez_vous_des_enfants"
    )
    assert error == (
        "« Avez-vous des enfants ? » ne peut pas être supprimé : la condition de "
        "« Nombre d'enfants » en dépend. Modifiez d'abord cette condition."
    )
    builder.definition_remove(procedure=children, user=demarche_admin, name="nombre_d_enfants")
    builder.definition_remove(procedure=children, user=demarche_admin, name="avez_vous_des_enfants")
    assert "avez_vous_des_enfants" not in _names(children)


def test_the_last_field_cannot_be_removed(heating, demarche_admin):
    heating.definition = [{"name": "seul", "type": "text", "label": "Seul"}]
    heating.save()
    error = _refused(heating, demarche_admin, builder.definition_remove, name="seul")
    assert "au moins un champ" in error


def test_renaming_a_field_carries_its_conditions(children, demarche_admin):
    builder.definition_update(
        procedure=children,
        user=demarche_admin,
        name="avez_vous_des_enfants",
        values={"name": "enfants"},
    )
    draft = {item["name"]: item for item in _draft(children)}
    assert draft["nombre_d_enfants"]["show_if"] == {"field": "enfants", "value": "oui"}
    change = ProcedureChange.objects.filter(procedure=children).first()
    assert change.details["renamed_to"] == "enfants"
    assert change.details["keys"] == ["name"]


def test_an_unchanged_edit_records_nothing(heating, demarche_admin):
    builder.definition_update(
        procedure=heating, user=demarche_admin, name="prenom", values={"label": "Prénom"}
    )
    assert _form_changes(heating) == 0


def test_reset_brings_back_the_published_version(children, demarche_admin):
    builder.definition_reset(procedure=children, user=demarche_admin)
    assert _draft(children) == children.current_version.definition
    change = ProcedureChange.objects.filter(procedure=children).first()
    assert change.details == {"operation": "reset", "version": children.current_version.number}


# --- Every type through the pages ----------------------------------------------------------


def _edit_post(kind: str, name: str) -> dict:
    """What the edit page posts for an item of ``kind``, every key of its type set."""
    post = {
        "label": f"Libellé {kind} modifié",
        "name": name,
        "help_text": "  Une aide.  ",
        "show_if": "situation:En couple",
    }
    if kind != "section":
        post["required"] = "on"
    if kind in ("choice", "multiple_choice"):
        post["choices"] = "Bleu\n\n  Rouge \nVert\n"
    if kind == "file":
        post.update(document_types=["identity", "tax_notice"], max_files="3", allow_later="on")
    return post


def _add_and_edit(client, kind: str) -> str:
    """Add an item of ``kind`` through the pages, then set every key of its type."""
    response = client.post(
        f"{BASE}ajouter/", {"type": kind, "label": f"Nouveau {kind}", "after": ""}
    )
    name = f"nouveau_{kind}"
    assert response.status_code == 302, kind
    assert response["Location"] == f"{BASE}champs/{name}/"
    assert client.get(response["Location"]).status_code == 200
    renamed = f"champ_{kind}"
    response = client.post(f"{BASE}champs/{name}/", _edit_post(kind, renamed))
    assert response.status_code == 302, (kind, response.context["form"].errors)
    assert response["Location"] == f"{BASE}#champ-{renamed}"
    # The edit page shows what was saved.
    form = client.get(f"{BASE}champs/{renamed}/").context["form"]
    assert form.initial["label"] == f"Libellé {kind} modifié"
    assert form.initial["show_if"] == "situation:En couple"
    return renamed


def _expected(kind: str, section) -> formdef.FieldSpec:
    return formdef.FieldSpec(
        name=f"champ_{kind}",
        type=kind,
        label=f"Libellé {kind} modifié",
        help_text="Une aide.",
        required=True,
        choices=("Bleu", "Rouge", "Vert") if kind in ("choice", "multiple_choice") else (),
        document_types=("identity", "tax_notice") if kind == "file" else (),
        max_files=3 if kind == "file" else 1,
        allow_later=kind == "file",
        show_if=formdef.Condition("situation", "En couple"),
        section=section,
    )


def test_every_type_is_added_edited_and_published_through_the_pages(admin_client, heating):
    page = page_text(admin_client.get(f"{BASE}ajouter/"))
    for label in formdef.TYPES.values():
        assert str(label) in page
    # The section first: every field after it belongs to it.
    kinds = ["section", *(kind for kind in formdef.TYPES if kind != "section")]
    for kind in kinds:
        _add_and_edit(admin_client, kind)

    draft = _draft(heating)
    added = draft[-len(kinds) :]
    assert added[0] == {
        "name": "champ_section",
        "type": "section",
        "label": "Libellé section modifié",
        "help_text": "Une aide.",
        "show_if": {"field": "situation", "value": "En couple"},
    }
    specs = formdef.parse(draft)[-(len(kinds) - 1) :]
    section = formdef.SectionSpec(
        name="champ_section",
        label="Libellé section modifié",
        help_text="Une aide.",
        show_if=formdef.Condition("situation", "En couple"),
    )
    assert specs == [_expected(kind, section) for kind in kinds[1:]]

    number = heating.current_version.number
    assert admin_client.post(f"{BASE}publier/").status_code == 302
    heating.refresh_from_db()
    assert heating.current_version.number == number + 1
    assert heating.current_version.definition == draft
    assert heating.current_version.fields == formdef.parse(draft)


def test_add_form_errors(admin_client, heating):
    response = admin_client.post(f"{BASE}ajouter/", {"type": "", "label": ""})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"type", "label"}
    text = page_text(response)
    assert "Le formulaire contient des erreurs" in text
    assert _form_changes(heating) == 0


def test_add_offers_each_type_with_its_description(admin_client, heating):
    text = page_text(admin_client.get(f"{BASE}ajouter/"))
    assert "Un titre et un texte qui regroupent les champs placés après." in text
    assert "Après « Prénom »" in text
    assert "Au début du formulaire" in text


def test_edit_offers_only_earlier_choices_as_conditions(admin_client, children):
    form = admin_client.get(f"{BASE}champs/prenom/").context["form"]
    assert form.fields["show_if"].choices == [
        ("", "Toujours affiché"),
        ("civilite:Madame", "Affiché si « Civilité » = Madame"),
        ("civilite:Monsieur", "Affiché si « Civilité » = Monsieur"),
    ]
    last = admin_client.get(f"{BASE}champs/nombre_d_enfants/").context["form"]
    offered = dict(last.fields["show_if"].choices)
    assert offered["avez_vous_des_enfants:oui"] == "Affiché si « Avez-vous des enfants ? » = Oui"
    assert "nombre_d_enfants:oui" not in offered
    # A condition on a later field is not offered: posting one is a form error.
    response = admin_client.post(
        f"{BASE}champs/prenom/",
        {"label": "Prénom", "name": "prenom", "show_if": "situation:En couple"},
    )
    assert response.status_code == 400
    assert "show_if" in response.context["form"].errors


def test_edit_refuses_a_bad_or_taken_name_and_too_few_choices(admin_client, heating):
    response = admin_client.post(
        f"{BASE}champs/civilite/",
        {"label": "Civilité", "name": "Nom Propre", "choices": "Madame"},
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "choices"}
    response = admin_client.post(
        f"{BASE}champs/civilite/",
        {"label": "Civilité", "name": "prenom", "choices": "Madame\nMonsieur"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["Un autre champ porte déjà ce nom."]
    assert _form_changes(heating) == 0


def test_an_edit_the_whole_form_refuses_shows_why(admin_client, children):
    # The question's page says which conditions use it.
    page = page_text(admin_client.get(f"{BASE}champs/avez_vous_des_enfants/"))
    assert "Utilisé par la condition de : « Nombre d'enfants »." in page
    response = admin_client.post(
        f"{BASE}champs/avez_vous_des_enfants/",
        {"label": "Avez-vous des enfants ?", "name": "avez_vous_des_enfants"},
    )
    assert response.status_code == 302  # yes/no answers are fixed: nothing to break
    # Removing a choice a condition uses.
    builder.definition_update(
        procedure=children,
        user=children.administrators.first(),
        name="nombre_d_enfants",
        values={"show_if": {"field": "situation", "value": "En couple"}},
    )
    response = admin_client.post(
        f"{BASE}champs/situation/",
        {"label": "Situation", "name": "situation", "choices": "Seul\nÀ deux", "required": "on"},
    )
    assert response.status_code == 400
    assert (
        "« Situation » doit garder le choix « En couple » : la condition de "
        "« Nombre d'enfants » l'utilise." in page_text(response)
    )


def test_unknown_item_is_a_404(admin_client, heating):
    assert admin_client.get(f"{BASE}champs/inconnu/").status_code == 404
    assert admin_client.post(f"{BASE}champs/inconnu/deplacer/", {"sens": "haut"}).status_code == 404
    assert admin_client.post(f"{BASE}champs/inconnu/supprimer/").status_code == 404


# --- The builder page ----------------------------------------------------------------------


def test_the_page_lists_items_with_sections_conditions_and_named_buttons(
    admin_client, children, demarche_admin
):
    builder.definition_add(
        procedure=children,
        user=demarche_admin,
        kind="section",
        label="Votre famille",
        after="iban",
    )
    builder.definition_update(
        procedure=children,
        user=demarche_admin,
        name="votre_famille",
        values={
            "help_text": "Pour calculer l'aide.",
            "show_if": {"field": "civilite", "value": "Madame"},
        },
    )
    response = admin_client.get(BASE)
    assert response.status_code == 200
    text = page_text(response)
    assert "Affiché si « Avez-vous des enfants ? » = Oui" in text
    assert "Affiché si « Civilité » = Madame" in text
    # The section groups the items after it.
    groups = response.context["groups"]
    section = next(g for g in groups if g["section"])
    assert section["section"]["item"]["name"] == "votre_famille"
    assert [e["item"]["name"] for e in section["fields"]] == [
        "piece_identite",
        "avis_imposition",
        "facture_energie",
        "avez_vous_des_enfants",
        "nombre_d_enfants",
    ]
    # Each button names its field; the first has no "Monter", the last no "Descendre".
    assert 'Monter<span class="fr-sr-only"> « Nombre d\'enfants »' in text
    assert 'Supprimer<span class="fr-sr-only"> « Civilité »' in text
    assert 'Monter<span class="fr-sr-only"> « Civilité »' not in text
    assert 'Descendre<span class="fr-sr-only"> « Nombre d\'enfants »' not in text
    assert 'id="champ-nombre_d_enfants" tabindex="-1"' in text
    assert "Modifications non publiées depuis la version" in text


def test_the_demarche_page_links_to_the_builder(admin_client, heating):
    assert BASE in admin_client.get("/administration/demarches/aide-chauffage/").content.decode()


def test_moving_returns_to_the_moved_item(admin_client, heating):
    names = _names(heating)
    response = admin_client.post(f"{BASE}champs/nom/deplacer/", {"sens": "haut"})
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}#champ-nom"
    moved = _names(heating)
    assert moved.index("nom") == names.index("nom") - 1
    admin_client.post(f"{BASE}champs/nom/deplacer/", {"sens": "bas"})
    assert _names(heating) == names
    assert admin_client.get(f"{BASE}champs/nom/deplacer/").status_code == 405


def test_a_refused_move_or_removal_says_why_and_changes_nothing(admin_client, children):
    before = _draft(children)
    response = admin_client.post(f"{BASE}champs/nombre_d_enfants/deplacer/", {"sens": "haut"})
    assert response.status_code == 400
    text = page_text(response)
    assert "Cette modification n'est pas possible" in text
    assert "« Nombre d'enfants » dépend de la réponse à « Avez-vous des enfants ? »" in text
    response = admin_client.post(f"{BASE}champs/avez_vous_des_enfants/supprimer/")
    assert response.status_code == 400
    assert "la condition de « Nombre d'enfants » en dépend" in page_text(response)
    assert _draft(children) == before


def test_removing_through_the_page(admin_client, heating):
    response = admin_client.post(f"{BASE}champs/telephone/supprimer/")
    assert response.status_code == 302
    assert "telephone" not in _names(heating)
    assert "« Téléphone » est retiré du formulaire" in page_text(admin_client.get(BASE))


def test_history_says_what_changed(admin_client, children, demarche_admin):
    builder.definition_move(procedure=children, user=demarche_admin, name="prenom", up=False)
    builder.definition_update(
        procedure=children,
        user=demarche_admin,
        name="prenom",
        values={"label": "Prénoms", "required": False},
    )
    builder.definition_remove(procedure=children, user=demarche_admin, name="telephone")
    builder.definition_reset(procedure=children, user=demarche_admin)
    text = page_text(admin_client.get("/administration/demarches/aide-chauffage/historique/"))
    assert "Formulaire modifié" in text
    assert "Champ ajouté : « Avez-vous des enfants ? » (avez_vous_des_enfants)" in text
    assert "Champ descendu : « Prénom » (prenom), position 3" in text
    assert "Champ modifié : « Prénoms » (prenom)" in text
    assert "Éléments modifiés : libellé, obligatoire" in text
    assert "Champ supprimé : « Téléphone » (telephone)" in text
    assert "Modifications annulées : retour à la version" in text


# --- Publish and cancel --------------------------------------------------------------------


def test_publishing_from_the_page_keeps_an_older_draft_on_its_version(
    admin_client, heating, applicant, demarche_admin
):
    draft_case = case_start(procedure=heating, user=applicant, space=None)
    number = heating.current_version.number
    assert draft_case.version.number == number
    builder.definition_add(procedure=heating, user=demarche_admin, kind="email", label="Courriel")

    page = admin_client.get(BASE)
    assert f"Modifications non publiées depuis la version {number}" in page_text(page)
    confirm = admin_client.get(f"{BASE}publier/")
    text = page_text(confirm)
    assert f"La version {number + 1} remplacera la version {number}" in text
    assert "Brouillons en cours : 1. Demandes déposées : 0." in text
    assert "Champs ajoutés" in text
    assert [f["name"] for f in confirm.context["diff"]["added"]] == ["courriel"]

    response = admin_client.post(f"{BASE}publier/")
    assert response.status_code == 302
    assert response["Location"] == BASE
    heating.refresh_from_db()
    assert heating.current_version.number == number + 1
    assert heating.current_version.definition == heating.definition
    draft_case.refresh_from_db()
    assert draft_case.version.number == number
    change = ProcedureChange.objects.filter(procedure=heating).first()
    assert change.action == ProcedureChange.Action.VERSION_PUBLISHED
    assert change.details == {"version": number + 1}
    text = page_text(admin_client.get(BASE))
    assert f"La version {number + 1} est en ligne" in text
    assert f"Ce formulaire est celui de la version {number + 1}, en ligne." in text
    # Nothing more to publish: no new version.
    assert "rien à publier" in page_text(admin_client.get(f"{BASE}publier/"))
    admin_client.post(f"{BASE}publier/")
    heating.refresh_from_db()
    assert heating.current_version.number == number + 1


def test_a_demarche_never_published_is_published_as_version_one(
    admin_client, heating, demarche_admin
):
    new = Procedure.objects.create(
        title="Nouvelle",
        slug="nouvelle",
        service=heating.service,
        definition=[{"name": "nom", "type": "text", "label": "Nom"}],
    )
    new.administrators.add(demarche_admin)
    base = "/administration/demarches/nouvelle/formulaire/"
    assert "Ce formulaire n'a jamais été publié" in page_text(admin_client.get(base))
    confirm = page_text(admin_client.get(f"{base}publier/"))
    assert "Ce sera la version 1 du formulaire" in confirm
    assert "Aucune demande n'a encore été commencée." in confirm
    assert admin_client.get(f"{base}annuler/").status_code == 404
    assert admin_client.post(f"{base}publier/").status_code == 302
    new.refresh_from_db()
    assert new.current_version.number == 1
    assert new.current_version.definition == new.definition


def test_cancelling_the_changes_from_the_page(admin_client, children):
    confirm = admin_client.get(f"{BASE}annuler/")
    assert "Avez-vous des enfants ?" in page_text(confirm)
    assert admin_client.post(f"{BASE}annuler/").status_code == 302
    children.refresh_from_db()
    assert children.definition == children.current_version.definition
    text = page_text(admin_client.get(BASE))
    assert "Les modifications sont annulées" in text
    assert "Annuler les modifications" not in text
    assert "rien à annuler" in page_text(admin_client.get(f"{BASE}annuler/"))


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("ajouter/", {"type": "text", "label": "Intrus"}),
        ("champs/prenom/", {"label": "Intrus", "name": "prenom"}),
        ("publier/", {}),
        ("annuler/", {}),
    ],
)
def test_another_administrator_cannot_post_changes(path, data, children, other_admin):
    before, version = _draft(children), children.current_version_id
    assert login(other_admin).post(f"{BASE}{path}", data).status_code == 404
    children.refresh_from_db()
    assert children.definition == before
    assert children.current_version_id == version
