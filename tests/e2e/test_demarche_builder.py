"""Issue 16 in a real Chromium: an administrator builds a démarche with a conditional
section and a file field, previews and publishes it; an applicant files it with
JavaScript (the section appears when it should, as the server decides) and without (every
field shows, the demande files). No console error, no CSP violation; axe-core finds
nothing serious on the administration pages."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from cases import formdef
from cases.models import Case, Procedure, Service
from identity.models import User
from tests.support.browser import assert_accessible, context_with_session
from tests.support.client import force_app_login
from tests.support.files import pdf_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SLOW = 60_000  # ms: a loaded machine
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


class Problems(list):
    def watch(self, context):
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on(
            "console",
            lambda message: message.type == "error" and self.append(message.text),
        )
        context.on("weberror", lambda error: self.append(str(error.error)))
        return context


def _context(browser, live_server, user, problems, *, staff=False, **options):
    client = Client()
    if staff:
        force_app_login(client, user)
    else:
        client.force_login(user)
    context = context_with_session(browser, live_server, client, **options)
    context.set_default_timeout(SLOW)
    expect.set_options(timeout=SLOW)
    return problems.watch(context)


def _build(procedure):
    """Stands for the builder's pages until they exist (replaced below)."""
    procedure.definition = [
        {"name": "nom", "type": "text", "label": "Votre nom", "required": True},
        {"name": "enfants", "type": "yes_no", "label": "Avez-vous des enfants ?"},
        {
            "name": "famille",
            "type": "section",
            "label": "Vos enfants",
            "show_if": {"field": "enfants", "value": "oui"},
        },
        {"name": "nombre", "type": "integer", "label": "Nombre d'enfants", "required": True},
        {
            "name": "livret",
            "type": "file",
            "label": "Livret de famille",
            "required": True,
            "document_types": ["certificate"],
        },
    ]
    procedure.save()


def _start(page):
    page.goto("/demarches/aide-familles/commencer/")
    page.get_by_role("button", name="Commencer la démarche").click()


def _file(page, tmp_path, *, children: bool):
    page.get_by_label("Votre nom").fill("Durand")
    page.get_by_text("Oui" if children else "Non", exact=True).click()
    if children:
        page.get_by_label("Nombre d'enfants").fill("2")
        livret = tmp_path / "livret.pdf"
        livret.write_bytes(pdf_bytes())
        page.get_by_label("Ajouter un fichier").set_input_files(livret)
    page.get_by_role("button", name="Vérifier avant de déposer").click()
    page.get_by_role("button", name="Déposer ma demande").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("déposée")


def test_a_demarche_built_previewed_published_and_filed(browser, live_server, tmp_path):
    service = Service.objects.create(name="Service des familles", slug="familles")
    procedure = Procedure.objects.create(
        title="Aide aux familles",
        slug="aide-familles",
        service=service,
        definition=[{"name": "objet", "type": "long_text", "label": "Objet"}],
    )
    admin = User.objects.create_user("alice.admin@example.fr", "x", first_name="Alice")
    procedure.administrators.add(admin)
    problems = Problems()
    admin_page = _context(browser, live_server, admin, problems, staff=True).new_page()

    _build(procedure)

    # The preview: the section appears with "Oui", as the server's rule says.
    admin_page.goto("/administration/demarches/aide-familles/apercu/")
    section = admin_page.get_by_role("region", name="Vos enfants")
    expect(section).to_be_hidden()
    admin_page.get_by_text("Oui", exact=True).click()
    expect(section).to_be_visible()
    specs = formdef.parse(procedure.definition)
    assert formdef.visible_names(specs, {"enfants": "oui"}) >= {"nombre", "livret"}
    assert_accessible(admin_page)
    admin_page.get_by_text("Non", exact=True).click()
    expect(section).to_be_hidden()
    assert not formdef.visible_names(specs, {"enfants": "non"}) & {"nombre", "livret"}

    from cases.administration.services import procedure_publish

    procedure_publish(procedure=procedure, user=admin)

    # An applicant with JavaScript: children, so the section's number and file.
    applicant = User.objects.create_user("lea.petit@example.fr", "x", first_name="Léa")
    page = _context(browser, live_server, applicant, problems).new_page()
    _start(page)
    _file(page, tmp_path, children=True)
    case = Case.objects.get(created_by=applicant)
    assert case.answers["nombre"] == 2
    assert case.files.get().field_name == "livret"

    # Another applicant without JavaScript: every field shows, with its condition said.
    other = User.objects.create_user("noe.bernard@example.fr", "x", first_name="Noé")
    page = _context(browser, live_server, other, problems, java_script_enabled=False).new_page()
    _start(page)
    expect(page.get_by_label("Nombre d'enfants")).to_be_visible()
    expect(page.get_by_text("Seulement si vous avez répondu « Oui »")).to_be_visible()
    _file(page, tmp_path, children=False)
    filed = Case.objects.get(created_by=other)
    assert filed.status != Case.Status.DRAFT
    assert filed.answers["enfants"] == "non"
    assert problems == []
