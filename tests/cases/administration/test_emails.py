"""A démarche's own texts in the applicant's emails (ADR 0022): the Courriels page, its
validation, the preview, the real emails, the history and export/import."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from cases import email_texts
from cases.administration import selectors, services
from cases.models import Case, CaseEvent, Procedure, ProcedureChange
from identity.models import Notification
from tests.support.client import page_text
from tests.support.filing import MOVE_ANSWERS, file_demande
from tests.support.instruction import login

pytestmark = pytest.mark.django_db

BASE = "/administration/demarches/aide-chauffage/"
PAGE = f"{BASE}courriels/"
MOVE_PAGE = "/administration/demarches/changement-adresse/courriels/"
ALLOWED = "Variables possibles : {numero}, {demarche}, {service}, {date}."


def _texts(**texts):
    """The page's form: every email, ``texts`` filled in."""
    return {key: texts.get(key, "") for key in email_texts.EVENTS}


def _save(client, path=PAGE, **texts):
    return client.post(path, {**_texts(**texts), "enregistrer": "1"})


def _preview(client, key, path=PAGE, **texts):
    return client.post(path, {**_texts(**texts), "apercu": key})


def _field_errors(response) -> dict[str, list[str]]:
    return {key: list(errors) for key, errors in response.context["form"].errors.items()}


# --- The page ------------------------------------------------------------------------------


def test_the_page_lists_each_email_its_moment_subject_and_the_variables(admin_client, heating):
    assert f'href="{PAGE}"' in admin_client.get(BASE).content.decode()
    text = page_text(admin_client.get(PAGE))
    assert "Courriels aux usagers" in text
    for name, when in email_texts.EVENTS.values():
        assert str(name) in text
        assert str(when) in text
    assert "Objet : « Votre demande {numero} est bien enregistrée »" in text
    assert "Objet : « Votre demande {numero} est refusée »" in text
    # Each variable, what it becomes, and its value for this démarche.
    for variable in ("{numero}", "{demarche}", "{service}", "{date}"):
        assert f"<code>{variable}</code>" in text
    assert "le nom du service instructeur" in text
    assert heating.title in text
    assert heating.service.name in text
    assert "K7QX-M3PA-9" in text


def test_another_demarches_administrator_cannot_save_or_preview(other_admin, heating):
    client = login(other_admin)
    assert _save(client, submitted="Détourné").status_code == 404
    assert _preview(client, "submitted", submitted="Détourné").status_code == 404
    heating.refresh_from_db()
    assert heating.email_texts == {}
    assert not ProcedureChange.objects.exists()


def test_saving_keeps_the_texts_and_shows_them_again(admin_client, heating):
    response = _save(admin_client, submitted="  Délai : deux mois.\r\nMerci.  ", reminder="")
    assert response.status_code == 302
    assert response["Location"] == PAGE
    heating.refresh_from_db()
    # Line breaks kept (as \n), blanks around dropped, empty texts not kept.
    assert heating.email_texts == {"submitted": "Délai : deux mois.\nMerci."}
    page = admin_client.get(PAGE)
    assert "Les textes des courriels sont enregistrés." in page_text(page)
    assert "Délai : deux mois.\nMerci.</textarea>" in page_text(page)


# --- Validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bonjour {usager}", "Variable inconnue : {usager}. " + ALLOWED),
        ("{numero.__class__}", "Variable inconnue : {numero.__class__}. " + ALLOWED),
        ("{numero!r} {0} {}", "Variable inconnue : {numero!r}, {0}, {}. " + ALLOWED),
        ("Demande {numero", "Une accolade n'est pas fermée ou pas ouverte."),
        ("Demande numero}", "Une accolade n'est pas fermée ou pas ouverte."),
        ("{{numero}}", "Une accolade n'est pas fermée ou pas ouverte."),
        ("x" * 2001, "Le texte fait 2001 caractères : 2000 au plus."),
        ("Texte\x1b[31m", "Le texte contient un caractère invisible non autorisé."),
    ],
)
def test_a_wrong_text_is_refused_with_a_clear_message(admin_client, heating, text, expected):
    response = _save(admin_client, submitted=text, message="Un texte correct pour {demarche}.")
    assert response.status_code == 400
    errors = _field_errors(response)
    assert list(errors) == ["submitted"]
    assert any(expected in error for error in errors["submitted"]), errors
    # The error summary names the email.
    assert "Texte ajouté au courriel « Demande enregistrée » : " in page_text(response)
    # What was typed is still there; nothing is saved.
    assert response.context["form"]["message"].value() == "Un texte correct pour {demarche}."
    heating.refresh_from_db()
    assert heating.email_texts == {}
    assert not ProcedureChange.objects.exists()


