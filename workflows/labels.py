"""Staff wording of a demande's state.

``Case.Status`` labels speak to the applicant ("En attente de votre réponse"); instructors
read the same states from the service's side. Every staff screen and export goes through
this map, the applicant's texts stay as they are.
"""

from django.utils.translation import gettext_lazy as _

from cases.models import Case

STAFF_STATUS_LABELS = {
    Case.Status.DRAFT: _("Brouillon"),
    Case.Status.SUBMITTED: _("Déposée"),
    Case.Status.IN_INSTRUCTION: _("En instruction"),
    Case.Status.AWAITING_APPLICANT: _("En attente de l'usager"),
    Case.Status.ACCEPTED: _("Acceptée"),
    Case.Status.REFUSED: _("Refusée"),
    Case.Status.CLOSED: _("Classée sans suite"),
}


def staff_status_label(status: str) -> str:
    """The label an instructor reads for a state (empty for no state)."""
    return str(STAFF_STATUS_LABELS.get(status, "")) if status else ""


def staff_status_choices() -> list[tuple[str, str]]:
    """The states an instructor can filter on (drafts never reach them)."""
    return [(s, label) for s, label in STAFF_STATUS_LABELS.items() if s != Case.Status.DRAFT]
