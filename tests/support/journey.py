"""What every page of a cross-role journey must pass, and a keyboard-only driver.

``Auditor`` watches a browser page: every document the main frame navigates to is recorded,
``check(page)`` runs axe-core on it (zero violations of any impact) and keeps the HTML the
server sent — every distinct state of each page — for the Nu HTML Checker, run once per
journey for what is new (one Java start-up). A journey that leaves a page without checking
it fails at teardown, so "on every page visited" cannot silently shrink. On a failure the
page's screenshot and HTML are written under ``var/e2e/``.

``Keyboard`` reaches elements with Tab / Shift+Tab only, checks that the focused element
shows a visible focus ring, and acts with Enter, Space or typed keys.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit


def page_key(url: str) -> str:
    """A page's path, with numbers and tokens folded so that the report groups alike pages."""
    path = urlsplit(url).path
    path = re.sub(r"/[0-9]+(?=/|$)", "/<n>", path)
    path = re.sub(r"/[0-9A-HJKMNP-TV-Z]{10}(?=/|$)", "/<numéro>", path)  # a demande number
    return re.sub(r"/(?=[^/]*\d)[A-Za-z0-9_:.-]{20,}(?=/|$)", "/<token>", path)


@dataclass
class PageAudit:
    url: str
    axe_violations: int = 0
    # Every distinct HTML the server sent for this page (a form shown again with errors,
    # a list that changed...), each checked once by the Nu HTML Checker.
    states: dict[str, str] = field(default_factory=dict)  # sha256 -> HTML
    checked: set[str] = field(default_factory=set)
    vnu_errors: list[str] = field(default_factory=list)


class Auditor:
    """One per test session: collects every checked page of every journey."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.pages: dict[str, PageAudit] = {}
        self._documents = {}  # page -> last main-frame document response
        self._visited = {}  # page -> set of URLs navigated to
        self._checked = {}  # page -> set of URLs checked

    def watch(self, page) -> None:
        self._visited[page] = set()
        self._checked[page] = set()

        def on_response(response):
            request = response.request
            if request.frame != page.main_frame or 300 <= response.status < 400:
                return
            # A page the server sent: a navigation, or the answer to a form that upload.js
            # sent (XMLHttpRequest POST, then the page it was redirected to).
            first = request
            while first.redirected_from is not None:
                first = first.redirected_from
            sent_by_script = request.resource_type == "xhr" and first.method == "POST"
            is_document = request.is_navigation_request() or sent_by_script
            if is_document and "text/html" in response.headers.get("content-type", ""):
                self._documents[page] = response

        def on_navigated(frame):
            if frame == page.main_frame and frame.url.startswith("http"):
                self._visited[page].add(frame.url)

        page.on("response", on_response)
        page.on("framenavigated", on_navigated)

    def check(self, page, label: str = "") -> None:
        """axe-core on the page as shown; its HTML kept for the Nu HTML Checker."""
        from axe_playwright_python.sync_playwright import Axe

        page.wait_for_load_state()
        url = page.url
        violations = Axe().run(page).response["violations"]
        self._checked[page].add(url)
        response = self._documents.get(page)
        html = response.text() if response is not None else ""
        key = page_key(url)
        audit = self.pages.setdefault(key, PageAudit(url=url))
        audit.axe_violations = max(audit.axe_violations, len(violations))
        if html:
            audit.states.setdefault(hashlib.sha256(html.encode()).hexdigest(), html)
        if violations:
            self.keep_evidence(page, label or key)
            found = [
                f"{v['id']} ({v['impact']}) on {url}: "
                + "; ".join(" ".join(n["target"]) for n in v["nodes"][:3])
                for v in violations
            ]
            raise AssertionError("axe-core violations:\n" + "\n".join(found))

    def unchecked(self, page) -> set[str]:
        return self._visited.get(page, set()) - self._checked.get(page, set())

    def keep_evidence(self, page, name: str) -> None:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "page"
        page.screenshot(path=str(self.out_dir / f"failed-{safe}.png"), full_page=True)
        (self.out_dir / f"failed-{safe}.html").write_text(page.content(), encoding="utf-8")

    def run_html_checker(self) -> dict[str, list[str]]:
        """The Nu HTML Checker on every HTML state not checked yet (one Java start)."""
        from tests.support.html_check import vnu_errors

        pending = {
            f"{key} [{digest[:8]}]": (key, digest, html)
            for key, audit in self.pages.items()
            for digest, html in audit.states.items()
            if digest not in audit.checked
        }
        found = vnu_errors({name: html for name, (_, _, html) in pending.items()})
        for name, errors in found.items():
            key, digest, _ = pending[name]
            self.pages[key].checked.add(digest)
            self.pages[key].vnu_errors += [f"{name} {error}" for error in errors]
        return {key: audit.vnu_errors for key, audit in self.pages.items() if audit.vnu_errors}

    def write_report(self) -> Path:
        """``var/e2e/journeys-audit.json``: each page with its axe and Nu checker counts."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        path = self.out_dir / "journeys-audit.json"
        report = {
            key: {
                "url": a.url,
                "axe": a.axe_violations,
                "vnu": len(a.vnu_errors),
                "html_states_checked": len(a.checked),
            }
            for key, a in sorted(self.pages.items())
        }
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
        return path