def test_a_text_of_exactly_the_maximum_length_is_accepted(admin_client, heating):
    assert _save(admin_client, message="x" * email_texts.MAX_LENGTH).status_code == 302


def test_django_admin_and_imports_go_through_the_same_rules(heating):
    heating.email_texts = {"submitted": "{numero.__class__}", "inconnu": "x", "message": 3}
    with pytest.raises(ValidationError) as caught:
        heating.full_clean()
    problems = caught.value.message_dict["email_texts"]
    unknown = "Demande enregistrée : Variable inconnue : {numero.__class__}"
    assert any(unknown in p for p in problems)
    assert any("« inconnu » n'est pas un courriel connu" in p for p in problems)
    assert any("Nouveau message : Le texte doit être une chaîne" in p for p in problems)


def test_substitution_reads_no_attribute():
    values = {"numero": "K7QX-M3PA-9Z", "demarche": "Aide"}
    assert email_texts.substitute("{numero} {numero.__class__} {demarche}", values) == (
        "K7QX-M3PA-9Z {numero.__class__} Aide"
    )


# --- Preview -------------------------------------------------------------------------------


def test_the_preview_shows_subject_html_and_text_without_saving_or_sending(
    admin_client, heating, mailoutbox
):
    counts = (Case.objects.count(), CaseEvent.objects.count(), Notification.objects.count())
    text = 'Prévoyez votre RIB <b onclick="x()">original</b>.\nDélai : 2 mois ({demarche}).'
    response = _preview(admin_client, "submitted", submitted=text)
    assert response.status_code == 200
    preview = next(e["preview"] for e in response.context["events"] if e["key"] == "submitted")
    number = "K7QX-M3PA-9" + selectors.SAMPLE_NUMBER[-1]
    assert preview["subject"] == f"Votre demande {number} est bien enregistrée"
    # The standard text, then the démarche's, variables replaced, HTML escaped.
    assert f"enregistrée sous le numéro <strong>{number}</strong>" in preview["html"]
    assert (
        "<p>Prévoyez votre RIB &lt;b onclick=&quot;x()&quot;&gt;original&lt;/b&gt;.<br>"
        f"Délai : 2 mois ({heating.title}).</p>" in preview["html"]
    )
    assert "<b onclick" not in preview["html"]
    assert "/suivre/lien/exemple/" in preview["html"]
    assert "N'y répondez pas" in preview["html"]
    assert (
        f'Prévoyez votre RIB <b onclick="x()">original</b>.\nDélai : 2 mois ({heating.title}).'
        in preview["text"]
    )
    # On the page: the subject, the HTML in a sandboxed frame and as code, the text.
    page = response.content.decode()
    assert 'id="apercu-submitted"' in page
    assert 'formaction="#apercu-submitted"' in page
    assert '<iframe class="guichet-email-preview" sandbox=""' in page
    assert f'srcdoc="{escape(preview["html"])}"' in page
    assert f"data-preview-html>{escape(preview['html'])}</pre>" in page
    assert f"data-preview-text>{escape(preview['text'])}</pre>" in page
    assert "<b onclick" not in page  # rendered emails are marked safe: escaped again here
    assert page.count("data-preview ") + page.count("data-preview>") == 1  # only this email
    # Nothing saved, created or sent.
    heating.refresh_from_db()
    assert heating.email_texts == {}
    assert (Case.objects.count(), CaseEvent.objects.count(), Notification.objects.count()) == (
        counts
    )
    assert not ProcedureChange.objects.exists()
    assert mailoutbox == []


def test_a_decision_preview_has_its_outcome_and_the_standard_email_without_a_text(
    admin_client, heating
):
    response = _preview(admin_client, "decision_refused")
    preview = response.context["events"][list(email_texts.EVENTS).index("decision_refused")][
        "preview"
    ]
    assert preview["subject"].endswith("est refusée")
    assert "Une décision a été prise sur votre demande" in preview["text"]
    assert ": Refusée." in preview["text"]


def test_a_wrong_text_is_not_previewed(admin_client, heating):
    response = _preview(admin_client, "submitted", submitted="{numero.__class__}")
    assert response.status_code == 400
    assert "data-preview" not in response.content.decode()
    assert "Variable inconnue" in page_text(response)


# --- The real emails -----------------------------------------------------------------------


