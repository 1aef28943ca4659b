"""The démarche administration's pages: each one for its administrator, a 404 for
anyone else (every URL of cases.administration is listed here, so a new one must be)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.administration import builder, services, urls
from cases.models import Procedure, ProcedureChange
from tests.support.client import page_text
from tests.support.instruction import login

pytestmark = pytest.mark.django_db

BASE = "/administration/demarches/aide-chauffage/"
# Every URL of cases.administration: (method, path). Filled for the heating aid.
URLS = {
    "administration_import": ("get", "/administration/importer/"),
    "administration_procedure": ("get", BASE),
    "administration_settings": ("get", f"{BASE}parametres/"),
    "administration_close": ("post", f"{BASE}fermer/"),
    "administration_reopen": ("post", f"{BASE}rouvrir/"),
    "administration_versions": ("get", f"{BASE}versions/"),
    "administration_export": ("get", f"{BASE}export.json"),
    "administration_clone": ("get", f"{BASE}copier/"),
    "administration_history": ("get", f"{BASE}historique/"),
    "administration_preview": ("get", f"{BASE}apercu/"),
    "administration_create": ("get", "/administration/nouvelle-demarche/"),
    "administration_team": ("get", f"{BASE}equipe/"),
    "administration_instructor_invite": ("post", f"{BASE}equipe/instructeurs/inviter/"),
    "administration_instructor_remove": ("post", f"{BASE}equipe/instructeurs/1/retirer/"),
    "administration_service_create": ("post", f"{BASE}equipe/service/"),
    "administration_admin_add": ("post", f"{BASE}equipe/administrateurs/ajouter/"),
    "administration_admin_remove": ("post", f"{BASE}equipe/administrateurs/1/retirer/"),
    "administration_form": ("get", f"{BASE}formulaire/"),
    "administration_field_add": ("get", f"{BASE}formulaire/ajouter/"),
    "administration_field_edit": ("get", f"{BASE}formulaire/champs/prenom/"),
    "administration_field_move": ("post", f"{BASE}formulaire/champs/prenom/deplacer/"),
    "administration_field_remove": ("post", f"{BASE}formulaire/champs/prenom/supprimer/"),
    "administration_form_publish": ("get", f"{BASE}formulaire/publier/"),
    "administration_form_reset": ("get", f"{BASE}formulaire/annuler/"),
    "administration_emails": ("get", f"{BASE}courriels/"),
    "administration_routing": ("get", f"{BASE}orientation/"),
    # {rule}: a rule of the heating aid, made by ``_path`` (a missing one would 404 anyway).
    "administration_routing_remove": ("post", BASE + "orientation/{rule}/retirer/"),
    "administration_routing_move": ("post", BASE + "orientation/{rule}/deplacer/"),
}
# The pages of one démarche (the import and creation pages belong to none).
PROCEDURE_URLS = sorted(
    name for name in URLS if name not in ("administration_import", "administration_create")
)


def _path(name: str) -> str:
    """The URL's path; a rule of the heating aid is made for the paths that need one."""
    path = URLS[name][1]
    if "{rule}" not in path:
        return path
    heating = Procedure.objects.get(slug="aide-chauffage")
    rule = heating.routing_rules.create(
        position=0, field_name="civilite", value="Madame", service=heating.service
    )
    return path.format(rule=rule.pk)


def test_every_url_is_listed_here():
    assert sorted(p.name for p in urls.urlpatterns) == sorted(URLS)


@pytest.mark.parametrize("name", PROCEDURE_URLS)
def test_another_demarches_administrator_gets_404(name, demarche_admin, other_admin, heating):
    method, path = URLS[name][0], _path(name)
    rules = heating.routing_rules.count()
    client = login(other_admin)
    assert getattr(client, method)(path).status_code == 404
    before = heating.definition
    heating.refresh_from_db()
    assert heating.closes_at is None
    assert heating.definition == before
    assert heating.routing_rules.count() == rules
    assert not ProcedureChange.objects.exists()


