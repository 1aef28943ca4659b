"""Demo instruction data (idempotent): three instructors and about thirty demandes spread
over every state and task, with discussions and files. Runs after identity and cases."""

import dataclasses
from io import BytesIO

import pikepdf
from django.core.files.base import ContentFile
from PIL import Image

from cases import services as case_services
from cases.models import Case, CaseEvent, Procedure, Service
from identity.demo import DEMO_PASSWORD, demo_email_verified, demo_totp_secret
from identity.models import User
from identity.selectors import space_personal_for
from locker.inspection import inspect_upload

from . import selectors, services

INSTRUCTORS = [
    ("instructeur@guichet.test", "Inès", "Instructrice", "action-sociale"),
    ("instructeur2@guichet.test", "Paul", "Lemoine", "action-sociale"),
    ("instructeur.eco@guichet.test", "Sofia", "Garnier", "developpement-economique"),
]
AID = {
    "civilite": "Madame",
    "prenom": "Ulysse",
    "nom": "Usager",
    "date_naissance": "1980-02-03",
    "adresse": {"street": "4 place de la Mairie", "postcode": "35000", "city": "Rennes"},
    "situation": "En couple avec enfants",
    "personnes_foyer": 4,
    "revenus": 21400,
    "chauffage": "Fioul",
    "iban": "FR7630006000011234567890189",
}
MOVE = {
    "ancienne_adresse": {"street": "4 place de la Mairie", "postcode": "35000", "city": "Rennes"},
    "nouvelle_adresse": {"street": "9 rue du Port", "postcode": "56100", "city": "Lorient"},
    "date_demenagement": "2026-09-15",
}
ACTIVITY = {
    "raison_sociale": "Atelier Vélo Breizh",
    "siret": "73282932000074",
    "email": "contact@velo-breizh.example",
    "activite": "Réparation et vente de vélos",
    "debut_activite": "2026-10-01",
    "salaries": False,
}
# (procedure, deferred document?, what happens next) — about thirty demandes.
SCENARIOS = (
    [("aide-chauffage", True, "missing")] * 3
    + [("changement-adresse", True, "missing")]
    + [("aide-chauffage", False, "to_check")] * 5
    + [("changement-adresse", False, "taken")] * 3
    + [("aide-chauffage", False, "taken")]
    + [("aide-chauffage", False, "asked")] * 3
    + [("aide-chauffage", False, "replied")] * 2
    + [("aide-chauffage", False, "to_decide")] * 2
    + [("aide-chauffage", False, "accepted")] * 3
    + [("changement-adresse", False, "refused")] * 2
    + [("aide-chauffage", False, "closed")]
    + [("aide-chauffage", False, "reopened")]
    + [("declaration-activite", False, "to_check")] * 2
    + [("declaration-activite", False, "asked")]
)


def _pdf() -> bytes:
    pdf, buffer = pikepdf.new(), BytesIO()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.save(buffer)
    return buffer.getvalue()


def _png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (64, 48), (0, 0, 145)).save(buffer, format="PNG")
    return buffer.getvalue()


def _instructors(stdout):
    users = []
    for email, first, last, slug in INSTRUCTORS:
        user = User.objects.filter(email__iexact=email).first() or User.objects.create_user(
            email, DEMO_PASSWORD, first_name=first, last_name=last
        )
        Service.objects.get(slug=slug).instructors.add(user)
        demo_email_verified(user)
        users.append(user)
        # Instructors log in with an authenticator app (PRODUCT §2.3).
        stdout.write(
            f"  instructeur {email:<28} {DEMO_PASSWORD}"
            f"  (application TOTP, secret : {demo_totp_secret(user)})"
        )
    return users


def _file(procedure, answers, *, applicant, defer, files) -> Case:
    space = space_personal_for(user=applicant) if applicant else None
    case = Case.objects.create(
        procedure=procedure,
        version=procedure.current_version,
        space=space,
        created_by=applicant,
        applicant_email=applicant.email if applicant else ACTIVITY["email"],
        email_verified=True,
        answers=dict(answers),
    )
    for spec in case.version.fields:
        if not spec.is_file or not spec.required:
            continue
        if defer and spec.allow_later:
            case.answers[f"{spec.name}__later"] = True
            continue
        case_services.case_file_store(
            case,
            dataclasses.replace(files["pdf"], stored_name=f"{spec.name}.pdf"),
            role=CaseEvent.Role.APPLICANT,
            field_name=spec.name,
        )
    case.save(update_fields=["answers"])
    case = case_services.case_submit(case=case, actor=applicant)
    from .flows import InstructionFlow

    InstructionFlow.start.run(case=case)  # the signal comes after commit; it is a no-op then
    return Case.objects.get(pk=case.pk)


def _play(case, outcome, instructor, colleague, files):
    def task():
        return selectors.open_task(case)

    if outcome in ("missing", "to_check"):
        return
    services.task_take(task=task(), user=instructor)
    if outcome == "taken":
        return
    if outcome in ("asked", "replied"):
        services.task_request_information(
            task=task(),
            user=instructor,
            body="Bonjour, votre avis d'impôt est illisible. Pouvez-vous le renvoyer ?",
            results=[dataclasses.replace(files["pdf"], stored_name="modele-attestation.pdf")],
        )
        if outcome == "replied":
            case_services.message_post(
                case=Case.objects.get(pk=case.pk),
                author=case.created_by,
                role=CaseEvent.Role.APPLICANT,
                body="Voici une copie lisible.",
                results=[dataclasses.replace(files["png"], stored_name="avis-photo.png")],
            )
        return
    services.task_check_complete(task=task(), user=instructor)
    if outcome == "to_decide":
        return
    decision = {"accepted": "accepted", "refused": "refused"}.get(outcome, "closed")
    reasons = {"refused": "Le justificatif date de plus de 3 mois.", "accepted": ""}
    reason = reasons.get(outcome, "Demande en double.")
    services.task_decide(task=task(), user=instructor, decision=decision, reason=reason)
    if outcome == "reopened":
        services.instruction_reopen(case=Case.objects.get(pk=case.pk), user=colleague)


def seed(stdout) -> None:
    inès, paul, sofia = _instructors(stdout)
    applicant = User.objects.filter(email__iexact="usager@guichet.test").first()
    if applicant is None or Case.objects.filter(instruction_processes__isnull=False).exists():
        return
    files = {
        "pdf": inspect_upload(ContentFile(_pdf()), name="document.pdf", context="demande"),
        "png": inspect_upload(ContentFile(_png()), name="photo.png", context="demande"),
    }
    procedures = {p.slug: p for p in Procedure.objects.all()}
    answers = {"aide-chauffage": AID, "changement-adresse": MOVE, "declaration-activite": ACTIVITY}
    for index, (slug, defer, outcome) in enumerate(SCENARIOS):
        eco = slug == "declaration-activite"
        case = _file(
            procedures[slug],
            answers[slug],
            applicant=None if eco else applicant,
            defer=defer,
            files=files,
        )
        instructor, colleague = (
            (sofia, sofia) if eco else ((inès, paul) if index % 3 else (paul, inès))
        )
        _play(case, outcome, instructor, colleague, files)
    stdout.write(f"Instruction: {len(SCENARIOS)} demandes, /instruction/")
