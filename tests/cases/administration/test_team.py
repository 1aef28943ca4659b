"""The "Service et instructeurs" page of a démarche (ADR 0021): its service, inviting and
removing instructors (their demandes go back to the queue), creating a service, and the
démarche's administrators (never fewer than one). Each change is in the history."""

import pytest
from django.urls import reverse
from viewflow.workflow.status import STATUS

from cases.administration import selectors, services
from cases.models import Procedure, ProcedureChange, Service
from identity.models import User
from identity.selectors import terms_to_accept
from tests.identity.helpers import (
    NEW_PASSWORD,
    last_message,
    link_in,
    login_with_emailed_code,
    path_of,
    text,
)
from tests.support.client import CommitClient, page_text
from tests.support.factories import CaseFactory
from tests.support.instruction import human_task, login, take

pytestmark = pytest.mark.django_db

BASE = "/administration/demarches/aide-chauffage/equipe/"
INVITE = f"{BASE}instructeurs/inviter/"
ADD_ADMIN = f"{BASE}administrateurs/ajouter/"
NEW_SERVICE = f"{BASE}service/"
NEWCOMER = "nina.leroy@departement.example"


def _remove_instructor(user):
    return f"{BASE}instructeurs/{user.pk}/retirer/"


def _remove_admin(user):
    return f"{BASE}administrateurs/{user.pk}/retirer/"


def _history(client) -> str:
    return page_text(client.get("/administration/demarches/aide-chauffage/historique/"))


def _actions(procedure) -> list[str]:
    return list(
        ProcedureChange.objects.filter(procedure=procedure)
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )


# --- The page -------------------------------------------------------------------------------


def test_the_demarche_page_links_to_the_team_page(admin_client):
    page = admin_client.get("/administration/demarches/aide-chauffage/").content.decode()
    assert BASE in page
    assert "Service et instructeurs" in page


def test_the_page_shows_the_service_and_its_instructors(admin_client, heating, colleague):
    response = admin_client.get(BASE)
    assert response.status_code == 200
    page = page_text(response)
    assert "Service et instructeurs" in page
    assert heating.service.name in page
    assert "Alice Durand" in page
    assert "bruno.petit@departement.example" in page
    # Nobody was invited through the page: the date is not known.
    assert "Non connu" in page
    # The heating aid's service also instructs the change of address: said on the page.
    assert "Signaler un changement d'adresse" in page


# --- Inviting an instructor -----------------------------------------------------------------


def test_inviting_an_existing_account_by_any_case(
    admin_client, heating, other_instructor, mailoutbox
):
    """Chloé instructs another service; her address typed in capitals finds her."""
    response = admin_client.post(INVITE, {"instructeur-email": "Chloe.Morel@ECO.example"})
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}#instructeurs"
    assert heating.service.instructors.filter(pk=other_instructor.pk).exists()
    assert User.objects.filter(email__iexact="chloe.morel@eco.example").count() == 1

    page = page_text(admin_client.get(BASE))
    assert "instruit désormais le service" in page
    assert "Chloé Morel" in page
    assert "Non connu" in page  # Alice herself was never invited through the page
    row = admin_client.get(BASE).content.decode().split('data-instructor="chloe.morel@eco')[1]
    assert "Non connu" not in row.split("</tr>")[0]

    mail = next(m for m in mailoutbox if m.to == ["chloe.morel@eco.example"])
    assert heating.service.name in mail.subject
    assert "/compte/login/" in mail.body
    assert "/compte/securite/application/" in mail.body
    assert "/instruction/" in mail.body
    assert "application d'authentification" in mail.body
    assert "carte OTP" in mail.body
    assert "Mot de passe oublié" not in mail.body  # she has her password

    change = ProcedureChange.objects.get(procedure=heating)
    assert change.action == ProcedureChange.Action.INSTRUCTOR_INVITED
    assert change.details["email"] == "chloe.morel@eco.example"
    history = _history(admin_client)
    assert "Instructeur invité" in history
    assert "Personne : chloe.morel@eco.example" in history


