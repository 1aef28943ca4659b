"""The accessibility statement stays true (config/accessibility.py, ADR 0016).

It is reached from the footer of every page and passes the tools it names; every page of
its sample is a real route of the portal that answers, and is checked again here through
the journey (axe-core and the Nu HTML Checker) with the results the statement publishes;
the tool versions it names are those the tests run.
"""

import http.client
import re
import subprocess
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve
from playwright.sync_api import expect

from config.accessibility import AUDIT, AXE, NU_HTML_CHECKER
from tests.journeys.conftest import JOURNEY_MARKS
from tests.support.client import force_app_login
from tests.support.html_check import VNU_JAR
from tests.support.journey import page_key

pytestmark = JOURNEY_MARKS

APPLICANT_EMAIL = "usager@guichet.test"
SECTIONS = [
    "État de conformité",
    "Résultats des tests",
    "Contenus non accessibles",
    "Établissement de cette déclaration d'accessibilité",
    "Retour d'information et contact",
    "Voies de recours",
]


def installed_axe_version() -> str:
    script = Path(axe_playwright_python.__file__).parent / "axe.min.js"
    return re.match(r"/\*! axe v([0-9.]+)", script.read_text()[:100]).group(1)


def installed_nu_checker_version() -> str:
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--version"], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def first_answer(base_url: str, url: str) -> http.client.HTTPResponse:
    """The server's own answer to an anonymous GET, redirects not followed."""
    server = urlsplit(base_url)
    connection = http.client.HTTPConnection(server.hostname, server.port, timeout=60)
    connection.request("GET", url, headers={"Accept-Language": "fr"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_the_tools_named_by_the_statement_are_those_the_tests_run():
    assert (AXE.version, NU_HTML_CHECKER.version) == (
        installed_axe_version(),
        installed_nu_checker_version(),
    )


def test_the_statement_lists_real_pages_that_pass_the_tools_it_names(journey, stack):
    call_command("seed_demo", stdout=StringIO())

    # Every page of the sample is a route of the portal that answers: public pages show,
    # account pages send an anonymous visitor to the login page.
    for audited in AUDIT.pages:
        try:
            resolve(urlsplit(audited.url).path)
        except Resolver404:
            raise AssertionError(f"{audited.url} is no route of the portal") from None
        response = first_answer(stack.url, audited.url)
        if audited.account:
            assert response.status == 302, audited.url
            assert response.getheader("Location").startswith("/compte/login/"), audited.url
        else:
            assert response.status == 200, audited.url

    # The statement, from the footer of the home page.
    visitor = journey.open()
    visitor.goto("/")
    journey.check(visitor, "home")
    footer = visitor.locator("#pied-de-page")
    journey.keyboard(visitor).press(footer.get_by_role("link", name="Accessibilité : non conforme"))
    visitor.wait_for_url("**/accessibilite/")
    main = visitor.locator("#contenu")
    expect(main.get_by_role("heading", level=1)).to_have_text("Déclaration d'accessibilité")
    for section in SECTIONS:
        expect(main.get_by_role("heading", level=2, name=section, exact=True)).to_be_visible()
    expect(main).to_contain_text("Ce portail est non conforme avec le référentiel général")
    pages = len(AUDIT.pages)
    expect(main).to_contain_text(f"des tests automatisés ont vérifié {pages} pages du portail")
    expect(main).to_contain_text("Défauts d'accessibilité relevés par axe-core : 0")
    expect(main).to_contain_text("Erreurs de code HTML relevées par Nu Html Checker (vnu) : 0")
    expect(main).to_contain_text(f"Pages sans aucun défaut relevé : {pages} sur {pages}")
    expect(main).to_contain_text("Libre réponse 71120, 75342 Paris CEDEX 07")
    expect(main.get_by_role("link", name=settings.GUICHET_ACCESSIBILITY_EMAIL)).to_have_attribute(
        "href", f"mailto:{settings.GUICHET_ACCESSIBILITY_EMAIL}"
    )
    results = main.get_by_role("table", name="Résultats par page")
    expect(results.get_by_role("row")).to_have_count(1 + pages)
    for audited in AUDIT.pages:
        name = str(audited.name)
        expect(results.get_by_role("link", name=name, exact=True)).to_have_attribute(
            "href", audited.url
        )
        row = results.get_by_role("row").filter(
            has=visitor.get_by_role("link", name=name, exact=True)
        )
        expect(row.get_by_role("cell")).to_have_text(
            [str(audited.axe_violations), str(audited.html_errors)]
        )
    journey.check(visitor, "accessibility-statement")

    # Each page of the sample, checked again by the tools: anonymous first, then with an
    # account.
    for audited in [a for a in AUDIT.pages if not a.account]:
        visitor.goto(audited.url)
        journey.check(visitor, str(audited.name))
    client = Client()
    force_app_login(client, get_user_model().objects.get(email=APPLICANT_EMAIL))
    visitor.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": stack.url,
            }
        ]
    )
    for audited in [a for a in AUDIT.pages if a.account]:
        visitor.goto(audited.url)
        expect(visitor).to_have_url(re.compile(re.escape(audited.url) + "$"))
        journey.check(visitor, str(audited.name))

    journey.finish()  # the Nu HTML Checker: no error on any page
    for audited in AUDIT.pages:
        found = journey.auditor.pages[page_key(stack.url + audited.url)]
        assert (found.axe_violations, len(found.vnu_errors)) == (
            audited.axe_violations,
            audited.html_errors,
        ), audited.url
