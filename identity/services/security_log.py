"""The security log a user reads: what happened to their account, from which device."""

import re

from identity.models import SecurityEvent, User

_BROWSERS = [
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def describe_device(user_agent: str) -> str:
    """A coarse "browser on system" label; never the full user agent."""
    browser = next((name for token, name in _BROWSERS if token in user_agent), "")
    system = next((name for token, name in _SYSTEMS if re.search(token, user_agent)), "")
    if browser and system:
        return f"{browser} · {system}"
    return browser or system or "Appareil inconnu"


def security_event_record(
    *, user: User, kind: str, request=None, detail: str = ""
) -> SecurityEvent:
    ip_address = None
    device = ""
    if request is not None:
        ip_address = request.META.get("REMOTE_ADDR") or None
        device = describe_device(request.META.get("HTTP_USER_AGENT", ""))
    return SecurityEvent.objects.create(
        user=user, kind=kind, ip_address=ip_address, device=device, detail=detail[:200]
    )
