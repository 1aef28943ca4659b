"""The démarche administration's services: settings and their history, close/reopen,
export/import, clone, the diff of two versions; drafts keep their version throughout."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import formdef
from cases.administration import services
from cases.models import Case, Procedure, ProcedureChange
from cases.services import case_start
from locker.models import Document

pytestmark = pytest.mark.django_db


def _export_bytes(procedure) -> bytes:
    return json.dumps(services.procedure_export(procedure)).encode()


def _field(kind: str) -> dict:
    """A valid field of type ``kind``, with the extras that type needs."""
    field = {"name": f"champ_{kind}", "type": kind, "label": f"Champ {kind}", "required": True}
    if kind in ("choice", "multiple_choice"):
        field["choices"] = ["Oui", "Non", "Peut-être"]
    if kind == "file":
        field.update(document_types=[Document.Kind.values[0]], max_files=3, allow_later=True)
    field["help_text"] = "Aide"
    return field


def test_a_settings_change_is_recorded_with_old_and_new_values(heating, demarche_admin):
    changed = services.procedure_update_settings(
        procedure=heating,
        user=demarche_admin,
        values={"title": "Aide au chauffage 2027", "retention_months": 24},
    )
    heating.refresh_from_db()
    assert heating.title == "Aide au chauffage 2027"
    assert heating.retention_months == 24
    change = ProcedureChange.objects.get(procedure=heating)
    assert change.action == ProcedureChange.Action.SETTINGS_CHANGED
    assert change.actor == demarche_admin
    old_title = changed["title"][0]
    assert change.details == {
        "title": [old_title, "Aide au chauffage 2027"],
        "retention_months": [12, 24],
    }
    assert old_title != "Aide au chauffage 2027"
    # No change, no entry.
    assert (
        services.procedure_update_settings(
            procedure=heating, user=demarche_admin, values={"retention_months": 24}
        )
        == {}
    )
    assert ProcedureChange.objects.filter(procedure=heating).count() == 1


def test_settings_are_validated_by_the_model(heating, demarche_admin):
    with pytest.raises(ValidationError) as error:
        services.procedure_update_settings(
            procedure=heating,
            user=demarche_admin,
            values={"implicit_decision": "sva", "implicit_decision_days": None},
        )
    assert "implicit_decision_days" in error.value.message_dict
    heating.refresh_from_db()
    assert heating.implicit_decision == ""
    assert not ProcedureChange.objects.exists()


def test_close_then_reopen(heating, demarche_admin):
    services.procedure_close(procedure=heating, user=demarche_admin)
    heating.refresh_from_db()
    assert heating.closes_at is not None
    assert not heating.is_open()
    services.procedure_reopen(procedure=heating, user=demarche_admin)
    heating.refresh_from_db()
    assert heating.closes_at is None
    assert heating.is_open()
    actions = list(
        ProcedureChange.objects.filter(procedure=heating).values_list("action", flat=True)
    )
    assert actions == ["reopened", "closed"]  # newest first


def test_export_then_import_gives_the_same_settings_and_definition(heating, demarche_admin):
    heating.implicit_decision, heating.implicit_decision_days = "sva", 60
    heating.decision_letter = "Décision {decision} pour {numero}."
    heating.save()
    data, errors = services.import_parse(_export_bytes(heating))
    assert errors == []
    copy = services.procedure_import(
        data=data,
        title="Aide importée",
        slug="aide-importee",
        service=heating.service,
        user=demarche_admin,
    )
    copy.refresh_from_db()
    assert copy.definition == heating.definition
    for name in services.EXPORTED_SETTINGS:
        if name != "title":
            assert getattr(copy, name) == getattr(heating, name), name
    assert copy.title == "Aide importée"
    assert copy.current_version.number == 1
    assert copy.current_version.definition == heating.definition
    assert list(copy.administrators.all()) == [demarche_admin]
    assert copy.changes.get().action == ProcedureChange.Action.IMPORTED


def test_every_field_type_round_trips(heating, demarche_admin):
    # The section first: every field after it belongs to it.
    kinds = ["section", *(kind for kind in formdef.TYPES if kind != "section")]
    definition = [_field(kind) for kind in kinds]
    specs = formdef.parse(definition)
    assert [spec.type for spec in specs] == kinds[1:]
    assert {spec.section.name for spec in specs} == {"champ_section"}
    heating.definition = definition
    heating.save()
    data, errors = services.import_parse(_export_bytes(heating))
    assert errors == []
    copy = services.procedure_import(
        data=data,
        title="Tous",
        slug="tous-les-champs",
        service=heating.service,
        user=demarche_admin,
    )
    assert copy.current_version.definition == definition
    assert [spec.type for spec in copy.current_version.fields] == kinds[1:]


def test_bad_json_is_refused():
    data, errors = services.import_parse(b"{not json")
    assert data is None
    assert errors == ["Le fichier n'est pas un fichier JSON valide."]


def test_a_file_over_one_megabyte_is_refused():
    data, errors = services.import_parse(b" " * (services.MAX_IMPORT_BYTES + 1))
    assert data is None
    assert errors == ["Le fichier dépasse 1 Mo."]


def test_an_invalid_import_lists_all_its_errors(heating):
    exported = services.procedure_export(heating)
    exported["format"] = "autre-chose"
    exported["retention_months"] = 99
    exported["account_required"] = "oui"
    exported["definition"] = [
        *heating.definition[:2],
        {"name": "tel", "type": "telephone", "label": "Téléphone"},
    ]
    data, errors = services.import_parse(json.dumps(exported).encode())
    assert data is None
    assert len(errors) == 4, errors
    assert errors[0].startswith("Ce fichier n'est pas un export de démarche de Guichet")
    assert "Compte obligatoire : type de valeur invalide." in errors
    assert any(e.startswith("Durée de conservation (mois) : ") and "60" in e for e in errors)
    assert "Formulaire : Champ 3 : le type « telephone » n'existe pas." in errors


def test_diff_of_two_definitions():
    old = [
        {"name": "nom", "type": "text", "label": "Nom"},
        {"name": "age", "type": "integer", "label": "Âge"},
        {"name": "iban", "type": "iban", "label": "IBAN", "required": True},
    ]
    new = [
        {"name": "nom", "type": "text", "label": "Nom de famille", "help_text": "Tel quel"},
        {"name": "iban", "type": "iban", "label": "IBAN", "required": True},
        {"name": "courriel", "type": "email", "label": "Courriel"},
    ]
    diff = services.definition_diff(old, new)
    assert [f["name"] for f in diff["added"]] == ["courriel"]
    assert [f["name"] for f in diff["removed"]] == ["age"]
    assert diff["changed"] == {
        "nom": {"help_text": [None, "Tel quel"], "label": ["Nom", "Nom de famille"]}
    }
    assert diff["moved"] is False
    assert services.definition_diff(old, old) == {
        "added": [],
        "removed": [],
        "changed": {},
        "moved": False,
    }
    assert services.definition_diff(old, list(reversed(old)))["moved"] is True


def test_clone_publishes_version_one_and_copies_no_demande(heating, demarche_admin, applicant):
    draft = case_start(procedure=heating, user=applicant, space=None)
    heating.definition = [*heating.definition, {"name": "ajout", "type": "text", "label": "Ajout"}]
    heating.save()
    services.procedure_publish(procedure=heating, user=demarche_admin)
    heating.refresh_from_db()
    copy = services.procedure_clone(
        source=heating, title="Aide 2027", slug="aide-2027", user=demarche_admin
    )
    assert copy.current_version.number == 1
    assert copy.definition == heating.current_version.definition
    assert copy.service == heating.service
    assert copy.retention_months == heating.retention_months
    assert copy.account_required == heating.account_required
    assert list(copy.administrators.all()) == [demarche_admin]
    assert not Case.objects.filter(procedure=copy).exists()
    assert copy.changes.get().details["source"] == heating.slug
    # The draft started before keeps its (older) version.
    old_version = draft.version
    draft.refresh_from_db()
    assert draft.version == old_version
    assert draft.version != heating.current_version


def test_a_draft_keeps_its_version_after_publish_import_and_clone(
    heating, demarche_admin, applicant
):
    draft = case_start(procedure=heating, user=applicant, space=None)
    started_with = draft.version_id
    heating.definition = [*heating.definition, {"name": "ajout", "type": "text", "label": "Ajout"}]
    heating.save()
    version = services.procedure_publish(procedure=heating, user=demarche_admin)
    assert version.pk != started_with
    assert heating.changes.get().details == {"version": version.number}
    data, _errors = services.import_parse(_export_bytes(heating))
    services.procedure_import(
        data=data, title="Import", slug="import", service=heating.service, user=demarche_admin
    )
    services.procedure_clone(source=heating, title="Copie", slug="copie", user=demarche_admin)
    draft.refresh_from_db()
    assert draft.version_id == started_with
    assert Procedure.objects.filter(slug__in=["import", "copie"]).count() == 2


def test_clone_refuses_a_slug_in_use(heating, demarche_admin):
    with pytest.raises(ValidationError):
        services.procedure_clone(
            source=heating, title="Doublon", slug=heating.slug, user=demarche_admin
        )
    assert Procedure.objects.filter(title="Doublon").count() == 0


def test_close_keeps_a_past_opening_date(heating, demarche_admin):
    heating.opens_at = timezone.now() - timezone.timedelta(days=3)
    heating.save()
    services.procedure_close(procedure=heating, user=demarche_admin)
    heating.refresh_from_db()
    assert heating.opens_at is not None
    assert heating.closes_at > heating.opens_at


def test_a_publication_from_django_admin_is_in_the_history(heating, django_user_model, rf):
    from django.contrib import admin
    from django.contrib.messages.storage.cookie import CookieStorage

    root = django_user_model.objects.create_superuser("root@example.fr", "x")
    request = rf.post("/")
    request.user = root
    request._messages = CookieStorage(request)
    heating.definition = [*heating.definition, {"name": "ajout", "type": "text", "label": "Ajout"}]
    admin.site._registry[Procedure].save_model(request, heating, None, True)
    change = ProcedureChange.objects.get(procedure=heating)
    assert change.action == ProcedureChange.Action.VERSION_PUBLISHED
    assert change.actor == root
    assert change.details == {"version": heating.current_version.number}