@pytest.mark.parametrize("name", sorted(URLS))
def test_a_staff_member_who_administers_nothing_gets_404(name, demarche_admin, colleague):
    method, path = URLS[name][0], _path(name)
    assert getattr(login(colleague), method)(path).status_code == 404


@pytest.mark.parametrize("name", sorted(URLS))
def test_a_session_without_the_app_is_refused(name, demarche_admin, client, heating):
    """Every URL is a staff area: a password alone opens none of them (ADR 0301)."""
    method, path = URLS[name][0], _path(name)
    client.force_login(demarche_admin)
    assert getattr(client, method)(path).status_code == 403
    assert not ProcedureChange.objects.exists()


@pytest.mark.parametrize("name", sorted(n for n, (m, _p) in URLS.items() if m == "post"))
def test_a_write_refuses_a_get(name, admin_client, heating):
    assert admin_client.get(_path(name)).status_code == 405
    assert not ProcedureChange.objects.exists()


@pytest.mark.parametrize("name", sorted(n for n, (m, _p) in URLS.items() if m == "get"))
def test_each_page_opens_for_the_administrator(name, admin_client):
    assert admin_client.get(URLS[name][1]).status_code == 200


def test_a_superuser_sees_every_demarche(demo_procedures, django_user_model):
    root = django_user_model.objects.create_superuser("root@example.fr", "x")
    assert login(root).get("/administration/demarches/declaration-activite/").status_code == 200


def test_index_links_to_the_demarche_page(admin_client, heating):
    response = admin_client.get("/administration/")
    assert BASE.encode() in response.content


def test_summary_shows_state_version_and_links(admin_client, heating):
    text = page_text(admin_client.get(BASE))
    assert "Ouverte" in text
    assert f"Version {heating.current_version.number}" in text
    content = admin_client.get(BASE).content.decode()
    for link in ("parametres/", "versions/", "historique/", "jetons/", "webhooks/"):
        assert f"{BASE}{link}" in content


def test_settings_form_saves_and_records(admin_client, heating, demarche_admin):
    page = admin_client.get(f"{BASE}parametres/").content.decode()
    assert 'type="date"' in page
    form = {
        "title": "Aide au chauffage 2027",
        "description": heating.description,
        "service": heating.service_id,
        "account_required": "on",
        "filed_by": "all",
        "retention_months": 18,
        "opens_at": "2026-01-15",
        "closes_at": "",
        "implicit_decision": "",
        "implicit_decision_days": "",
        "decision_letter": heating.decision_letter,
    }
    response = admin_client.post(f"{BASE}parametres/", form)
    assert response.status_code == 302
    heating.refresh_from_db()
    assert heating.title == "Aide au chauffage 2027"
    assert heating.retention_months == 18
    assert heating.opens_at.isoformat().startswith("2026-01-1")
    assert 'value="2026-01-15"' in admin_client.get(f"{BASE}parametres/").content.decode()
    history = page_text(admin_client.get(f"{BASE}historique/"))
    assert "Paramètres modifiés" in history
    assert "Aide au chauffage 2027" in history
    assert "Alice" in history


def test_settings_form_shows_the_models_errors(admin_client, heating):
    form = {
        "title": heating.title,
        "service": heating.service_id,
        "retention_months": 99,
        "opens_at": "2026-03-01",
        "closes_at": "2026-02-01",
        "implicit_decision": "sva",
        "implicit_decision_days": "",
    }
    response = admin_client.post(f"{BASE}parametres/", form)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "retention_months" in errors
    assert not ProcedureChange.objects.exists()


def test_close_and_reopen_buttons(admin_client, heating):
    assert admin_client.post(f"{BASE}fermer/").status_code == 302
    assert "Fermée" in page_text(admin_client.get(BASE))
    heating.refresh_from_db()
    assert not heating.is_open()
    assert admin_client.post(f"{BASE}rouvrir/").status_code == 302
    heating.refresh_from_db()
    assert heating.is_open()
    assert admin_client.get(f"{BASE}fermer/").status_code == 405


