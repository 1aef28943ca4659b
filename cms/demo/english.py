"""English translations of the demo help centre, keyed by path under the home page.

The seed creates each English page as a real translation (ADR 0201); a French page with
no entry here would get an alias (shown in French).
"""

from .faq import q
from .guides import ENGLISH_GUIDES, step, tip, warning


def _h(text: str) -> dict:
    return {"type": "heading", "value": text}


def _p(html: str) -> dict:
    return {"type": "paragraph", "value": html}


CONTACT = {
    "type": "contact",
    "value": {
        "title": "A question about this procedure?",
        "text": "<p>The service answers from Monday to Friday.</p>",
        "email": "aides@guichet.test",
        "phone": "01 23 45 67 89",
        "hours": "Monday to Friday, 9 am to 12 pm and 2 pm to 5 pm",
        "address": "",
    },
}

GUIDES = {
    "guides": {
        "title": "Step-by-step guides",
        "intro": "<p>Each guide takes you step by step, from creating your account to "
        "following your request.</p>",
    },
    "guides/creer-un-compte": {
        "title": "Create and activate your account",
        "intro": "An account lets you follow all your requests in one place and keep your "
        "documents. It takes about five minutes.",
        "body": [
            step(
                "Open the sign-up form",
                "<p>At the top of the home page, choose <b>Log in</b>, then <b>Create an "
                "account</b>.</p>",
            ),
            step(
                "Enter your email address",
                "<p>Type your email address twice. It will be your identifier: choose an "
                "address you read often.</p>",
            ),
            step(
                "Choose your password",
                "<p>Your password needs at least 12 characters, with a lower-case letter, an "
                "upper-case letter, a digit and a special character. A gauge shows whether "
                "it is strong enough.</p>",
            ),
            tip(
                "<p>A sentence of several words, easy for you to remember, makes a good "
                "password. Do not reuse the password of another site.</p>"
            ),
            step(
                "Accept the terms of use",
                "<p>Read the terms of use, tick the box, then send the form.</p>",
            ),
            step(
                "Activate your account",
                "<p>You receive an email with an activation link. Open this link to "
                "activate your account. It is valid for 7 days.</p>",
            ),
            warning(
                "<p>No email? Look in your spam folder. You can ask for a new link for 30 "
                "days; after that, you need to sign up again.</p>"
            ),
        ],
    },
    "guides/se-connecter": ENGLISH_GUIDES["se-connecter"],
    "guides/application-ou-carte-otp": {
        "title": "Add an authenticator app or an OTP card",
        "intro": "An authenticator app or an OTP card gives you your login codes without "
        "waiting for a text message or an email.",
        "body": [
            step(
                "Install an authenticator app",
                "<p>On your phone, install an authenticator app (for example FreeOTP or "
                "Aegis). They are free.</p>",
            ),
            step(
                "Open “Login and security”",
                "<p>In your account, choose <b>Login and security</b>, then <b>Add an "
                "app</b>. A QR code is shown.</p>",
            ),
            step(
                "Scan the QR code",
                "<p>In the app, choose to add an account and scan the QR code. The app shows "
                "a 6-digit code that changes every 30 seconds.</p>",
            ),
            step(
                "Confirm with a code",
                "<p>Enter the code shown by the app to confirm. Keep the backup codes you "
                "are given in a safe place: they help if you lose your phone.</p>",
            ),
            tip(
                "<p>Acting for an organisation? Your contact person can give you an OTP "
                "card, a small device that shows the codes. They link it to your account, "
                "then you confirm with a code read on the card.</p>",
                "OTP card",
            ),
            warning(
                "<p>Lost card or stolen phone? Tell your contact person or the support "
                "quickly so that the card or the app is removed from your account.</p>"
            ),
        ],
    },
    "guides/mot-de-passe-oublie": {
        "title": "Forgotten password",
        "intro": "You can choose a new password at any time with a link sent by email or by "
        "text message.",
        "body": [
            step(
                "Open “Forgotten password”",
                "<p>On the login page, choose <b>Forgotten password</b>.</p>",
            ),
            step(
                "Enter your identifier",
                "<p>Type your identifier, then your email address or your mobile number.</p>",
            ),
            step(
                "Open the link you receive",
                "<p>If the details match an account, you receive a link. For your security, "
                "the message shown is the same in every case.</p>",
            ),
            step(
                "Choose a new password",
                "<p>Type it twice. You will then log in with the 6-digit code, as usual.</p>",
            ),
        ],
    },
    "guides/deposer-une-demande": {
        "title": "File a request",
        "intro": "A procedure is done online, at your own pace: you can save a draft and "
        "come back later.",
        "body": [
            step(
                "Choose the procedure",
                "<p>Open the procedure page. It says who can apply, the documents to prepare "
                "and the time limits. Choose <b>Apply online</b>.</p>",
            ),
            step(
                "Fill in the form",
                "<p>If you are logged in, some details are already filled in from your "
                "profile. Check them.</p>",
            ),
            step(
                "Attach your supporting documents",
                "<p>Add each document from your computer or, in one click, from your "
                "document locker. Accepted formats: PDF, PNG and JPEG, 5 MB at most per "
                "file.</p>",
            ),
            tip(
                "<p>No time to finish? Choose <b>Save the draft</b>. A draft left unchanged "
                "for 3 months is deleted; you are warned 2 weeks before.</p>"
            ),
            step(
                "Send your request",
                "<p>Check the summary and send. You receive a request number and a receipt "
                "by email. Keep this number: you need it to follow your request.</p>",
            ),
        ],
    },
    "guides/suivre-une-demande-sans-compte": {
        "title": "Follow a request without an account",
        "intro": "Filed a request without creating an account? You can follow it with your "
        "email address and your request number.",
        "body": [
            step(
                "Find your request number",
                "<p>It is in the confirmation email and on the receipt.</p>",
            ),
            step(
                "Open “Follow a request”",
                "<p>From the home page, choose <b>Follow a request</b>. Enter the email "
                "address used for the request and the number.</p>",
            ),
            step(
                "See your request",
                "<p>You see where your request stands, its history, the service's messages "
                "and the documents exchanged.</p>",
            ),
            tip("<p>Each email we send you contains a link that opens your request directly.</p>"),
        ],
    },
    "guides/repondre-et-envoyer-des-documents": {
        "title": "Answer the service and send documents",
        "intro": "When the service needs more details or a document, it writes to you in "
        "the Discussion tab of your request.",
        "body": [
            step(
                "Open the discussion",
                "<p>You are told by email. Open your request, then the <b>Discussion</b> tab.</p>",
            ),
            step(
                "Write your answer",
                "<p>Answer the question simply. Your message is read by the person handling "
                "your request.</p>",
            ),
            step(
                "Add your documents",
                "<p>You can attach several files to one message: PDF, PNG or JPEG, 5 MB at "
                "most each. If a file is refused, the reason is shown next to it; your text "
                "is kept.</p>",
            ),
            warning(
                "<p>A PDF protected by a password or damaged is refused. Save it again "
                "without protection before sending it.</p>"
            ),
            step(
                "Send",
                "<p>Your request goes back to the service. The documents it sends you can be "
                "downloaded from the discussion and, if you have an account, also arrive in "
                "your document locker.</p>",
            ),
        ],
    },
    "guides/porte-documents": {
        "title": "Use your document locker",
        "intro": "The document locker keeps your supporting documents safe to reuse them in "
        "your next procedures.",
        "body": [
            step(
                "Add a document",
                "<p>Open <b>Document locker</b>, then <b>Add a document</b>. Each file can "
                "weigh 4 MB at most; your space can hold 235 MB.</p>",
            ),
            step(
                "File it",
                "<p>Choose its type (identity document, proof of address, tax notice, bank "
                "details…) and, if needed, its expiry date. We warn you before it "
                "expires.</p>",
            ),
            step(
                "Reuse it",
                "<p>When a form asks for a document, choose <b>From my document locker</b>: "
                "no need to look for it on your computer.</p>",
            ),
            tip(
                "<p>You can rename, replace or delete a document at any time. Only you can "
                "see your documents, or the members of your organisation in an organisation "
                "space.</p>"
            ),
        ],
    },
}

