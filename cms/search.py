"""Full-text search over guides, FAQ and démarche pages, with highlighted excerpts.

The database backend finds the pages (French stemming on PostgreSQL, exact tokens on
SQLite); it cannot highlight, so the excerpt is built here from the page's own passages.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Locale, Page

from .models import DemarchePage, FaqPage, GuidePage

MAX_QUERY_LENGTH = 200
EXCERPT_LENGTH = 240
_WORD = re.compile(r"\w+")


@dataclass
class Hit:
    page: Page
    url: str
    excerpt: SafeString


def _fold(text: str) -> str:
    """Lower case without accents, one character for one (positions stay aligned)."""
    return "".join(unicodedata.normalize("NFKD", c)[0] for c in text).lower()


def _roots(query: str) -> list[str]:
    """Word roots that match inflected forms too ("justificatifs" -> "justificat")."""
    roots = []
    for word in _WORD.findall(_fold(query)):
        if len(word) < 3:
            continue
        roots.append(word if len(word) < 6 else word[: max(5, len(word) - 3)])
    return roots


def _matches(folded: str, roots: list[str]) -> list[tuple[int, int]]:
    spans = []
    for match in _WORD.finditer(folded):
        if any(match.group().startswith(root) for root in roots):
            spans.append(match.span())
    return spans


def highlight(text: str, roots: list[str], length: int = EXCERPT_LENGTH) -> tuple[SafeString, bool]:
    """An escaped excerpt of ``text`` around the first match, matches wrapped in <mark>."""
    text = " ".join(text.split())
    spans = _matches(_fold(text), roots)
    start = 0
    if spans and spans[0][0] > length // 3:
        start = text.rfind(" ", 0, spans[0][0] - length // 3) + 1
    end = min(len(text), start + length)
    if end < len(text):
        end = max(text.rfind(" ", start, end), start + length // 2)
    parts, cursor = [], start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        parts.append(escape(text[cursor:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(escape(text[cursor:end]))
    excerpt = ("… " if start else "") + "".join(parts) + (" …" if end < len(text) else "")
    return mark_safe(excerpt), bool(spans)  # noqa: S308 - every piece is escaped above


def _hit(page, roots: list[str]) -> Hit:
    passages = [(text, anchor) for text, anchor in page.search_passages() if text]
    for text, anchor in passages:
        excerpt, found = highlight(text, roots)
        if found:
            return Hit(page, page.url + (f"#{anchor}" if anchor else ""), excerpt)
    first = passages[0][0] if passages else ""
    return Hit(page, page.url, highlight(first, roots)[0])


def search_pages(query: str):
    """Live public help pages of the current language matching ``query`` (a queryset)."""
    return (
        Page.objects.live()
        .public()
        .filter(locale=Locale.get_active())
        .type(GuidePage, FaqPage, DemarchePage)
        .specific()
        .search(query[:MAX_QUERY_LENGTH])
    )


def hits(pages, query: str) -> list[Hit]:
    roots = _roots(query)
    return [_hit(page, roots) for page in pages]