def test_versions_and_their_diff(admin_client, heating, demarche_admin):
    heating.definition = [*heating.definition, {"name": "ajout", "type": "text", "label": "Ajout"}]
    heating.save()
    new = services.procedure_publish(procedure=heating, user=demarche_admin)
    old = new.number - 1
    page = admin_client.get(f"{BASE}versions/?de={old}&a={new.number}")
    assert page.status_code == 200
    assert [f["name"] for f in page.context["diff"]["added"]] == ["ajout"]
    assert "Champs ajoutés" in page_text(page)
    assert admin_client.get(f"{BASE}versions/?de=999&a=1").status_code == 404


def test_export_is_an_attachment(admin_client, heating):
    response = admin_client.get(f"{BASE}export.json")
    assert response["Content-Disposition"] == 'attachment; filename="demarche-aide-chauffage.json"'
    data = json.loads(response.content)
    assert data["format"] == "guichet-demarche"
    assert data["version"] == 1
    assert data["definition"] == heating.definition


def test_import_through_the_page(admin_client, heating, demarche_admin):
    exported = admin_client.get(f"{BASE}export.json").content
    upload = SimpleUploadedFile("d.json", exported, content_type="application/json")
    response = admin_client.post(
        "/administration/importer/",
        {"file": upload, "title": "Importée", "slug": "importee", "service": heating.service_id},
    )
    assert response.status_code == 302
    created = Procedure.objects.get(slug="importee")
    assert response["Location"] == "/administration/demarches/importee/"
    assert created.administrators.filter(pk=demarche_admin.pk).exists()
    assert admin_client.get("/administration/demarches/importee/").status_code == 200


def test_an_invalid_import_shows_every_error(admin_client, heating):
    exported = services.procedure_export(heating)
    exported["retention_months"] = 99
    exported["definition"] = [{"name": "x", "type": "telephone", "label": "X"}]
    upload = SimpleUploadedFile("d.json", json.dumps(exported).encode())
    response = admin_client.post(
        "/administration/importer/",
        {"file": upload, "title": "Importée", "slug": "importee", "service": heating.service_id},
    )
    assert response.status_code == 400
    text = page_text(response)
    assert "Durée de conservation (mois)" in text
    assert "le type « telephone » n'existe pas" in text
    assert not Procedure.objects.filter(slug="importee").exists()


def test_import_offers_only_the_services_of_administered_demarches(
    admin_client, demo_procedures, heating
):
    other_service = demo_procedures["declaration-activite"].service
    assert other_service != heating.service
    upload = SimpleUploadedFile("d.json", admin_client.get(f"{BASE}export.json").content)
    response = admin_client.post(
        "/administration/importer/",
        {"file": upload, "title": "Ailleurs", "slug": "ailleurs", "service": other_service.pk},
    )
    assert response.status_code == 400
    assert not Procedure.objects.filter(slug="ailleurs").exists()


def test_clone_through_the_page(admin_client, heating):
    response = admin_client.post(f"{BASE}copier/", {"title": "Copie", "slug": "copie"})
    assert response.status_code == 302
    copy = Procedure.objects.get(slug="copie")
    assert copy.current_version.number == 1
    history = page_text(admin_client.get("/administration/demarches/copie/historique/"))
    assert "Démarche copiée" in history
    assert heating.title in history
    taken = admin_client.post(f"{BASE}copier/", {"title": "Encore", "slug": "copie"})
    assert taken.status_code == 400


def test_settings_offer_only_services_of_administered_demarches(
    admin_client, heating, demo_procedures
):
    other_service = demo_procedures["declaration-activite"].service
    offered = admin_client.get(f"{BASE}parametres/").context["form"].fields["service"].queryset
    assert heating.service in offered
    assert other_service not in offered
    response = admin_client.post(
        f"{BASE}parametres/",
        {"title": heating.title, "service": other_service.pk, "retention_months": 12},
    )
    assert response.status_code == 400
    heating.refresh_from_db()
    assert heating.service != other_service


