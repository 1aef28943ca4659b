"""Every view that receives files goes through the upload intake, and only the vault opens
the private storage (ADR 0104): uploads are capped before the body is read, whatever the app
(porte-documents, demande form, reply, instructor's message, request and decision)."""

import inspect

from django.urls import URLPattern, URLResolver, get_resolver


def _views(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _views(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _innermost(view):
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    return view


def _upload_context(view):
    while view is not None:
        if hasattr(view, "upload_context"):
            return view.upload_context
        view = getattr(view, "__wrapped__", None)
    return None


def _reads_files(view) -> bool:
    function = _innermost(view)
    if function.__module__.split(".")[0] not in ("cases", "workflows", "locker", "identity"):
        return False
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return False
    return "request.FILES" in source or "inspect_files(" in source or "_attach_uploads(" in source


def test_every_view_that_receives_files_is_capped():
    receiving = {route: view for route, view in _views() if _reads_files(view)}
    assert len(receiving) >= 6, sorted(receiving)  # locker: 2, draft, reply, message, task
    uncapped = sorted(route for route, view in receiving.items() if not _upload_context(view))
    assert uncapped == []


def test_demande_uploads_are_capped_at_the_demande_limit():
    contexts = {route: _upload_context(view) for route, view in _views() if _reads_files(view)}
    assert {c for r, c in contexts.items() if not r.startswith("porte-documents")} == {"demande"}


def test_only_the_vault_opens_the_private_storage():
    from pathlib import Path

    from django.conf import settings

    base = Path(settings.BASE_DIR)
    openers = sorted(
        str(path.relative_to(base))
        for app in ("identity", "locker", "cases", "workflows", "cms", "config")
        for path in (base / app).rglob("*.py")
        if 'storages["private"]' in path.read_text(encoding="utf-8")
    )
    assert openers == ["locker/vault.py"]
