"""When a public form asks for the anti-robot check (ALTCHA): only when the risk calls for it.

The ALTCHA widget needs JavaScript. So that a person without JavaScript can sign up, log
in, ask for a new password or follow a demande, a form shows it only after *risk
events* (login failures, tracking misses, sign-ups, password-reset or activation-link
requests) within a window: from this IP, against the address typed, or site-wide (a burst
of sign-ups). The numbers are in ``settings.GUICHET_ANTIROBOT`` (ADR 0305).

A form asks for the check as soon as the IP or site-wide signal is up; when only the
address is at risk, the form learns it on submission and asks for the check then.
"""

from django.conf import settings

from . import ratelimit

SITE = "site"


def _rule(flow: str) -> dict:
    return settings.GUICHET_ANTIROBOT[flow]


def _signals(request, flow: str, identifier: str) -> list[tuple[str, str, str]]:
    """(threshold name, counter name, key) of each signal that applies."""
    signals = [("ip", f"antirobot:{flow}:ip", ratelimit.client_ip(request))]
    if identifier:
        signals.append(("identifier", f"antirobot:{flow}:identifier", identifier.lower()))
    signals.append((SITE, f"antirobot:{flow}:site", SITE))
    return [signal for signal in signals if signal[0] in _rule(flow)]


def required(request, flow: str, identifier: str = "") -> bool:
    """Whether the form of ``flow`` must carry a solved ALTCHA challenge now."""
    rule = _rule(flow)
    return any(
        ratelimit.counter_get(name, key) >= rule[threshold]
        for threshold, name, key in _signals(request, flow, identifier)
    )


def record(request, flow: str, identifier: str = "") -> None:
    """Count one risk event of ``flow`` from this request (and against ``identifier``)."""
    window = _rule(flow)["window"]
    for _threshold, name, key in _signals(request, flow, identifier):
        ratelimit.counter_add(name, key, window=window)
