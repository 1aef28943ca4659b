"""Demo démarche pages and legal pages."""

CONTACT = {
    "type": "contact",
    "value": {
        "title": "Une question sur cette démarche ?",
        "text": "<p>Le service vous répond du lundi au vendredi.</p>",
        "email": "aides@guichet.test",
        "phone": "01 23 45 67 89",
        "hours": "Du lundi au vendredi, de 9 h à 12 h et de 14 h à 17 h",
        "address": "",
    },
}

DEMARCHE_INDEX = {
    "slug": "demarches",
    "title": "Les démarches en ligne",
    "intro": "<p>Choisissez votre démarche pour savoir qui peut la faire, les documents à "
    "préparer et les délais.</p>",
}

# slug, title, fields
DEMARCHES = [
    (
        "aide-chauffage",
        "Aide départementale au chauffage",
        {
            "intro": "Une aide pour payer vos factures de chauffage cet hiver, versée en une "
            "seule fois sur votre compte bancaire.",
            "who_can_apply": "<p>Vous pouvez faire la demande si :</p><ul><li>vous habitez "
            "dans le département ;</li><li>les revenus de votre foyer ne dépassent pas le "
            "plafond indiqué sur votre avis d'imposition ;</li><li>vous payez vous-même "
            "votre chauffage.</li></ul>",
            "documents": "<ul><li>votre dernier avis d'imposition ;</li><li>un justificatif "
            "de domicile de moins de 3 mois ;</li><li>une facture d'énergie récente "
            "(électricité, gaz, fioul ou bois) ;</li><li>un relevé d'identité bancaire "
            "(RIB) à votre nom.</li></ul>",
            "delays": "<p>Le service vous répond dans un délai de 2 mois. Si l'aide est "
            "accordée, elle est versée dans les 15 jours qui suivent la décision.</p>",
        },
    ),
    (
        "changement-adresse",
        "Signaler un changement d'adresse",
        {
            "intro": "Vous déménagez ? Signalez votre nouvelle adresse pour continuer à "
            "recevoir vos courriers et vos aides.",
            "who_can_apply": "<p>Toute personne qui a déjà un dossier auprès du service et "
            "qui change d'adresse, dans le département ou ailleurs.</p>",
            "documents": "<ul><li>un justificatif de votre nouvelle adresse : facture, "
            "bail ou attestation d'hébergement.</li></ul>",
            "delays": "<p>Votre nouvelle adresse est prise en compte sous 10 jours. Vous "
            "recevez une confirmation par courriel.</p>",
        },
    ),
    (
        "declaration-activite",
        "Déclaration d'activité professionnelle",
        {
            "intro": "Déclarez le début, la modification ou la fin de votre activité "
            "professionnelle auprès du service.",
            "who_can_apply": "<p>Les travailleurs indépendants et les organisations "
            "(associations, entreprises) installés dans le département. Cette démarche "
            "demande un compte.</p>",
            "documents": "<ul><li>votre numéro SIRET ;</li><li>un extrait d'immatriculation "
            "de moins de 3 mois ;</li><li>une pièce d'identité du responsable.</li></ul>",
            "delays": "<p>Vous recevez un accusé de réception immédiatement, puis une "
            "réponse sous 1 mois.</p>",
        },
    ),
]


def _h(text: str) -> dict:
    return {"type": "heading", "value": text}


def _p(html: str) -> dict:
    return {"type": "paragraph", "value": html}


LEGAL_PAGES = [
    (
        "mentions-legales",
        "Mentions légales",
        "",
        [
            _h("Éditeur du site"),
            _p(
                "<p>Ce portail est édité par le service public qui l'exploite. Le nom et "
                "l'adresse de cet exploitant figurent en bas de chaque page.</p>"
            ),
            _h("Directeur de la publication"),
            _p("<p>Le directeur ou la directrice du service exploitant.</p>"),
            _h("Hébergement"),
            _p(
                "<p>Le portail est hébergé en France, chez un hébergeur choisi par "
                "l'exploitant, dans le respect du règlement général sur la protection des "
                "données.</p>"
            ),
            _h("Logiciel"),
            _p(
                "<p>Guichet est un logiciel libre, publié sous licence AGPL-3.0 ou "
                "ultérieure. Son code source est disponible pour tous.</p>"
            ),
        ],
    ),
    (
        "donnees-personnelles",
        "Données personnelles",
        "Nous traitons vos données uniquement pour instruire vos démarches.",
        [
            _h("Responsable du traitement"),
            _p(
                "<p>Le service exploitant le portail est responsable du traitement de vos "
                "données.</p>"
            ),
            _h("Données collectées"),
            _p(
                "<p>Votre identité, vos coordonnées, les informations et les documents que "
                "vous fournissez dans vos demandes, et un journal des connexions pour "
                "protéger votre compte.</p>"
            ),
            _h("Durée de conservation"),
            _p(
                "<p>Les données de votre compte sont conservées tant qu'il existe. Chaque "
                "démarche fixe la durée de conservation de ses demandes. Après la "
                "suppression d'un compte, l'adresse électronique est gardée sous une forme "
                "illisible pendant un an.</p>"
            ),
            _h("Vos droits"),
            _p(
                "<p>Vous pouvez accéder à vos données, les corriger, les supprimer, vous "
                "opposer à leur traitement ou en demander la limitation. Écrivez au délégué "
                "à la protection des données : dpo@guichet.test. Si vous estimez que vos "
                "droits ne sont pas respectés, vous pouvez saisir la CNIL.</p>"
            ),
            _h("Cookies"),
            _p(
                "<p>Le portail n'utilise que des cookies nécessaires à son fonctionnement "
                "(session et sécurité). Aucun cookie de mesure d'audience ou de publicité "
                "n'est déposé.</p>"
            ),
        ],
    ),
    (
        "aide",
        "Vous rencontrez une difficulté ?",
        "Trouvez une réponse rapide, ou contactez-nous.",
        [
            _p(
                '<p>Beaucoup de réponses se trouvent dans les <a href="/guides/">guides '
                'pas à pas</a> et dans les <a href="/faq/">questions fréquentes</a>. Vous '
                "pouvez aussi utiliser la recherche, en haut de chaque page.</p>"
            ),
            {
                "type": "callout",
                "value": {
                    "kind": "tip",
                    "title": "Avant de nous écrire",
                    "text": "<p>Notez votre numéro de demande si vous en avez un : nous "
                    "vous répondrons plus vite.</p>",
                },
            },
            {
                "type": "contact",
                "value": {
                    "title": "Nous contacter",
                    "text": "<p>Une personne du service vous répond sous 2 jours ouvrés.</p>",
                    "email": "support@guichet.test",
                    "phone": "01 23 45 67 00",
                    "hours": "Du lundi au vendredi, de 9 h à 17 h",
                    "address": "Service Guichet\n1 place de la Mairie\n00000 Exemple",
                },
            },
        ],
    ),
]
