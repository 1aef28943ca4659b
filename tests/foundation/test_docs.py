"""The docs a newcomer reads stay true: every decision is indexed, every link resolves."""

import re
from pathlib import Path

from django.conf import settings

DOCS = Path(settings.BASE_DIR) / "docs"
LINK = re.compile(r"\]\(([^)#]+)(?:#[^)]*)?\)")


def test_every_decision_record_is_in_the_index():
    index = (DOCS / "adr" / "README.md").read_text()
    records = sorted(p.name for p in (DOCS / "adr").glob("[0-9][0-9][0-9][0-9]-*.md"))
    missing = [name for name in records if f"]({name})" not in index]
    assert not missing, f"add these ADRs to docs/adr/README.md: {missing}"


def test_docs_link_only_to_files_inside_the_repository():
    broken = []
    for page in [*DOCS.rglob("*.md"), Path(settings.BASE_DIR) / "README.md"]:
        for target in LINK.findall(page.read_text()):
            if "://" in target or target.startswith("mailto:"):
                continue
            resolved = (page.parent / target).resolve()
            if not resolved.exists() or not resolved.is_relative_to(Path(settings.BASE_DIR)):
                broken.append(f"{page.relative_to(settings.BASE_DIR)} -> {target}")
    assert not broken, broken
