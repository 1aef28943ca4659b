"""Demo FAQ: questions grouped by theme."""


def q(question: str, answer: str, anchor: str = "") -> dict:
    return {"type": "question", "value": {"question": question, "answer": answer, "anchor": anchor}}


FAQ_INDEX = {
    "slug": "faq",
    "title": "Questions fréquentes",
    "intro": "<p>Les réponses aux questions que l'on nous pose le plus souvent. Choisissez "
    "une question pour afficher sa réponse.</p>",
}

# slug, title, intro, questions
THEMES = [
    (
        "compte",
        "Votre compte",
        "Créer votre compte, vous connecter, le protéger.",
        [
            q(
                "Dois-je créer un compte pour faire une démarche ?",
                "<p>Pas toujours. Certaines démarches peuvent se faire sans compte : vous "
                "confirmez alors votre adresse électronique avec un code. Avec un compte, "
                "vous retrouvez toutes vos demandes et vos documents au même endroit.</p>",
                "compte-obligatoire",
            ),
            q(
                "Je n'ai pas reçu le courriel d'activation. Que faire ?",
                "<p>Regardez dans vos courriers indésirables. Le lien est valable 7 jours. "
                "Vous pouvez en demander un nouveau pendant 30 jours depuis la page de "
                "connexion.</p>",
                "courriel-activation",
            ),
            q(
                "Je ne reçois pas le code à 6 chiffres.",
                "<p>Attendez une minute, puis choisissez <b>Renvoyer le code</b>. Vérifiez "
                "le numéro de mobile ou l'adresse indiqués dans votre compte. Seul le "
                "dernier code envoyé est valable, pendant 10 minutes.</p>",
                "code-non-recu",
            ),
            q(
                "Puis-je me connecter sans téléphone mobile ?",
                "<p>Oui. Cochez « Je n'ai pas de mobile » : vos codes vous seront envoyés "
                "par courriel. Vous pouvez aussi utiliser une application "
                "d'authentification sur une tablette.</p>",
                "sans-mobile",
            ),
            q(
                "Comment changer mon mot de passe ?",
                "<p>Dans <b>Connexion et sécurité</b>, choisissez <b>Changer le mot de "
                "passe</b>. Vous devez saisir l'ancien. Vos autres sessions sont alors "
                "fermées.</p>",
                "changer-mot-de-passe",
            ),
            q(
                "Comment supprimer mon compte ?",
                "<p>Dans votre compte, choisissez <b>Supprimer mon compte</b>. Nous vous "
                "proposons d'abord de télécharger tous vos documents. Les demandes déjà "
                "envoyées restent au service, qui les conserve pendant la durée prévue.</p>",
                "supprimer-compte",
            ),
        ],
    ),
    (
        "demandes",
        "Vos demandes",
        "Déposer une demande, la suivre, répondre au service.",
        [
            q(
                "Où trouver mon numéro de demande ?",
                "<p>Dans le courriel de confirmation et sur le récépissé envoyés après "
                "l'envoi de votre demande. Avec un compte, il figure aussi dans <b>Mes "
                "démarches</b>.</p>",
                "numero-demande",
            ),
            q(
                "Puis-je modifier ma demande après l'avoir envoyée ?",
                "<p>Non, mais vous pouvez écrire au service si celui-ci a ouvert une "
                "discussion. Avant l'envoi, votre brouillon reste modifiable.</p>",
                "modifier-demande",
            ),
            q(
                "Combien de temps mon brouillon est-il gardé ?",
                "<p>Trois mois après votre dernière modification. Nous vous prévenons par "
                "courriel deux semaines avant sa suppression.</p>",
                "duree-brouillon",
            ),
            q(
                "Que veut dire « En attente de votre réponse » ?",
                "<p>Le service vous a posé une question ou demandé un document. Ouvrez "
                "l'onglet <b>Discussion</b> de votre demande pour lui répondre. "
                "L'instruction reprend dès votre réponse.</p>",
                "attente-reponse",
            ),
            q(
                "Comment suis-je informé de la décision ?",
                "<p>Vous recevez un courriel à chaque étape : réception, début de "
                "l'instruction, nouveau message et décision. Le courrier de décision est "
                "disponible dans votre demande.</p>",
                "decision",
            ),
        ],
    ),
    (
        "documents",
        "Documents et justificatifs",
        "Les formats acceptés, les tailles, le porte-documents.",
        [
            q(
                "Quels formats de fichier sont acceptés ?",
                "<p>Les fichiers PDF, PNG et JPEG. Les autres formats, comme les documents "
                "de traitement de texte, sont refusés : enregistrez-les en PDF.</p>",
                "formats",
            ),
            q(
                "Quelle taille maximale pour un justificatif ?",
                "<p>5 Mo par fichier joint à une demande ou à un message. Dans le "
                "porte-documents, 4 Mo par fichier et 235 Mo pour tout votre espace.</p>",
                "taille-maximale",
            ),
            q(
                "Pourquoi mon fichier a-t-il été refusé ?",
                "<p>Nous vérifions le contenu de chaque fichier, pas seulement son nom. Un "
                "fichier est refusé s'il est trop lourd, abîmé, protégé par un mot de passe "
                "ou si son contenu ne correspond pas à son extension. La raison s'affiche à "
                "côté du fichier.</p>",
                "fichier-refuse",
            ),
            q(
                "Comment photographier un justificatif lisible ?",
                "<p>Posez le document à plat, dans un endroit bien éclairé, sans reflet. "
                "Cadrez tout le document. Vérifiez que le texte se lit avant d'envoyer la "
                "photo.</p>",
                "photo-lisible",
            ),
            q(
                "Mes documents expirent-ils ?",
                "<p>Si vous avez indiqué une date de fin de validité, nous vous prévenons "
                "par courriel avant cette date pour que vous puissiez le remplacer.</p>",
                "expiration",
            ),
        ],
    ),
    (
        "donnees-personnelles",
        "Vos données personnelles",
        "Ce que nous faisons de vos informations et vos droits.",
        [
            q(
                "Qui peut voir mes documents ?",
                "<p>Vous seul, ou les membres de votre organisation dans un espace "
                "d'organisation. Les agents du service ne voient que les documents que vous "
                "joignez à une demande.</p>",
                "qui-voit-mes-documents",
            ),
            q(
                "Combien de temps mes données sont-elles conservées ?",
                "<p>Vos données de compte sont gardées tant que votre compte existe. Les "
                "demandes sont conservées par le service pendant la durée fixée pour chaque "
                "démarche, puis supprimées.</p>",
                "duree-conservation",
            ),
            q(
                "Comment exercer mes droits sur mes données ?",
                "<p>Vous pouvez consulter, corriger ou supprimer vos informations depuis "
                "votre compte. Pour toute autre demande, écrivez au délégué à la protection "
                "des données : l'adresse figure sur la page Données personnelles.</p>",
                "exercer-mes-droits",
            ),
            q(
                "Mes données sont-elles utilisées à des fins commerciales ?",
                "<p>Non. Vos données servent uniquement à traiter vos démarches et à vous "
                "informer de leur avancement. Elles ne sont ni vendues ni cédées.</p>",
                "usage-commercial",
            ),
        ],
    ),
]