def test_inviting_a_new_address_creates_the_account_and_the_first_login_asks_for_the_app(
    admin_client, heating, mailoutbox
):
    """Nina has no account: she chooses her password through "Mot de passe oublié", logs
    in, and the instruction area asks her to add an authenticator app."""
    response = admin_client.post(INVITE, {"instructeur-email": NEWCOMER})
    assert response.status_code == 302
    nina = User.objects.get(email=NEWCOMER)
    assert not nina.has_usable_password()
    assert heating.service.instructors.filter(pk=nina.pk).exists()

    invitation = last_message(NEWCOMER)
    assert "Mot de passe oublié" in invitation.body_text
    reset_page = path_of(link_in(invitation, "/compte/password/reset/"))
    client = CommitClient()
    response = client.post(reset_page, {"email": NEWCOMER, "contact": NEWCOMER})
    assert response.status_code == 302
    link = link_in(last_message(NEWCOMER), "/compte/password/reset/key/")
    page = client.get(path_of(link), follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else path_of(link)
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    session = CommitClient()
    response = login_with_emailed_code(session, NEWCOMER, NEW_PASSWORD)
    # Like any new account, she accepts the current terms at her first login.
    assert response["Location"] == reverse("identity:terms_accept")
    shown = [str(terms.pk) for terms in terms_to_accept(user=nina)]
    response = session.post(
        reverse("identity:terms_accept"), {"decision": "accept", "terms": shown}
    )
    assert response.status_code == 302
    response = session.get(reverse("workflows:queue"))
    assert response.status_code == 403
    assert "Connexion renforcée nécessaire" in text(response)
    assert reverse("identity:totp_enrol") in text(response)


def test_the_same_message_whether_or_not_the_address_had_an_account(
    admin_client, other_instructor, mailoutbox
):
    known = page_text(
        admin_client.post(INVITE, {"instructeur-email": other_instructor.email}, follow=True)
    )
    unknown = page_text(admin_client.post(INVITE, {"instructeur-email": NEWCOMER}, follow=True))

    def message(page, email):
        return page.split(email, 1)[1].split(".")[0]

    assert message(known, other_instructor.email) == message(unknown, NEWCOMER)


def test_an_invalid_or_present_address_is_refused(admin_client, heating, colleague):
    response = admin_client.post(INVITE, {"instructeur-email": "pas-une-adresse"})
    assert response.status_code == 400
    assert "Adresse électronique" in page_text(response)
    assert response.context["invite_form"].errors
    response = admin_client.post(INVITE, {"instructeur-email": colleague.email.upper()})
    assert response.status_code == 400
    assert "Cette personne instruit déjà le service" in page_text(response)
    assert not ProcedureChange.objects.exists()
    assert not User.objects.filter(email="pas-une-adresse").exists()


# --- Removing an instructor -----------------------------------------------------------------


def test_removing_an_instructor_puts_their_demandes_back_in_the_queue(
    admin_client, heating, colleague, demarche_admin
):
    """Bruno took a demande; once he is removed, it is back in "À traiter" and Alice takes
    it through the queue."""
    case = CaseFactory(in_instruction=True, taken=True, instructor=colleague)
    task = human_task(case)
    assert (task.status, task.owner) == (STATUS.ASSIGNED, colleague)

    response = admin_client.post(_remove_instructor(colleague))
    assert response.status_code == 302
    assert not heating.service.instructors.filter(pk=colleague.pk).exists()
    task.refresh_from_db()
    assert (task.status, task.owner) == (STATUS.NEW, None)
    page = page_text(admin_client.get(BASE))
    assert "n'instruit plus le service" in page
    assert "de retour dans la file « À traiter »" in page

    queue = admin_client.get(reverse("workflows:queue"), {"onglet": "a_traiter"})
    assert reverse("workflows:case", args=[case.number]) in queue.content.decode()
    take(admin_client, case)
    assert human_task(case).owner == demarche_admin
    # Bruno no longer sees the service's demandes.
    assert login(colleague).get(reverse("workflows:queue")).status_code == 404

    change = ProcedureChange.objects.get(procedure=heating)
    assert change.action == ProcedureChange.Action.INSTRUCTOR_REMOVED
    assert change.details["released"] == 1
    history = _history(admin_client)
    assert "Instructeur retiré" in history
    assert "Personne : bruno.petit@departement.example" in history
    assert "1 demande remise dans la file « À traiter »" in history


def test_removal_keeps_the_demandes_of_other_instructors(admin_client, heating, colleague):
    alices = CaseFactory(in_instruction=True, taken=True, instructor=heating.administrators.get())
    admin_client.post(_remove_instructor(colleague))
    assert human_task(alices).status == STATUS.ASSIGNED
    assert ProcedureChange.objects.get(procedure=heating).details["released"] == 0


def test_a_decision_waiting_with_the_removed_instructor_goes_back_too(
    admin_client, heating, colleague
):
    """Bruno checked the demande: "decide" opened with him (the checker decides)."""
    case = CaseFactory(in_instruction=True, checked=True, instructor=colleague)
    task = human_task(case)
    assert (task.flow_task.name, task.owner) == ("decide", colleague)
    admin_client.post(_remove_instructor(colleague))
    task.refresh_from_db()
    assert (task.status, task.owner) == (STATUS.NEW, None)
    case.refresh_from_db()
    assert case.next_task_owner_id is None  # the queue's copy follows (ADR 0404)


def test_someone_outside_the_service_cannot_be_removed(admin_client, other_instructor):
    assert admin_client.post(_remove_instructor(other_instructor)).status_code == 404
    assert not ProcedureChange.objects.exists()


def test_another_demarches_administrator_cannot_touch_the_team(
    demarche_admin, other_admin, colleague, heating
):
    """Chloé administers another démarche: every write of this page is a 404 for her."""
    client = login(other_admin)
    assert client.post(_remove_instructor(colleague)).status_code == 404
    assert client.post(_remove_admin(demarche_admin)).status_code == 404
    assert client.post(INVITE, {"instructeur-email": NEWCOMER}).status_code == 404
    assert client.post(ADD_ADMIN, {"administrateur-email": other_admin.email}).status_code == 404
    assert heating.service.instructors.filter(pk=colleague.pk).exists()
    assert list(heating.administrators.all()) == [demarche_admin]
    assert not User.objects.filter(email=NEWCOMER).exists()
    assert not ProcedureChange.objects.exists()


# --- Creating a service ---------------------------------------------------------------------


def _service_form(**values):
    return {
        "service-name": "Mission vacances",
        "service-slug": "mission-vacances",
        "service-contact_email": "vacances@departement.example",
        **values,
    }


def test_a_new_service_is_offered_in_the_settings(admin_client, heating):
    old_service = heating.service
    response = admin_client.post(NEW_SERVICE, _service_form())
    assert response.status_code == 302
    service = Service.objects.get(slug="mission-vacances")
    assert (service.name, service.contact_email) == (
        "Mission vacances",
        "vacances@departement.example",
    )
    heating.refresh_from_db()
    assert heating.service == old_service  # not chosen: offered
    settings_page = page_text(
        admin_client.get("/administration/demarches/aide-chauffage/parametres/")
    )
    assert "Mission vacances" in settings_page
    assert "Mission vacances" in page_text(admin_client.get("/administration/nouvelle-demarche/"))
    assert _actions(heating) == [ProcedureChange.Action.SERVICE_CREATED]
    history = _history(admin_client)
    assert "Service créé" in history
    assert "Service « Mission vacances » (identifiant mission-vacances)" in history
    assert "La démarche lui est confiée." not in history


def test_a_new_service_can_take_the_demarche_at_once(admin_client, heating):
    response = admin_client.post(NEW_SERVICE, _service_form(**{"service-attach": "on"}))
    assert response.status_code == 302
    heating.refresh_from_db()
    assert heating.service.slug == "mission-vacances"
    assert _actions(heating) == [
        ProcedureChange.Action.SERVICE_CREATED,
        ProcedureChange.Action.SETTINGS_CHANGED,
    ]
    history = _history(admin_client)
    assert "La démarche lui est confiée." in history
    page = page_text(admin_client.get(BASE))
    assert "Ce service n'a aucun instructeur" in page


def test_a_service_identifier_in_use_is_refused(admin_client, heating):
    response = admin_client.post(NEW_SERVICE, _service_form(**{"service-slug": "action-sociale"}))
    assert response.status_code == 400
    assert "Un service utilise déjà cet identifiant." in page_text(response)
    assert not ProcedureChange.objects.exists()


def test_a_service_created_from_another_demarche_is_not_offered(admin_client, other_admin, heating):
    client = login(other_admin)
    url = "/administration/demarches/declaration-activite/equipe/service/"
    assert client.post(url, _service_form()).status_code == 302
    offered = selectors.services_for_new_procedures(heating.administrators.get())
    assert not offered.filter(slug="mission-vacances").exists()
    assert selectors.services_for_new_procedures(other_admin).filter(slug="mission-vacances")


# --- Administrators -------------------------------------------------------------------------


def test_adding_an_administrator_by_email(admin_client, heating, colleague, mailoutbox):
    response = admin_client.post(ADD_ADMIN, {"administrateur-email": colleague.email.upper()})
    assert response.status_code == 302
    assert heating.administrators.filter(pk=colleague.pk).exists()
    assert "Bruno Petit administre désormais la démarche" in page_text(admin_client.get(BASE))
    mail = next(m for m in mailoutbox if m.to == [colleague.email])
    assert heating.title in mail.subject
    assert "/administration/demarches/aide-chauffage/" in mail.body
    # Bruno enters the démarche's administration.
    assert login(colleague).get("/administration/demarches/aide-chauffage/").status_code == 200
    history = _history(admin_client)
    assert "Administrateur ajouté" in history
    assert f"Personne : {colleague.email}" in history


def test_an_address_without_account_cannot_be_made_administrator(admin_client, heating):
    response = admin_client.post(ADD_ADMIN, {"administrateur-email": NEWCOMER})
    assert response.status_code == 400
    assert "Aucun compte n'utilise cette adresse" in page_text(response)
    assert not User.objects.filter(email=NEWCOMER).exists()
    assert not ProcedureChange.objects.exists()


def test_removing_an_administrator_and_never_the_last(
    admin_client, heating, colleague, demarche_admin
):
    heating.administrators.add(colleague)
    response = admin_client.post(_remove_admin(colleague))
    assert response.status_code == 302
    assert list(heating.administrators.all()) == [demarche_admin]
    assert "Bruno Petit n'administre plus la démarche" in page_text(admin_client.get(BASE))

    response = admin_client.post(_remove_admin(demarche_admin), follow=True)
    assert list(heating.administrators.all()) == [demarche_admin]
    assert "La démarche doit garder au moins un administrateur" in page_text(response)
    assert _actions(heating) == [ProcedureChange.Action.ADMIN_REMOVED]
    history = _history(admin_client)
    assert "Administrateur retiré" in history
    assert f"Personne : {colleague.email}" in history


def test_an_administrator_who_removes_themselves_leaves_the_demarche(
    admin_client, heating, colleague, demarche_admin
):
    heating.administrators.add(colleague)
    response = admin_client.post(_remove_admin(demarche_admin))
    assert response["Location"] == "/administration/"  # she still administers another one
    assert admin_client.get(BASE).status_code == 404
    assert list(heating.administrators.all()) == [colleague]


def test_the_last_administrator_rule_holds_in_the_service(heating, demarche_admin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.administrator_remove(
            procedure=heating, user=demarche_admin, administrator=demarche_admin
        )
    assert Procedure.objects.get(pk=heating.pk).administrators.count() == 1


@pytest.mark.services("java")
def test_the_team_page_is_valid_html(admin_client, heating, colleague):
    """RGAA 8.2: the Nu HTML Checker on the page, its states with errors included."""
    from tests.support.html_check import vnu_errors

    admin_client.post(INVITE, {"instructeur-email": NEWCOMER})
    pages = {
        "page": admin_client.get(BASE),
        "invite errors": admin_client.post(INVITE, {"instructeur-email": "x"}),
        "service errors": admin_client.post(NEW_SERVICE, {"service-slug": "x y"}),
        "admin errors": admin_client.post(ADD_ADMIN, {"administrateur-email": "x@y.example"}),
        "create errors": admin_client.post("/administration/nouvelle-demarche/", {"slug": "x y"}),
    }
    assert {n: r.status_code for n, r in pages.items()} == {
        "page": 200,
        "invite errors": 400,
        "service errors": 400,
        "admin errors": 400,
        "create errors": 400,
    }
    assert vnu_errors({name: r.content.decode() for name, r in pages.items()}) == {
        name: [] for name in pages
    }
