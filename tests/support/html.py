"""Checks on rendered HTML that a person with a screen reader would notice."""

from html.parser import HTMLParser

REFERENCE_ATTRIBUTES = ("aria-describedby", "aria-labelledby", "aria-controls", "for")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []  # (tag, attrs, parent index)
        self._open = []
        self._summary_depth = None
        self.summary_links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        parent = self._open[-1] if self._open else None
        self.elements.append((tag, attrs, parent))
        if "data-guichet-error-summary" in attrs:
            self._summary_depth = len(self._open)
        if self._summary_depth is not None and tag == "a":
            self.summary_links.append(attrs.get("href", ""))
        if tag not in ("input", "br", "img", "meta", "link", "hr", "source", "wbr"):
            self._open.append(len(self.elements) - 1)

    def handle_endtag(self, tag):
        while self._open:
            index = self._open.pop()
            if self._summary_depth is not None and len(self._open) == self._summary_depth:
                self._summary_depth = None
            if self.elements[index][0] == tag:
                break


def parse(response_or_html) -> _Page:
    content = getattr(response_or_html, "content", response_or_html)
    page = _Page()
    page.feed(content.decode() if isinstance(content, bytes) else content)
    return page


def ids_of(page: _Page) -> list[str]:
    return [attrs["id"] for _, attrs, _ in page.elements if attrs.get("id")]


def assert_references_resolve(response) -> None:
    """Every id named by aria-describedby / aria-labelledby / aria-controls / for exists
    once in the page, and every link of the error summary points to an element."""
    page = parse(response)
    ids = ids_of(page)
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"ids used more than once: {duplicates}"
    missing = []
    for tag, attrs, _ in page.elements:
        for name in REFERENCE_ATTRIBUTES:
            for target in (attrs.get(name) or "").split():
                if target not in ids:
                    missing.append(f'<{tag} {name}="{attrs[name]}">: no element with id {target}')
    for href in page.summary_links:
        if href.startswith("#") and href[1:] not in ids:
            missing.append(f"error summary link {href}: no such element")
    assert not missing, "\n".join(missing)


def error_summary_links(response) -> list[str]:
    return parse(response).summary_links


def dsfr_controls(response) -> list[tuple[str, str, str]]:
    """(type, group class, next sibling) for each radio and checkbox: DSFR draws the control
    with the label that immediately follows the input inside its fr-radio-group or
    fr-checkbox-group."""
    page = parse(response)
    found = []
    for index, (tag, attrs, parent) in enumerate(page.elements):
        if tag != "input" or attrs.get("type") not in ("radio", "checkbox"):
            continue
        group = page.elements[parent][1].get("class", "") if parent is not None else ""
        following = page.elements[index + 1] if index + 1 < len(page.elements) else None
        sibling = (
            f"{following[0]} for={following[1].get('for')}"
            if following and following[2] == parent
            else "none"
        )
        found.append((attrs.get("id", ""), group, sibling))
    return found


def assert_dsfr_controls_drawn(response) -> None:
    controls = dsfr_controls(response)
    assert controls, "no radio or checkbox in the page"
    wrong = [
        c
        for c in controls
        if not (
            {"fr-radio-group", "fr-checkbox-group"} & set(c[1].split())
            and c[2] == f"label for={c[0]}"
        )
    ]
    assert not wrong, f"inputs not followed by their DSFR label in their group: {wrong}"
