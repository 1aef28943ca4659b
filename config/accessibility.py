"""The accessibility statement (« Déclaration d'accessibilité », RGAA 4.1 model).

The statement is generated from the audit recorded here, not written by hand in the help
centre: the sample of audited pages (name and address), the date, the tools and their
versions, and what each tool found on each page. tests/journeys/test_accessibility_statement.py
keeps it true: every listed address is a real route that answers, every listed page is
checked again by the same tools (axe-core, Nu HTML Checker) and must show the counts
written here, and the tool versions are those the tests run. See ADR 0016.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

# RGAA compliance levels. Without a full audit of the 106 criteria by a person, the
# law (article 47 of loi n° 2005-102, décret n° 2019-768) only allows "non conforme".
FULL, PARTIAL, NONE = "full", "partial", "none"
COMPLIANCE_LABELS = {
    FULL: _("totalement conforme"),
    PARTIAL: _("partiellement conforme"),
    NONE: _("non conforme"),
}


@dataclass(frozen=True)
class Tool:
    name: str
    version: str
    url: str


@dataclass(frozen=True)
class AuditedPage:
    """A page of the sample: its name, its address, whether it needs an account, and
    what the tools found there."""

    name: str
    url: str
    account: bool = False
    axe_violations: int = 0
    html_errors: int = 0

    @property
    def defects(self) -> int:
        return self.axe_violations + self.html_errors


@dataclass(frozen=True)
class Audit:
    date: date
    compliance: str
    criteria_checked_by_a_person: int
    tools: tuple[Tool, ...]
    pages: tuple[AuditedPage, ...]

    @property
    def axe_violations(self) -> int:
        return sum(page.axe_violations for page in self.pages)

    @property
    def html_errors(self) -> int:
        return sum(page.html_errors for page in self.pages)

    @property
    def pages_without_defect(self) -> int:
        return sum(1 for page in self.pages if not page.defects)


AXE = Tool("axe-core", "4.12.1", "https://github.com/dequelabs/axe-core")
NU_HTML_CHECKER = Tool("Nu Html Checker (vnu)", "20.6.30", "https://validator.github.io/validator/")

AUDIT = Audit(
    date=date(2026, 12, 1),
    compliance=NONE,
    criteria_checked_by_a_person=0,
    tools=(AXE, NU_HTML_CHECKER),
    pages=(
        AuditedPage(_("Accueil"), "/"),
        AuditedPage(_("Faire une démarche"), "/faire-une-demarche/"),
        AuditedPage(_("Fiche d'une démarche"), "/demarches/aide-chauffage/"),
        AuditedPage(_("Se connecter"), "/compte/login/"),
        AuditedPage(_("Créer un compte"), "/compte/signup/"),
        AuditedPage(_("Suivre une demande sans compte"), "/suivre/"),
        AuditedPage(_("Mes démarches"), "/mes-demarches/", account=True),
        AuditedPage(_("Porte-documents"), "/porte-documents/", account=True),
        AuditedPage(_("Sécurité du compte"), "/compte/securite/", account=True),
        AuditedPage(_("Guides"), "/guides/"),
        AuditedPage(_("Un guide"), "/guides/creer-un-compte/"),
        AuditedPage(_("Foire aux questions"), "/faq/"),
        AuditedPage(_("Recherche dans l'aide"), "/recherche/?q=justificatif"),
        AuditedPage(_("Vous rencontrez une difficulté ?"), "/aide/"),
        AuditedPage(_("Mentions légales"), "/mentions-legales/"),
        AuditedPage(_("Déclaration d'accessibilité"), "/accessibilite/"),
    ),
)

DEFENSEUR_DES_DROITS = {
    "form": "https://formulaire.defenseurdesdroits.fr/",
    "delegates": "https://www.defenseurdesdroits.fr/saisir/delegues",
    "address": "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07",
}


def compliance_label(audit: Audit = AUDIT) -> str:
    return COMPLIANCE_LABELS[audit.compliance]


@require_GET
def statement(request):
    return render(
        request,
        "accessibility_statement.html",
        {
            "audit": AUDIT,
            "compliance": compliance_label(),
            "contact_email": settings.GUICHET_ACCESSIBILITY_EMAIL,
            "defenseur": DEFENSEUR_DES_DROITS,
            "canonical_url": settings.GUICHET_SITE_URL.rstrip("/") + request.path,
        },
    )
