"""Help-centre pages kept whole for visitors without a session (ADR 0204).

A guide or the home page is the same for every visitor who has not signed in: it is
rendered once, then served from the cache until anything of the help centre changes.
What may be cached, and how it is invalidated:

- only ``GET`` requests without a session or messages cookie (a signed-in person, or a
  visitor in the middle of a form, always gets a fresh page), and only answers ``200``
  that set no cookie and carry no CSRF token (pages behind a password or a login never
  qualify);
- the page's CSP nonce is taken out when it is stored and the request's own nonce put
  back when it is served: a nonce is never reused;
- every save or deletion of a help-centre object (pages and their revisions, images,
  documents, redirects, links from the portal) changes the *generation* that every key
  carries, so the next request renders again; entries also expire after
  ``GUICHET_PAGE_CACHE_SECONDS`` (a safety net for a change made outside the ORM, and a
  new release's templates);
- while the cache runs on a process's own memory (a Redis outage, ADR 0017) nothing is
  cached: another process could not see the invalidation.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.test.signals import setting_changed
from django.utils import translation

GENERATION_KEY = "cms:generation"
NONCE_MARK = "__guichet_csp_nonce__"
# Apps whose objects show on help-centre pages.
CMS_APPS = frozenset(
    {
        "cms",
        "wagtailcore",
        "wagtailimages",
        "wagtaildocs",
        "wagtailredirects",
        "wagtailsnippets",
        "taggit",
    }
)
KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control")


def generation() -> str:
    """The current generation of the help centre's content."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = uuid.uuid4().hex
        cache.add(GENERATION_KEY, value, None)
        value = cache.get(GENERATION_KEY, value)
    return value


def invalidate() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


@receiver(post_save, dispatch_uid="cms_page_cache_save")
@receiver(post_delete, dispatch_uid="cms_page_cache_delete")
def content_changed(sender, raw=False, **kwargs):
    if sender._meta.app_label in CMS_APPS and not raw:
        invalidate()


@receiver(setting_changed, dispatch_uid="cms_page_cache_settings")
def settings_changed(setting, **kwargs):
    """A setting changed in a running process (tests): branding, names, links may differ.
    A new cache (``CACHES``) starts empty: there is nothing to invalidate in it."""
    if setting != "CACHES":
        invalidate()


def enabled() -> bool:
    return settings.GUICHET_PAGE_CACHE_SECONDS > 0 and not getattr(cache, "degraded", False)


def key(kind: str, *parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f"cms:{kind}:{generation()}:{translation.get_language()}:{digest}"


def _anonymous(request) -> bool:
    return request.method == "GET" and not (
        settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES
    )


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if "private" in response.get("Cache-Control", "") or getattr(request, "is_preview", False):
        return False
    return b"csrfmiddlewaretoken" not in response.content


def cached_view(view):
    """Wrap Wagtail's page view: answer from the cache when the request may be."""

    def serve(request, *args, **kwargs):
        if not (enabled() and _anonymous(request)):
            return view(request, *args, **kwargs)
        page_key = key("page", request.get_host(), request.get_full_path())
        stored = cache.get(page_key)
        if stored is not None:
            body, headers = stored
            response = HttpResponse(body.replace(NONCE_MARK, str(request.csp_nonce)))
            for name, value in headers.items():
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if _storable(request, response):
            body = response.content.decode(response.charset)
            nonce = getattr(request, "_csp_nonce", None)
            if nonce:
                body = body.replace(nonce, NONCE_MARK)
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            cache.set(page_key, (body, headers), settings.GUICHET_PAGE_CACHE_SECONDS)
        return response

    return serve