def test_the_real_email_carries_the_demarches_text_escaped(
    admin_client, applicant_client, demo_procedures, mailoutbox
):
    text = "<script>alert(1)</script>\nVotre dossier {numero} ({demarche}) sera étudié."
    assert _save(admin_client, MOVE_PAGE, submitted=text).status_code == 302
    preview = _preview(admin_client, "submitted", MOVE_PAGE, submitted=text).context["events"][0][
        "preview"
    ]
    mailoutbox.clear()

    case = file_demande(
        applicant_client,
        "changement-adresse",
        {**MOVE_ANSWERS, "justificatif_domicile__later": "on"},
    )
    receipt = mailoutbox[0]
    number, title = case.display_number, demo_procedures["changement-adresse"].title
    assert receipt.subject == f"Votre demande {number} est bien enregistrée"
    assert f"<script>alert(1)</script>\nVotre dossier {number} ({title}) sera étudié." in (
        receipt.body
    )
    body_html = receipt.alternatives[0][0]
    assert "<script>" not in body_html
    assert (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;<br>"
        f"Votre dossier {number} ({escape(title)}) sera étudié.</p>" in body_html
    )
    # The mandatory parts are still there.
    assert "/suivre/lien/" in body_html
    assert "N'y répondez pas" in receipt.body
    # The preview was this very email, but for the number and the link.
    link = next(line for line in receipt.body.splitlines() if "/suivre/lien/" in line)
    sample_link = next(line for line in preview["text"].splitlines() if "/suivre/lien/" in line)
    sample_number = preview["subject"].split()[2]
    assert preview["text"].replace(sample_number, number).replace(sample_link, link) == (
        receipt.body
    )
    # The next email (the automatic request for the deferred document) has no text of its own.
    assert "Votre dossier" not in mailoutbox[1].body


# --- History and export/import ---------------------------------------------------------


def test_history_names_the_emails_that_changed(admin_client, heating, demarche_admin):
    _save(admin_client, submitted="Un", message="Deux")
    _save(admin_client, submitted="Un bis", reminder="Trois")
    _save(admin_client, submitted="Un bis", reminder="Trois")  # no change: not recorded
    changes = list(ProcedureChange.objects.filter(procedure=heating).order_by("at", "id"))
    assert [c.action for c in changes] == ["emails_changed", "emails_changed"]
    assert changes[1].details == {
        "submitted": ["Un", "Un bis"],
        "message": ["Deux", ""],
        "reminder": ["", "Trois"],
    }
    assert changes[1].actor == demarche_admin
    text = page_text(admin_client.get(f"{BASE}historique/"))
    assert "Textes des courriels modifiés" in text
    assert "Courriel « Demande enregistrée » : texte modifié" in text
    assert "Courriel « Nouveau message » : texte retiré" in text
    assert "Courriel « Relance » : texte ajouté" in text


def test_export_import_and_clone_carry_the_texts(admin_client, heating, demarche_admin):
    texts = {"submitted": "Délai : {date}.", "decision_refused": "Recours : {service}."}
    services.procedure_update_email_texts(procedure=heating, user=demarche_admin, texts=texts)
    heating.refresh_from_db()
    exported = admin_client.get(f"{BASE}export.json").content
    assert json.loads(exported)["email_texts"] == texts
    upload = SimpleUploadedFile("d.json", exported, content_type="application/json")
    response = admin_client.post(
        "/administration/importer/",
        {"file": upload, "title": "Importée", "slug": "importee", "service": heating.service_id},
    )
    assert response.status_code == 302
    assert Procedure.objects.get(slug="importee").email_texts == texts
    copy = services.procedure_clone(
        source=heating, title="Copie", slug="copie", user=demarche_admin
    )
    assert copy.email_texts == texts


def test_an_export_file_without_texts_still_imports(heating):
    data = services.procedure_export(heating)
    del data["email_texts"]
    values, errors = services.import_parse(json.dumps(data).encode())
    assert errors == []
    assert values["email_texts"] == {}


def test_an_import_refuses_wrong_texts_with_the_same_rules(admin_client, heating):
    data = services.procedure_export(heating)
    data["email_texts"] = {"submitted": "Bonjour {usager}", "autre": "x"}
    values, errors = services.import_parse(json.dumps(data).encode())
    assert values is None
    assert any(
        e.startswith("Textes des courriels : Demande enregistrée : Variable inconnue : {usager}.")
        and ALLOWED in e
        for e in errors
    ), errors
    assert any("« autre » n'est pas un courriel connu" in e for e in errors)
    data["email_texts"] = ["pas", "un", "objet"]
    _values, errors = services.import_parse(json.dumps(data).encode())
    assert "Textes des courriels : type de valeur invalide." in errors


@pytest.mark.services("java")
def test_the_page_with_errors_and_a_preview_is_valid_html(admin_client, heating):
    from tests.support.html_check import vnu_errors

    pages = {
        "preview": _preview(admin_client, "retention_notice", retention_notice="<a>\n\nx {date}"),
        "errors": _save(admin_client, submitted="{oups", message="x" * 3000),
    }
    assert {n: r.status_code for n, r in pages.items()} == {"preview": 200, "errors": 400}
    assert vnu_errors({n: r.content.decode() for n, r in pages.items()}) == {n: [] for n in pages}