FAQ = {
    "faq": {
        "title": "Frequently asked questions",
        "intro": "<p>Answers to the questions we are asked most often. Choose a question to "
        "show its answer.</p>",
    },
    "faq/compte": {
        "title": "Your account",
        "intro": "Create your account, log in, protect it.",
        "questions": [
            q(
                "Do I need an account to do a procedure?",
                "<p>Not always. Some procedures can be done without an account: you then "
                "confirm your email address with a code. With an account, you find all "
                "your requests and documents in one place.</p>",
                "compte-obligatoire",
            ),
            q(
                "I did not receive the activation email. What should I do?",
                "<p>Look in your spam folder. The link is valid for 7 days. You can ask for "
                "a new one for 30 days from the login page.</p>",
                "courriel-activation",
            ),
            q(
                "I do not receive the 6-digit code.",
                "<p>Wait a minute, then choose <b>Send the code again</b>. Check the mobile "
                "number or the email address in your account. Only the latest code works, "
                "for 10 minutes.</p>",
                "code-non-recu",
            ),
            q(
                "Can I log in without a mobile phone?",
                "<p>Yes. Tick “I have no mobile”: your codes will be sent by email. You can "
                "also use an authenticator app on a tablet.</p>",
                "sans-mobile",
            ),
            q(
                "How do I change my password?",
                "<p>In <b>Login and security</b>, choose <b>Change the password</b>. You "
                "need to type the old one. Your other sessions are then closed.</p>",
                "changer-mot-de-passe",
            ),
            q(
                "How do I delete my account?",
                "<p>In your account, choose <b>Delete my account</b>. We first offer to "
                "download all your documents. Requests already sent stay with the service, "
                "which keeps them for the planned time.</p>",
                "supprimer-compte",
            ),
        ],
    },
    "faq/demandes": {
        "title": "Your requests",
        "intro": "File a request, follow it, answer the service.",
        "questions": [
            q(
                "Where do I find my request number?",
                "<p>In the confirmation email and on the receipt sent after your request. "
                "With an account, it is also in <b>My procedures</b>.</p>",
                "numero-demande",
            ),
            q(
                "Can I change my request after sending it?",
                "<p>No, but you can write to the service if it has opened a discussion. "
                "Before sending, your draft can be changed.</p>",
                "modifier-demande",
            ),
            q(
                "How long is my draft kept?",
                "<p>Three months after your last change. We warn you by email two weeks "
                "before it is deleted.</p>",
                "duree-brouillon",
            ),
            q(
                "What does “Waiting for your answer” mean?",
                "<p>The service asked you a question or a document. Open the "
                "<b>Discussion</b> tab of your request to answer. The handling resumes as "
                "soon as you answer.</p>",
                "attente-reponse",
            ),
            q(
                "How am I told about the decision?",
                "<p>You receive an email at each step: receipt, start of the handling, new "
                "message and decision. The decision letter is available in your "
                "request.</p>",
                "decision",
            ),
        ],
    },
    "faq/documents": {
        "title": "Documents and supporting documents",
        "intro": "Accepted formats, sizes, the document locker.",
        "questions": [
            q(
                "Which file formats are accepted?",
                "<p>PDF, PNG and JPEG files. Other formats, such as word-processing "
                "documents, are refused: save them as PDF.</p>",
                "formats",
            ),
            q(
                "What is the largest size for a document?",
                "<p>5 MB per file attached to a request or a message. In the document "
                "locker, 4 MB per file and 235 MB for your whole space.</p>",
                "taille-maximale",
            ),
            q(
                "Why was my file refused?",
                "<p>We check the content of each file, not only its name. A file is refused "
                "if it is too large, damaged, protected by a password or if its content "
                "does not match its extension. The reason is shown next to the file.</p>",
                "fichier-refuse",
            ),
            q(
                "How do I take a readable photo of a document?",
                "<p>Lay the document flat, in a well-lit place, without glare. Frame the "
                "whole document. Check that the text can be read before sending the "
                "photo.</p>",
                "photo-lisible",
            ),
            q(
                "Do my documents expire?",
                "<p>If you gave an expiry date, we warn you by email before that date so "
                "that you can replace the document.</p>",
                "expiration",
            ),
        ],
    },
    "faq/donnees-personnelles": {
        "title": "Your personal data",
        "intro": "What we do with your information and your rights.",
        "questions": [
            q(
                "Who can see my documents?",
                "<p>Only you, or the members of your organisation in an organisation space. "
                "The service's staff only see the documents you attach to a request.</p>",
                "qui-voit-mes-documents",
            ),
            q(
                "How long is my data kept?",
                "<p>Your account data is kept as long as your account exists. Requests are "
                "kept by the service for the time set for each procedure, then "
                "deleted.</p>",
                "duree-conservation",
            ),
            q(
                "How do I use my rights over my data?",
                "<p>You can see, correct or delete your information from your account. For "
                "any other request, write to the data protection officer: the address is "
                "on the Personal data page.</p>",
                "exercer-mes-droits",
            ),
            q(
                "Is my data used for commercial purposes?",
                "<p>No. Your data is only used to handle your procedures and to tell you "
                "how they progress. It is neither sold nor given away.</p>",
                "usage-commercial",
            ),
        ],
    },
}

