"""Demo guides, written for this portal. Rich text is stored as HTML."""


def step(title: str, html: str) -> dict:
    return {
        "type": "step",
        "value": {
            "title": title,
            "text": html,
            "illustration": {"image": None, "alt": "", "caption": ""},
        },
    }


def tip(html: str, title: str = "") -> dict:
    return {"type": "callout", "value": {"kind": "tip", "title": title, "text": html}}


def warning(html: str, title: str = "") -> dict:
    return {"type": "callout", "value": {"kind": "warning", "title": title, "text": html}}


GUIDE_INDEX = {
    "slug": "guides",
    "title": "Guides pas à pas",
    "intro": "<p>Chaque guide vous accompagne étape par étape, de la création de votre "
    "compte au suivi de votre demande.</p>",
}

# slug, title, intro, body, related guide slugs
GUIDES = [
    (
        "creer-un-compte",
        "Créer et activer votre compte",
        "Un compte vous permet de suivre toutes vos demandes au même endroit et de garder "
        "vos documents. La création prend environ cinq minutes.",
        [
            step(
                "Ouvrez le formulaire d'inscription",
                "<p>En haut de la page d'accueil, choisissez <b>Se connecter</b>, puis "
                "<b>Créer un compte</b>.</p>",
            ),
            step(
                "Indiquez votre adresse électronique",
                "<p>Saisissez votre adresse électronique deux fois. Elle sera votre "
                "identifiant : choisissez une adresse que vous consultez souvent.</p>",
            ),
            step(
                "Choisissez votre mot de passe",
                "<p>Votre mot de passe doit compter au moins 12 caractères, avec une "
                "minuscule, une majuscule, un chiffre et un caractère spécial. Une jauge "
                "vous indique s'il est assez solide.</p>",
            ),
            tip(
                "<p>Une phrase de plusieurs mots, facile à retenir pour vous, fait un bon "
                "mot de passe. N'utilisez pas celui d'un autre site.</p>"
            ),
            step(
                "Acceptez les conditions d'utilisation",
                "<p>Lisez les conditions générales d'utilisation, cochez la case, puis "
                "validez le formulaire.</p>",
            ),
            step(
                "Activez votre compte",
                "<p>Vous recevez un courriel avec un lien d'activation. Ouvrez ce lien pour "
                "activer votre compte. Il est valable 7 jours.</p>",
            ),
            warning(
                "<p>Vous ne trouvez pas le courriel ? Regardez dans vos courriers "
                "indésirables. Vous pouvez demander un nouveau lien pendant 30 jours ; "
                "ensuite, il faut recommencer l'inscription.</p>"
            ),
        ],
        ["se-connecter", "application-ou-carte-otp"],
    ),
    (
        "se-connecter",
        "Vous connecter avec le code à 6 chiffres",
        "Pour protéger vos données, la connexion se fait en deux temps : votre mot de "
        "passe, puis un code à 6 chiffres.",
        [
            step(
                "Saisissez votre identifiant et votre mot de passe",
                "<p>Votre identifiant est votre adresse électronique. Si un service vous a "
                "inscrit, vous pouvez aussi utiliser le numéro qu'il vous a donné.</p>",
            ),
            step(
                "Recevez votre code",
                "<p>Un code à 6 chiffres vous est envoyé par SMS si vous avez confirmé votre "
                "numéro de mobile, sinon par courriel. Si vous avez installé une application "
                "d'authentification, lisez le code dans l'application.</p>",
            ),
            step(
                "Saisissez le code",
                "<p>Tapez les 6 chiffres et validez. Le code est valable 10 minutes et ne "
                "sert qu'une seule fois.</p>",
            ),
            tip(
                "<p>Le code n'arrive pas ? Choisissez <b>Renvoyer le code</b>. Seul le "
                "dernier code reçu fonctionne.</p>"
            ),
        ],
        ["mot-de-passe-oublie", "application-ou-carte-otp"],
    ),
    (
        "application-ou-carte-otp",
        "Ajouter une application d'authentification ou une carte OTP",
        "Une application d'authentification ou une carte OTP vous donne vos codes de "
        "connexion sans attendre de SMS ni de courriel.",
        [
            step(
                "Installez une application d'authentification",
                "<p>Sur votre téléphone, installez une application d'authentification "
                "(par exemple FreeOTP ou Aegis). Elles sont gratuites.</p>",
            ),
            step(
                "Ouvrez « Connexion et sécurité »",
                "<p>Dans votre compte, choisissez <b>Connexion et sécurité</b>, puis "
                "<b>Ajouter une application</b>. Un QR code s'affiche.</p>",
            ),
            step(
                "Scannez le QR code",
                "<p>Dans l'application, choisissez d'ajouter un compte et scannez le QR code. "
                "L'application affiche un code à 6 chiffres qui change toutes les 30 "
                "secondes.</p>",
            ),
            step(
                "Confirmez avec un code",
                "<p>Saisissez le code affiché par l'application pour confirmer. Gardez "
                "précieusement les codes de secours proposés : ils vous dépannent si vous "
                "perdez votre téléphone.</p>",
            ),
            tip(
                "<p>Vous agissez pour une organisation ? Votre référent peut vous remettre "
                "une carte OTP, un petit boîtier qui affiche les codes. Il la relie à votre "
                "compte, puis vous confirmez avec un code lu sur la carte.</p>",
                "Carte OTP",
            ),
            warning(
                "<p>Carte perdue ou téléphone volé ? Prévenez votre référent ou le support "
                "au plus vite pour que la carte ou l'application soit retirée de votre "
                "compte.</p>"
            ),
        ],
        ["se-connecter"],
    ),
    (
        "mot-de-passe-oublie",
        "Mot de passe oublié",
        "Vous pouvez choisir un nouveau mot de passe à tout moment grâce à un lien envoyé "
        "par courriel ou par SMS.",
        [
            step(
                "Ouvrez « Mot de passe oublié »",
                "<p>Sur la page de connexion, choisissez <b>Mot de passe oublié</b>.</p>",
            ),
            step(
                "Indiquez votre identifiant",
                "<p>Saisissez votre identifiant, puis votre adresse électronique ou votre "
                "numéro de mobile.</p>",
            ),
            step(
                "Ouvrez le lien reçu",
                "<p>Si les informations correspondent à un compte, vous recevez un lien. "
                "Pour votre sécurité, le message affiché est le même dans tous les cas.</p>",
            ),
            step(
                "Choisissez un nouveau mot de passe",
                "<p>Saisissez-le deux fois. Vous devrez ensuite vous connecter avec le code "
                "à 6 chiffres, comme d'habitude.</p>",
            ),
        ],
        ["se-connecter"],
    ),
    (
        "deposer-une-demande",
        "Déposer une demande",
        "Une démarche se fait en ligne, à votre rythme : vous pouvez enregistrer un "
        "brouillon et revenir plus tard.",
        [
            step(
                "Choisissez la démarche",
                "<p>Ouvrez la page de la démarche. Elle indique qui peut faire la demande, "
                "les documents à préparer et les délais. Choisissez <b>Faire la demande en "
                "ligne</b>.</p>",
            ),
            step(
                "Remplissez le formulaire",
                "<p>Si vous êtes connecté, certaines informations sont déjà remplies avec "
                "celles de votre profil. Vérifiez-les.</p>",
            ),
            step(
                "Joignez vos justificatifs",
                "<p>Ajoutez chaque justificatif depuis votre ordinateur ou, en un clic, "
                "depuis votre porte-documents. Formats acceptés : PDF, PNG et JPEG, 5 Mo "
                "au plus par fichier.</p>",
            ),
            tip(
                "<p>Pas le temps de tout finir ? Choisissez <b>Enregistrer le brouillon</b>. "
                "Un brouillon sans modification pendant 3 mois est supprimé ; vous êtes "
                "prévenu 2 semaines avant.</p>"
            ),
            step(
                "Envoyez votre demande",
                "<p>Vérifiez le récapitulatif et envoyez. Vous recevez un numéro de demande "
                "et un récépissé par courriel. Gardez ce numéro : il sert à suivre votre "
                "demande.</p>",
            ),
        ],
        ["suivre-une-demande-sans-compte", "porte-documents"],
    ),
    (
        "suivre-une-demande-sans-compte",
        "Suivre une demande sans compte",
        "Vous avez fait une demande sans créer de compte ? Vous pouvez la suivre avec "
        "votre adresse électronique et votre numéro de demande.",
        [
            step(
                "Retrouvez votre numéro de demande",
                "<p>Il figure dans le courriel de confirmation et sur le récépissé.</p>",
            ),
            step(
                "Ouvrez « Suivre une demande »",
                "<p>Depuis la page d'accueil, choisissez <b>Suivre une demande</b>. "
                "Saisissez l'adresse électronique utilisée pour la demande et le numéro.</p>",
            ),
            step(
                "Consultez votre demande",
                "<p>Vous voyez où en est votre demande, l'historique, les messages du "
                "service et les documents échangés.</p>",
            ),
            tip(
                "<p>Chaque courriel que nous vous envoyons contient un lien qui ouvre "
                "directement votre demande.</p>"
            ),
        ],
        ["repondre-et-envoyer-des-documents", "creer-un-compte"],
    ),
    (
        "repondre-et-envoyer-des-documents",
        "Répondre au service et envoyer des documents",
        "Quand le service a besoin d'une précision ou d'un document, il vous écrit dans "
        "l'onglet Discussion de votre demande.",
        [
            step(
                "Ouvrez la discussion",
                "<p>Vous êtes prévenu par courriel. Ouvrez votre demande, puis l'onglet "
                "<b>Discussion</b>.</p>",
            ),
            step(
                "Rédigez votre réponse",
                "<p>Répondez simplement à la question posée. Votre message est lu par la "
                "personne qui instruit votre demande.</p>",
            ),
            step(
                "Ajoutez vos documents",
                "<p>Vous pouvez joindre plusieurs fichiers au même message : PDF, PNG ou "
                "JPEG, 5 Mo au plus chacun. Si un fichier est refusé, la raison s'affiche "
                "à côté ; votre texte n'est pas perdu.</p>",
            ),
            warning(
                "<p>Un PDF protégé par un mot de passe ou abîmé est refusé. Enregistrez-le "
                "à nouveau sans protection avant de l'envoyer.</p>"
            ),
            step(
                "Envoyez",
                "<p>Votre demande repart chez le service. Les documents qu'il vous envoie "
                "se téléchargent depuis la discussion et, si vous avez un compte, arrivent "
                "aussi dans votre porte-documents.</p>",
            ),
        ],
        ["porte-documents"],
    ),
    (
        "porte-documents",
        "Utiliser votre porte-documents",
        "Le porte-documents garde vos justificatifs en lieu sûr pour les réutiliser dans "
        "vos prochaines démarches.",
        [
            step(
                "Ajoutez un document",
                "<p>Ouvrez <b>Porte-documents</b>, puis <b>Ajouter un document</b>. Chaque "
                "fichier peut peser 4 Mo au plus ; votre espace peut contenir 235 Mo.</p>",
            ),
            step(
                "Classez-le",
                "<p>Choisissez son type (pièce d'identité, justificatif de domicile, avis "
                "d'imposition, RIB…) et, si besoin, sa date de fin de validité. Nous vous "
                "prévenons avant qu'il expire.</p>",
            ),
            step(
                "Réutilisez-le",
                "<p>Quand un formulaire demande un justificatif, choisissez <b>Depuis mon "
                "porte-documents</b> : vous n'avez plus besoin de le chercher sur votre "
                "ordinateur.</p>",
            ),
            tip(
                "<p>Vous pouvez renommer, remplacer ou supprimer un document à tout moment. "
                "Vos documents ne sont visibles que par vous, ou par les membres de votre "
                "organisation dans un espace d'organisation.</p>"
            ),
        ],
        ["deposer-une-demande"],
    ),
]

# English translations (the other pages are shown in French in the English tree).
ENGLISH_GUIDES = {
    "se-connecter": {
        "title": "Log in with the 6-digit code",
        "intro": "To protect your data, logging in takes two steps: your password, then a "
        "6-digit code.",
        "body": [
            step(
                "Enter your identifier and password",
                "<p>Your identifier is your email address. If a service registered you, you "
                "can also use the number it gave you.</p>",
            ),
            step(
                "Get your code",
                "<p>A 6-digit code is sent by text message if you confirmed your mobile "
                "number, otherwise by email. If you set up an authenticator app, read the "
                "code in the app.</p>",
            ),
            step(
                "Enter the code",
                "<p>Type the 6 digits and confirm. The code is valid for 10 minutes and "
                "works only once.</p>",
            ),
            tip("<p>No code? Choose <b>Send the code again</b>. Only the latest code works.</p>"),
        ],
    },
}
