"""The restricted markup of terms and charters: administrators type plain text, never HTML.

- a blank line separates paragraphs; a line break inside a paragraph is kept;
- a line starting with ``## `` is a heading (``<h2>``; ``### `` gives ``<h3>``: the page
  title is the ``<h1>``);
- consecutive lines starting with ``- `` form a bulleted list;
- web and email addresses become links.

Every character typed is escaped before any tag is added, so ``<script>`` is shown as
text: nothing an administrator writes is interpreted as HTML (ADR 0310).
"""

import re

from django.utils.html import format_html, format_html_join, urlize
from django.utils.safestring import SafeString, mark_safe

HEADING = re.compile(r"^(#{2,3}) (.*)$")


def _inline(text: str) -> SafeString:
    # urlize escapes the text around the links it makes (autoescape=True).
    return mark_safe(urlize(text.strip(), nofollow=True, autoescape=True))  # noqa: S308


def _block(lines: list[str], top: int) -> SafeString:
    heading = HEADING.match(lines[0])
    if heading:
        tag = f"h{top + len(heading.group(1)) - 2}"
        return format_html("<{}>{}</{}>", tag, _inline(heading.group(2)), tag)
    if all(line.startswith("- ") for line in lines):
        items = format_html_join("", "<li>{}</li>", ((_inline(line[2:]),) for line in lines))
        return format_html("<ul>{}</ul>", items)
    # Each line is already safe (escaped by _inline): joined with <br>, it stays safe.
    return format_html("<p>{}</p>", mark_safe("<br>".join(_inline(line) for line in lines)))  # noqa: S308


def _blocks(body: str):
    """Groups of non-blank lines; a heading line is a block of its own."""
    block: list[str] = []
    for raw in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            if block:
                yield block
            block = []
        elif HEADING.match(line):
            if block:
                yield block
            yield [line]
            block = []
        else:
            if block and block[-1].startswith("- ") != line.startswith("- "):
                yield block
                block = []
            block.append(line)
    if block:
        yield block


def render(body: str, *, top: int = 2) -> SafeString:
    """The body as safe HTML: only the tags above, every typed character escaped.
    ``top`` is the level of ``##`` headings (3 where the text sits under an ``<h2>``)."""
    return mark_safe("\n".join(_block(lines, top) for lines in _blocks(body)))  # noqa: S308