DEMARCHES = {
    "demarches": {
        "title": "Online procedures",
        "intro": "<p>Choose your procedure to find out who can apply, the documents to "
        "prepare and the time limits.</p>",
    },
    "demarches/aide-chauffage": {
        "title": "Departmental heating aid",
        "intro": "Help to pay your heating bills this winter, paid once into your bank account.",
        "who_can_apply": "<p>You can apply if:</p><ul><li>you live in the department;</li>"
        "<li>your household income is below the ceiling shown on your tax notice;</li>"
        "<li>you pay for your heating yourself.</li></ul>",
        "documents": "<ul><li>your latest tax notice;</li><li>a proof of address less than 3 "
        "months old;</li><li>a recent energy bill (electricity, gas, oil or wood);</li><li>"
        "your bank details (RIB) in your name.</li></ul>",
        "delays": "<p>The service answers within 2 months. If the aid is granted, it is paid "
        "within 15 days of the decision.</p>",
        "contact": [CONTACT],
    },
    "demarches/changement-adresse": {
        "title": "Report a change of address",
        "intro": "Moving house? Report your new address to keep receiving your mail and your aid.",
        "who_can_apply": "<p>Anyone who already has a file with the service and changes "
        "address, in the department or elsewhere.</p>",
        "documents": "<ul><li>a proof of your new address: bill, lease or certificate of "
        "accommodation.</li></ul>",
        "delays": "<p>Your new address is taken into account within 10 days. You receive a "
        "confirmation by email.</p>",
        "contact": [CONTACT],
    },
    "demarches/declaration-activite": {
        "title": "Declaration of professional activity",
        "intro": "Declare the start, change or end of your professional activity to the service.",
        "who_can_apply": "<p>Self-employed workers and organisations (associations, "
        "companies) based in the department. This procedure needs an account.</p>",
        "documents": "<ul><li>your SIRET number;</li><li>a registration extract less than 3 "
        "months old;</li><li>an identity document of the person in charge.</li></ul>",
        "delays": "<p>You receive an acknowledgement at once, then an answer within 1 month.</p>",
        "contact": [CONTACT],
    },
}