# A focus ring drawn on the element, or on its ::before / ::after (DSFR cards and tiles draw
# it around the whole card from the link's ::before).
FOCUS_VISIBLE = """el => [null, "::before", "::after"].some((pseudo) => {
  const style = getComputedStyle(el, pseudo);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return outline || (style.boxShadow && style.boxShadow !== "none");
})"""


PRECEDES_FOCUS = """el => {
  const active = document.activeElement;
  if (!active || active === document.body) return false;
  return !!(el.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""


class Keyboard:
    """Drive a page with the keyboard only: Tab to an element, then Enter, Space or keys."""

    MAX_PRESSES = 250

    def __init__(self, page):
        self.page = page

    def focus(self, locator) -> None:
        """Tab (or Shift+Tab, if the element comes before the focus) until it has the focus,
        then check the focus ring is visible."""
        locator.wait_for()
        handle = locator.element_handle()
        backwards = handle.evaluate(PRECEDES_FOCUS)
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(self.MAX_PRESSES):
            if handle.evaluate("el => el === document.activeElement"):
                break
            self.page.keyboard.press(key)
        else:
            raise AssertionError(f"the keyboard never reaches {locator} on {self.page.url}")
        if not handle.evaluate(FOCUS_VISIBLE):
            raise AssertionError(f"no visible focus on {locator} on {self.page.url}")

    def press(self, locator, key: str = "Enter") -> None:
        """A link or button: focus it, then Enter (Space for checkboxes and radios)."""
        self.focus(locator)
        self.page.keyboard.press(key)

    def select_tab(self, tab) -> None:
        """A DSFR tab: only the selected tab is in the Tab order; the arrow keys move the
        selection along the tab list (ARIA tabs pattern)."""
        tablist = tab.locator("xpath=ancestor::*[@role='tablist'][1]")
        self.focus(tablist.locator("[role=tab][aria-selected=true]"))
        for _ in range(tablist.locator("[role=tab]").count()):
            if tab.get_attribute("aria-selected") == "true":
                return
            self.page.keyboard.press("ArrowRight")
        raise AssertionError(f"the arrow keys never select {tab} on {self.page.url}")

    def type(self, locator, text: str) -> None:
        """A text field: focus it, clear what it holds, type the text."""
        self.focus(locator)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.press("Delete")
        self.page.keyboard.type(text)

    def choose_file(self, locator, files) -> None:
        """A file input: focus it and open the file chooser with Space. Headless Chromium
        sometimes ignores the first Space on a just-focused file input: Space again."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

        self.focus(locator)
        for _ in range(3):
            try:
                with self.page.expect_file_chooser(timeout=5_000) as chooser:
                    self.page.keyboard.press("Space")
            except PlaywrightTimeoutError:
                continue
            chooser.value.set_files(files)
            return
        raise AssertionError(f"no file chooser opens from {locator} on {self.page.url}")

    def select(self, locator, label: str) -> None:
        """A ``<select>``: focus it, then arrow down until the option shows."""
        self.focus(locator)
        for _ in range(60):
            if locator.evaluate("el => el.options[el.selectedIndex]?.label") == label:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"no option {label!r} in {locator}")


__all__ = ["Auditor", "Keyboard", "page_key"]