@pytest.mark.services("java")
def test_pages_are_valid_html(admin_client, heating, demarche_admin):
    """RGAA 8.2: the Nu HTML Checker on every page, with its errors shown."""
    from tests.support.html_check import vnu_errors

    heating.definition = [*heating.definition, {"name": "ajout", "type": "text", "label": "Ajout"}]
    heating.save()
    new = services.procedure_publish(procedure=heating, user=demarche_admin)
    services.procedure_update_settings(
        procedure=heating, user=demarche_admin, values={"retention_months": 30}
    )
    heating.routing_rules.create(  # one active rule, one inactive
        position=0, field_name="civilite", value="Madame", service=heating.service
    )
    heating.routing_rules.create(
        position=1, field_name="retire", value="x", service=heating.service
    )
    pages_with_errors = {"routing errors": (f"{BASE}orientation/", {"answer": "", "service": ""})}
    bad = services.procedure_export(heating)
    bad["retention_months"] = 99
    upload = SimpleUploadedFile("d.json", json.dumps(bad).encode())
    pages = {
        name: admin_client.get(path)
        for name, (method, path) in URLS.items()
        if method == "get" and name != "administration_export"
    }
    pages["diff"] = admin_client.get(f"{BASE}versions/?de={new.number - 1}&a={new.number}")
    pages["settings errors"] = admin_client.post(f"{BASE}parametres/", {"title": ""})
    pages["preview errors"] = admin_client.post(f"{BASE}apercu/", {"iban": "FR00"})
    pages["clone errors"] = admin_client.post(f"{BASE}copier/", {"title": "", "slug": "x y"})
    # The form builder: a section with a condition, a conditional field, and its errors.
    builder.definition_add(
        procedure=heating, user=demarche_admin, kind="section", label="Famille", after="iban"
    )
    builder.definition_update(
        procedure=heating,
        user=demarche_admin,
        name="famille",
        values={"help_text": "Aide.", "show_if": {"field": "civilite", "value": "Madame"}},
    )
    builder.definition_add(procedure=heating, user=demarche_admin, kind="yes_no", label="Enfants")
    builder.definition_add(procedure=heating, user=demarche_admin, kind="integer", label="Nombre")
    builder.definition_update(
        procedure=heating,
        user=demarche_admin,
        name="nombre",
        values={"show_if": {"field": "enfants", "value": "oui"}},
    )
    form = f"{BASE}formulaire/"
    pages["builder"] = admin_client.get(form)
    pages["builder refused"] = admin_client.post(f"{form}champs/nombre/deplacer/", {"sens": "haut"})
    pages["file field"] = admin_client.get(f"{form}champs/piece_identite/")
    pages["choice field"] = admin_client.get(f"{form}champs/civilite/")
    pages["section"] = admin_client.get(f"{form}champs/famille/")
    pages["publish"] = admin_client.get(f"{form}publier/")
    pages["reset"] = admin_client.get(f"{form}annuler/")
    pages["add errors"] = admin_client.post(f"{form}ajouter/", {"label": ""})
    pages["edit errors"] = admin_client.post(f"{form}champs/civilite/", {"name": "X"})
    for name, (path, data) in pages_with_errors.items():
        pages[name] = admin_client.post(path, data)
    pages["import errors"] = admin_client.post(
        "/administration/importer/",
        {"file": upload, "title": "T", "slug": "t", "service": heating.service_id},
    )
    assert {n: r.status_code for n, r in pages.items() if "errors" in n or "refused" in n} == {
        "settings errors": 400,
        "clone errors": 400,
        "import errors": 400,
        "preview errors": 400,
        "add errors": 400,
        "edit errors": 400,
        "builder refused": 400,
        "routing errors": 400,
    }
    assert vnu_errors({name: r.content.decode() for name, r in pages.items()}) == {
        name: [] for name in pages
    }
