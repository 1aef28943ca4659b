"""Access to one case without an account: signed links and the tracking session.

A signed link (valid ``LINK_MAX_AGE``) or a successful "Suivre mes demandes" lookup puts the
case id in the session; that session then opens this case only.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse

from identity import ratelimit
from identity.crypto import keyed_hash

LINK_MAX_AGE = timedelta(days=30)
_SALT = "cases.tracking-link"
_SESSION_KEY = "tracked_cases"


def make_link(case) -> str:
    token = signing.dumps({"case": str(case.pk), "email": case.applicant_email}, salt=_SALT)
    return settings.GUICHET_SITE_URL.rstrip("/") + reverse("cases:track_link", args=[token])


def read_link(token: str) -> dict | None:
    """The link's payload, or None when it is tampered with or older than 30 days."""
    try:
        return signing.loads(token, salt=_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None


def grant(session, case) -> None:
    tracked = session.get(_SESSION_KEY, [])
    if str(case.pk) not in tracked:
        session[_SESSION_KEY] = [*tracked, str(case.pk)][-20:]


def granted_ids(session) -> list[str]:
    return session.get(_SESSION_KEY, [])


ALTCHA_AFTER_FAILURES = 3
_FAILURES_WINDOW = 15 * 60


def _failures_key(ip: str) -> str:
    return "guichet:tracking-failures:" + keyed_hash(ip, purpose="tracking")[:32]


def failures(ip: str) -> int:
    """Misses of "Suivre mes demandes" from this address in the last 15 minutes."""
    return cache.get(_failures_key(ip), 0)


def failure_record(ip: str) -> None:
    ratelimit.increment(_failures_key(ip), window=_FAILURES_WINDOW)
