"""allauth adapter: every email through the outbox, our login stages (second factor, then
the terms to accept), rate limits with back-off, the 30-day window to resend an activation
link, and the security log."""

from datetime import timedelta

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.forms import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import antirobot, ratelimit
from .models import Notification, SecurityEvent, User
from .services import notification_enqueue, security_event_record
from .services.accounts import deleted_email_blocked_until


def too_many_attempts(seconds: int) -> ValidationError:
    minutes = max(1, (seconds + 59) // 60)
    return ValidationError(
        ngettext(
            "Trop de tentatives. Réessayez dans %(n)d minute.",
            "Trop de tentatives. Réessayez dans %(n)d minutes.",
            minutes,
        )
        % {"n": minutes},
        code="rate_limited",
    )


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context_data: dict) -> None:
        """Render allauth's message and write it to the outbox instead of sending it.

        Every allauth message (code, activation, password reset) is awaited by someone on a
        page: urgent."""
        request = context.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "operator_name": settings.GUICHET_OPERATOR_NAME,
        }
        ctx.update(context_data)
        message = self.render_mail(template_prefix, email, ctx)
        body_html = next(
            (body for body, mime in getattr(message, "alternatives", []) if mime == "text/html"),
            "",
        )
        notification_enqueue(
            channel=Notification.Channel.EMAIL,
            recipient=email,
            subject=message.subject,
            body_text=message.body,
            body_html=body_html,
            urgent=True,
        )

    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.GUICHET_OPERATOR_NAME}] {subject}"

    def send_confirmation_mail(self, request, emailconfirmation, signup: bool) -> None:
        """No new activation link once the resend window after signup has passed."""
        user = emailconfirmation.email_address.user
        window = timedelta(days=settings.GUICHET_SIGNUP_RESEND_DAYS)
        if not emailconfirmation.email_address.verified and user.date_joined + window < (
            timezone.now()
        ):
            return
        super().send_confirmation_mail(request, emailconfirmation, signup)

    def send_account_already_exists_mail(self, email: str) -> None:
        """A signup with an address in use gets an email instead of an on-screen message;
        an address of an account deleted less than a year ago is told why it must wait."""
        until = deleted_email_blocked_until(email)
        if until is None or User.objects.filter(email__iexact=email).exists():
            super().send_account_already_exists_mail(email)
            return
        self.send_mail(
            "account/email/account_deleted_recently",
            email,
            {"available_on": timezone.localdate(until)},
        )

    def get_login_stages(self) -> list[str]:
        return [
            *super().get_login_stages(),
            "identity.stages.SecondFactorStage",
            "identity.stages.TermsStage",
        ]

    @staticmethod
    def _identifier(credentials) -> str:
        typed = credentials.get("email") or credentials.get("reference")
        return (typed or credentials.get("username") or "").lower()

    def _login_keys(self, request, credentials) -> list[tuple[str, str]]:
        """Blocks per IP and per (identifier, IP), never per identifier alone: failures
        typed from elsewhere must not lock the owner out (ADR 0305). Against one
        identifier from many places, the anti-robot check is asked instead."""
        ip = ratelimit.client_ip(request)
        return [
            ("login_ip", ip),
            ("login_account", ratelimit.pair(self._identifier(credentials), ip)),
        ]

    def pre_authenticate(self, request, **credentials) -> None:
        wait = ratelimit.blocked(self._login_keys(request, credentials))
        if wait:
            raise too_many_attempts(wait)
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request, **credentials) -> None:
        ratelimit.hit_all(self._login_keys(request, credentials))
        antirobot.record(request, "login", self._identifier(credentials))

    def login(self, request, user) -> None:
        super().login(request, user)
        security_event_record(user=user, kind=SecurityEvent.Kind.LOGIN, request=request)

    def logout(self, request) -> None:
        if request.user.is_authenticated:
            security_event_record(
                user=request.user, kind=SecurityEvent.Kind.LOGOUT, request=request
            )
        super().logout(request)

    def get_client_ip(self, request) -> str:
        return ratelimit.client_ip(request)

    def validation_error(self, code, *args):
        if code == "email_password_mismatch":
            # The identifier may be an email or a reference number (ADR 0311).
            return ValidationError(_("L'identifiant ou le mot de passe est incorrect."), code=code)
        if code == "too_many_login_attempts":
            return ValidationError(
                _("Trop de tentatives. Réessayez dans quelques minutes."), code=code
            )
        return super().validation_error(code, *args)