LEGAL = {
    "mentions-legales": {
        "title": "Legal notice",
        "intro": "",
        "body": [
            _h("Publisher"),
            _p(
                "<p>This portal is published by the public service that runs it. The name "
                "and address of this operator are at the bottom of each page.</p>"
            ),
            _h("Publication director"),
            _p("<p>The director of the operating service.</p>"),
            _h("Hosting"),
            _p(
                "<p>The portal is hosted in France, by a host chosen by the operator, in "
                "line with the General Data Protection Regulation.</p>"
            ),
            _h("Software"),
            _p(
                "<p>Guichet is free software, published under the AGPL-3.0 licence or "
                "later. Its source code is available to everyone.</p>"
            ),
        ],
    },
    "donnees-personnelles": {
        "title": "Personal data",
        "intro": "We process your data only to handle your procedures.",
        "body": [
            _h("Data controller"),
            _p("<p>The service running the portal is responsible for processing your data.</p>"),
            _h("Data collected"),
            _p(
                "<p>Your identity, your contact details, the information and documents you "
                "give in your requests, and a log of logins to protect your account.</p>"
            ),
            _h("Retention period"),
            _p(
                "<p>Your account data is kept as long as the account exists. Each procedure "
                "sets how long its requests are kept. After an account is deleted, the "
                "email address is kept in an unreadable form for one year.</p>"
            ),
            _h("Your rights"),
            _p(
                "<p>You can access your data, correct it, delete it, object to its "
                "processing or ask for it to be limited. Write to the data protection "
                "officer: dpo@guichet.test. If you think your rights are not respected, you "
                "can contact the CNIL.</p>"
            ),
            _h("Cookies"),
            _p(
                "<p>The portal only uses cookies needed for it to work (session and "
                "security). No audience measurement or advertising cookie is set.</p>"
            ),
        ],
    },
    "aide": {
        "title": "Having trouble?",
        "intro": "Find a quick answer, or contact us.",
        "body": [
            _p(
                '<p>Many answers are in the <a href="/guides/">step-by-step guides</a> and '
                'in the <a href="/faq/">frequently asked questions</a>. You can also use the '
                "search, at the top of each page.</p>"
            ),
            {
                "type": "callout",
                "value": {
                    "kind": "tip",
                    "title": "Before writing to us",
                    "text": "<p>Note your request number if you have one: we will answer "
                    "faster.</p>",
                },
            },
            {
                "type": "contact",
                "value": {
                    "title": "Contact us",
                    "text": "<p>A person from the service answers within 2 working days.</p>",
                    "email": "support@guichet.test",
                    "phone": "01 23 45 67 00",
                    "hours": "Monday to Friday, 9 am to 5 pm",
                    "address": "Service Guichet\n1 place de la Mairie\n00000 Exemple",
                },
            },
        ],
    },
}

# Every page under the home page, by its path below it.
PAGES = {**GUIDES, **FAQ, **DEMARCHES, **LEGAL}
