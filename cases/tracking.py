"""Access to one case without an account: signed links and the tracking session.

A signed link (valid ``LINK_MAX_AGE``) or a successful "Suivre mes demandes" lookup puts the
case id in the session; that session then opens this case only.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

LINK_MAX_AGE = timedelta(days=30)
_SALT = "cases.tracking-link"
_SESSION_KEY = "tracked_cases"


def make_link(case) -> str:
    token = signing.dumps({"case": str(case.pk), "email": case.applicant_email}, salt=_SALT)
    return settings.GUICHET_SITE_URL.rstrip("/") + reverse("cases:track_link", args=[token])


# Where a link may go on to once it has opened the demande: ``?suite=<name>``.
NEXT_STEPS = {"archive": "cases:case_archive"}


def then(link: str, step: str) -> str:
    """The same link, going on to ``step`` (a name of ``NEXT_STEPS``) after the demande
    page's access is granted."""
    assert step in NEXT_STEPS
    return f"{link}?suite={step}"


def next_url(request, case) -> str:
    """Where an opened link goes: the step it names, else the demande page."""
    step = NEXT_STEPS.get(request.GET.get("suite", ""), "cases:case_detail")
    return reverse(step, args=[case.number])


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
