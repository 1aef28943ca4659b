"""Demo services and procedures (idempotent)."""

from django.contrib.auth import get_user_model

from .models import Procedure, Service
from .services import procedure_publish_version

SERVICES = {
    "action-sociale": "Direction de l'action sociale",
    "developpement-economique": "Service du développement économique",
}

PROCEDURES = [
    {
        "slug": "aide-chauffage",
        "title": "Aide départementale au chauffage",
        "decision_letter": (
            "Madame, Monsieur,\n\nVous avez demandé l'aide départementale au chauffage "
            "(demande {numero}).\n\nDécision du {date} : {decision}.\nMotif : {motif}\n\n"
            "Si vous n'êtes pas d'accord, vous pouvez écrire au service dans les deux mois "
            "depuis la messagerie de votre demande.\n\n{service}"
        ),
        "service": "action-sociale",
        "account_required": True,
        "description": (
            "Une aide pour payer vos factures de chauffage de l'hiver, si les revenus de votre "
            "foyer sont modestes. Préparez votre pièce d'identité et votre dernier avis "
            "d'impôt. Réponse sous deux mois."
        ),
        "definition": [
            {
                "name": "civilite",
                "type": "choice",
                "label": "Civilité",
                "required": True,
                "choices": ["Madame", "Monsieur"],
            },
            {"name": "prenom", "type": "text", "label": "Prénom", "required": True},
            {"name": "nom", "type": "text", "label": "Nom", "required": True},
            {
                "name": "date_naissance",
                "type": "date",
                "label": "Date de naissance",
                "required": True,
            },
            {
                "name": "adresse",
                "type": "address",
                "label": "Adresse du logement",
                "required": True,
            },
            {
                "name": "telephone",
                "type": "phone",
                "label": "Téléphone",
                "help_text": "Pour vous joindre si une information manque.",
            },
            {
                "name": "situation",
                "type": "choice",
                "label": "Situation familiale",
                "required": True,
                "choices": [
                    "Seul ou seule",
                    "En couple",
                    "Seul ou seule avec enfants",
                    "En couple avec enfants",
                ],
            },
            {
                "name": "personnes_foyer",
                "type": "integer",
                "label": "Nombre de personnes au foyer",
                "required": True,
            },
            {
                "name": "revenus",
                "type": "number",
                "label": "Revenu fiscal de référence (en euros)",
                "required": True,
                "help_text": "Il figure en première page de votre avis d'impôt.",
            },
            {
                "name": "chauffage",
                "type": "choice",
                "label": "Mode de chauffage",
                "required": True,
                "choices": ["Électricité", "Gaz", "Fioul", "Bois", "Autre"],
            },
            {
                "name": "iban",
                "type": "iban",
                "label": "IBAN du compte qui recevra l'aide",
                "required": True,
            },
            {
                "name": "piece_identite",
                "type": "file",
                "label": "Pièce d'identité",
                "required": True,
                "document_types": ["identity"],
                "max_files": 2,
                "help_text": "Carte d'identité recto verso, passeport ou titre de séjour.",
            },
            {
                "name": "avis_imposition",
                "type": "file",
                "label": "Dernier avis d'impôt",
                "required": True,
                "document_types": ["tax_notice"],
                "allow_later": True,
            },
            {
                "name": "facture_energie",
                "type": "file",
                "label": "Facture d'énergie récente",
                "document_types": ["other"],
                "max_files": 3,
            },
        ],
    },
    {
        "slug": "changement-adresse",
        "title": "Signaler un changement d'adresse",
        "service": "action-sociale",
        "account_required": True,
        "description": (
            "Vous avez déménagé ? Signalez votre nouvelle adresse pour continuer à recevoir "
            "vos aides et nos courriers. Préparez un justificatif de domicile récent."
        ),
        "definition": [
            {
                "name": "ancienne_adresse",
                "type": "address",
                "label": "Ancienne adresse",
                "required": True,
            },
            {
                "name": "nouvelle_adresse",
                "type": "address",
                "label": "Nouvelle adresse",
                "required": True,
            },
            {
                "name": "date_demenagement",
                "type": "date",
                "label": "Date du déménagement",
                "required": True,
            },
            {
                "name": "justificatif_domicile",
                "type": "file",
                "label": "Justificatif de domicile",
                "required": True,
                "document_types": ["address"],
                "allow_later": True,
                "help_text": "Facture ou quittance de loyer de moins de 3 mois.",
            },
        ],
    },
    {
        "slug": "declaration-activite",
        "title": "Déclaration d'activité professionnelle",
        "service": "developpement-economique",
        "account_required": False,
        "description": (
            "Déclarez le début d'une activité professionnelle sur le territoire. Possible sans "
            "compte : nous vérifions votre adresse électronique avec un code."
        ),
        "definition": [
            {
                "name": "raison_sociale",
                "type": "text",
                "label": "Nom de l'entreprise",
                "required": True,
            },
            {"name": "siret", "type": "siret", "label": "Numéro SIRET", "required": True},
            {
                "name": "email",
                "type": "email",
                "label": "Adresse électronique de contact",
                "required": True,
            },
            {
                "name": "activite",
                "type": "long_text",
                "label": "Activité exercée",
                "required": True,
            },
            {
                "name": "debut_activite",
                "type": "date",
                "label": "Date de début d'activité",
                "required": True,
            },
            {
                "name": "salaries",
                "type": "yes_no",
                "label": "Avez-vous des salariés ?",
                "required": True,
            },
            {
                "name": "kbis",
                "type": "file",
                "label": "Extrait Kbis ou avis de situation Insee",
                "required": True,
                "document_types": ["certificate"],
            },
        ],
    },
]


def seed(stdout) -> None:
    services = {}
    for slug, name in SERVICES.items():
        services[slug], _ = Service.objects.get_or_create(slug=slug, defaults={"name": name})
    instructor = get_user_model().objects.filter(email__iexact="instructeur@guichet.test").first()
    if instructor is not None:
        services["action-sociale"].instructors.add(instructor)
    for item in PROCEDURES:
        procedure, _ = Procedure.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "title": item["title"],
                "service": services[item["service"]],
                "account_required": item["account_required"],
                "description": item["description"],
                "definition": item["definition"],
                "decision_letter": item.get("decision_letter", ""),
            },
        )
        procedure_publish_version(procedure=procedure)
        stdout.write(f"Procedure: /demarches/{procedure.slug}/commencer/")
