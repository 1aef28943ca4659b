"""A démarche's own texts in the applicant's emails (ADR 0022): which texts exist, the
variables they may use, their validation and their substitution.

A text is plain text typed by an administrator. It is added to the standard email, never
in place of its mandatory parts, and its variables are replaced by a plain lookup — no
``str.format`` (``{numero.__class__}`` would read attributes), no template engine.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The keys of ``Procedure.email_texts``: the events of ``cases.notifications.notify``, a
# decision split by its outcome. Each: (name, when it is sent).
EVENTS = {
    "submitted": (
        gettext_lazy("Demande enregistrée"),
        gettext_lazy("Envoyé quand l'usager dépose sa demande : c'est l'accusé de réception."),
    ),
    "instruction_started": (
        gettext_lazy("Instruction commencée"),
        gettext_lazy("Envoyé quand le service commence à étudier la demande."),
    ),
    "discussion_opened": (
        gettext_lazy("Question du service"),
        gettext_lazy("Envoyé quand le service demande une information ou un document à l'usager."),
    ),
    "message": (
        gettext_lazy("Nouveau message"),
        gettext_lazy("Envoyé à chaque nouveau message du service dans la messagerie."),
    ),
    "reminder": (
        gettext_lazy("Relance"),
        gettext_lazy("Envoyé quand le service attend encore la réponse de l'usager."),
    ),
    "decision_accepted": (
        gettext_lazy("Décision : acceptée"),
        gettext_lazy(
            "Envoyé quand la demande est acceptée, par le service ou sans réponse dans "
            "le délai (silence vaut accord)."
        ),
    ),
    "decision_refused": (
        gettext_lazy("Décision : refusée"),
        gettext_lazy(
            "Envoyé quand la demande est refusée, par le service ou sans réponse dans "
            "le délai (silence vaut rejet)."
        ),
    ),
    "decision_closed": (
        gettext_lazy("Décision : classée sans suite"),
        gettext_lazy("Envoyé quand le service classe la demande sans suite."),
    ),
    "reopened": (
        gettext_lazy("Demande rouverte"),
        gettext_lazy("Envoyé quand le service rouvre une demande déjà décidée."),
    ),
    "retention_notice": (
        gettext_lazy("Suppression prochaine"),
        gettext_lazy(
            "Envoyé deux semaines avant la suppression d'une demande terminée, avec le "
            "lien pour la télécharger."
        ),
    ),
}

# What each variable becomes when the email is sent; all are known for every event.
VARIABLES = {
    "numero": gettext_lazy("le numéro de la demande"),
    "demarche": gettext_lazy("le titre de la démarche"),
    "service": gettext_lazy("le nom du service instructeur"),
    "date": gettext_lazy("la date de l'envoi (JJ/MM/AAAA)"),
}

MAX_LENGTH = 2000

_VARIABLE = re.compile(r"\{([^{}]*)\}")
# Control characters but the line break and the tab (CR is dropped by ``normalise``).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def event_key(event: str, status: str = "") -> str:
    """The key of ``Procedure.email_texts`` for ``notify``'s event (a decision: its
    outcome)."""
    return f"decision_{status}" if event == "decision" else event


def normalise(text: str) -> str:
    """Line breaks as ``\\n``, no blank around the text."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def allowed_variables() -> str:
    return ", ".join(f"{{{name}}}" for name in VARIABLES)


def errors(text: str) -> list[str]:
    """What is wrong with ``text`` (normalised), in French; [] when it may be saved."""
    if not isinstance(text, str):
        return [_("Le texte doit être une chaîne de caractères.")]
    problems = []
    if len(text) > MAX_LENGTH:
        problems.append(
            _("Le texte fait %(length)d caractères : %(max)d au plus.")
            % {"length": len(text), "max": MAX_LENGTH}
        )
    if _CONTROL.search(text):
        problems.append(_("Le texte contient un caractère invisible non autorisé."))
    unknown = []
    for match in _VARIABLE.finditer(text):
        if match.group(1) not in VARIABLES and match.group(0) not in unknown:
            unknown.append(match.group(0))
    if unknown:
        problems.append(
            _("Variable inconnue : %(unknown)s. Variables possibles : %(allowed)s.")
            % {"unknown": ", ".join(unknown), "allowed": allowed_variables()}
        )
    rest = _VARIABLE.sub("", text)
    if "{" in rest or "}" in rest:
        problems.append(
            _(
                "Une accolade n'est pas fermée ou pas ouverte. Les accolades ne servent "
                "qu'aux variables : %(allowed)s."
            )
            % {"allowed": allowed_variables()}
        )
    return problems


def texts_errors(texts) -> list[str]:
    """Every problem of a whole ``{event: text}`` mapping, each naming its event."""
    if not isinstance(texts, dict):
        return [_("Les textes doivent être un objet {événement : texte}.")]
    problems = []
    for key, text in texts.items():
        if key not in EVENTS:
            problems.append(
                _("« %(key)s » n'est pas un courriel connu. Courriels possibles : %(known)s.")
                % {"key": key, "known": ", ".join(EVENTS)}
            )
            continue
        problems.extend(f"{EVENTS[key][0]} : {problem}" for problem in errors(text))
    return problems


def substitute(text: str, values: dict[str, str]) -> str:
    """``text`` with each ``{name}`` of ``values`` replaced by its value, by a plain
    lookup; anything else stays as typed."""
    return _VARIABLE.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


def text_for(procedure, key: str) -> str:
    """The démarche's text for ``key``, or "" (none, or not a text: the standard email)."""
    texts = procedure.email_texts if isinstance(procedure.email_texts, dict) else {}
    text = texts.get(key, "")
    return text if isinstance(text, str) else ""
