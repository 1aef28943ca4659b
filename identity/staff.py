"""The staff-area rule and the one login door (docs/adr/0007-one-login-staff-areas.md).

- **One login.** Password-only login views mounted by Django admin and Wagtail are
  "doors": they never run; they send to the portal's login (ALTCHA, rate limits, second
  factor) with the ``next`` they were given.
- **Staff areas** (Django admin, Wagtail admin, instruction, later organisation
  management) are URL prefixes. Whoever enters one must be logged in, be a member of the
  area, and have passed the second factor with an authenticator app or an OTP card.

``staff_access_denial`` is the one function that decides. ``StaffAreaMiddleware`` calls
it for every registered prefix before any of the area's views runs, so a new screen in an
area cannot forget it; ``staff_area_required`` calls it for a view outside those prefixes.
A new area registers itself with ``staff_area_register`` from its app's ``ready()``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .selectors import signed_in_with_app, totp_devices_for

PORTAL_LOGIN = "account_login"

# Login views mounted by third-party apps that check a password alone. Every login view
# the URL resolver knows is tried by tests/identity/test_login_doors.py.
LOGIN_DOORS = ("admin:login", "wagtailadmin_login", "wagtailcore_login")
# Password pages mounted by third-party apps: they skip the portal's rules (current
# password re-checked under its limits, other sessions ended, the owner notified).
PASSWORD_DOORS = ("admin:password_change",)
PORTAL_PASSWORD_CHANGE = "account_change_password"  # noqa: S105 -- a URL name


@dataclass(frozen=True)
class StaffArea:
    url_name: str  # reversed to find the area's prefix
    may_enter: Callable  # user -> bool: who belongs to the area


_areas: dict[str, StaffArea] = {}


def staff_area_register(*, url_name: str, may_enter: Callable) -> None:
    """Put every URL under ``reverse(url_name)`` behind the staff-area rule."""
    _areas[url_name] = StaffArea(url_name=url_name, may_enter=may_enter)


def _reverse_or_none(url_name: str) -> str | None:
    """The path of ``url_name``, kept per URLconf: every request checks about ten."""
    return _reverse(url_name, get_urlconf(), settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=128)
def _reverse(url_name: str, urlconf, _root_urlconf, _script_prefix) -> str | None:
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:  # a test URLconf without this area
        return None


def area_for_path(path: str) -> StaffArea | None:
    for area in _areas.values():
        prefix = _reverse_or_none(area.url_name)
        if prefix and path.startswith(prefix):
            return area
    return None


def staff_access_denial(request, *, may_enter: Callable):
    """The response refusing this request a staff screen, or None when it may pass.

    Anonymous: the portal's login. Not a member: 404 (staff screens are not advertised).
    A member whose session's second factor was an emailed or SMS code: a 403 page that
    explains how to enrol an authenticator app and log in again.
    """
    passed = request.__dict__.setdefault("_staff_areas_passed", set())
    if may_enter in passed:  # the middleware already checked this area for this request
        return None
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=reverse(PORTAL_LOGIN))
    if not may_enter(user):
        raise Http404
    if not signed_in_with_app(request):
        has_device = totp_devices_for(user=user).exists()
        return render(
            request, "identity/staff_login_required.html", {"has_device": has_device}, status=403
        )
    passed.add(may_enter)
    return None


def staff_area_required(may_enter: Callable):
    """Decorator: the staff-area rule for one view, whatever its URL."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            denial = staff_access_denial(request, may_enter=may_enter)
            return denial or view(request, *args, **kwargs)

        return wrapper

    return decorator


def _door_redirect(request, path: str):
    """Send a login door to the portal's login, keeping a safe ``next``."""
    for name in LOGIN_DOORS:
        if _reverse_or_none(name) == path:
            break
    else:
        return None
    area = area_for_path(path)
    fallback = _reverse_or_none(area.url_name) if area else "/"
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    if request.user.is_authenticated:
        return HttpResponseRedirect(target)
    return redirect_to_login(target, login_url=reverse(PORTAL_LOGIN))


class StaffAreaMiddleware:
    """Applies the staff-area rule to every registered prefix and closes the login doors.

    Place it after AuthenticationMiddleware and allauth's AccountMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(_reverse_or_none(name) == request.path for name in PASSWORD_DOORS):
            return HttpResponseRedirect(reverse(PORTAL_PASSWORD_CHANGE))
        door = _door_redirect(request, request.path)
        if door is not None:
            return door
        area = area_for_path(request.path)
        if area is not None:
            denial = staff_access_denial(request, may_enter=area.may_enter)
            if denial is not None:
                return denial
        return self.get_response(request)
