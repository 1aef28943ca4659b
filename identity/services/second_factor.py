"""Second factor: TOTP devices (app or card), one-time codes by SMS or email, recovery codes.

- TOTP: ±1 time step of tolerance around the device's learnt drift; the last accepted step
  is stored per device and a code whose step is not newer is refused, so a code is never
  accepted twice. An OTP card whose clock is a few steps off is resynchronised by two
  consecutive codes (the drift is then stored); the window is never widened for anyone
  (ADR 0309). ``totp_code_check`` is the one place a TOTP code is checked.
- Login codes: 6 digits from ``secrets``, stored as a keyed hash bound to the login
  attempt, valid 10 minutes, single use; issuing a new one voids every older one; the 5th
  wrong code voids it. Sends per account are limited (``code_send``): each correct
  password would otherwise send an SMS, at the operator's cost.
- Recovery codes: 10 single-use codes shown once, stored as keyed hashes.
"""

import secrets
from datetime import timedelta

import pyotp
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from identity import ratelimit
from identity.crypto import decrypt_secret, encrypt_secret, keyed_hash, keyed_hash_matches
from identity.models import LoginCode, Notification, RecoveryCode, SecurityEvent, TotpDevice, User

from .notifications import notification_enqueue
from .security_log import security_event_record

CODE_TTL = timedelta(minutes=10)
CODE_MAX_FAILURES = 5
TOTP_STEP = 30
# How far (in steps, either way) a card's code is looked for to start a resynchronisation.
RESYNC_STEPS = 10
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def _code_digest(attempt: str, code: str) -> str:
    return keyed_hash(f"{attempt}:{code}", purpose="login-code")


def login_code_issue(
    *, user: User, attempt: str, request=None, sms_to: str = ""
) -> LoginCode | None:
    """Send a fresh code for this login attempt; every older code of the user stops working.

    ``sms_to``: a mobile number given by someone else, which the code proves (an invited
    member's first connection, ADR 0308); otherwise the verified mobile, else the email.
    None (nothing sent, older codes untouched) while the account has had too many codes.
    """
    limit = [("code_send", str(user.pk))]
    if ratelimit.blocked(limit):
        return None
    ratelimit.hit_all(limit)
    now = timezone.now()
    code = f"{secrets.randbelow(1_000_000):06d}"
    mobile = sms_to or user.verified_phone
    channel = Notification.Channel.SMS if mobile else Notification.Channel.EMAIL
    with transaction.atomic():
        LoginCode.objects.filter(user=user, used_at=None, voided_at=None).update(voided_at=now)
        login_code = LoginCode.objects.create(
            user=user,
            attempt=attempt,
            code_hash=_code_digest(attempt, code),
            channel=channel,
            created_at=now,
            expires_at=now + CODE_TTL,
        )
        context = {"code": code, "minutes": int(CODE_TTL.total_seconds() // 60)}
        if channel == Notification.Channel.SMS:
            notification_enqueue(
                channel=channel,
                recipient=mobile,
                body_text=render_to_string("identity/sms/login_code.txt", context).strip(),
                urgent=True,
            )
        else:
            notification_enqueue(
                channel=channel,
                recipient=user.email,
                subject=_("Votre code de connexion"),
                body_text=render_to_string("identity/email/login_code.txt", context),
                urgent=True,
            )
        security_event_record(
            user=user,
            kind=SecurityEvent.Kind.CODE_SENT,
            request=request,
            detail=_("par SMS") if channel == Notification.Channel.SMS else _("par courriel"),
        )
    return login_code


def login_code_verify(*, user: User, attempt: str, code: str) -> str:
    """Check a typed code. Returns "ok", "wrong" (try again) or "void" (ask for a new one)."""
    now = timezone.now()
    with transaction.atomic():
        latest = (
            LoginCode.objects.select_for_update()
            .filter(user=user, used_at=None, voided_at=None)
            .order_by("-created_at")
            .first()
        )
        if latest is None or latest.attempt != attempt or latest.expires_at <= now:
            return "void"
        if keyed_hash_matches(f"{attempt}:{code}", latest.code_hash, purpose="login-code"):
            latest.used_at = now
            latest.save(update_fields=["used_at"])
            return "ok"
        latest.failures += 1
        if latest.failures >= CODE_MAX_FAILURES:
            latest.voided_at = now
        latest.save(update_fields=["failures", "voided_at"])
        return "void" if latest.voided_at else "wrong"


def totp_device_start(*, user: User) -> TotpDevice:
    """A new unconfirmed app device with a fresh secret (replaces any unconfirmed one)."""
    TotpDevice.objects.filter(user=user, confirmed_at=None).delete()
    return TotpDevice.objects.create(
        user=user,
        kind=TotpDevice.Kind.APP,
        label=_("Application d'authentification"),
        secret_encrypted=encrypt_secret(pyotp.random_base32()),
    )


def totp_secret(device: TotpDevice) -> str:
    return decrypt_secret(device.secret_encrypted)


def totp_provisioning_uri(device: TotpDevice) -> str:
    return pyotp.TOTP(totp_secret(device), interval=device.period).provisioning_uri(
        name=device.user.email, issuer_name=settings.GUICHET_OPERATOR_NAME
    )


def _current_step(device: TotpDevice) -> int:
    return int(timezone.now().timestamp()) // device.period


def _matching_step(totp, code: str, steps) -> int | None:
    for step in steps:
        if constant_time_compare(totp.generate_otp(step), code):
            return step
    return None


def _accept(device: TotpDevice, step: int, **changes) -> bool:
    """Record ``step`` as used, only if it is newer than every step accepted before: of
    two requests carrying the same code, one wins (a conditional UPDATE)."""
    won = TotpDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(
        last_used_step=step, resync_step=None, **changes
    )
    if won:
        device.last_used_step = step
        device.resync_step = None
        for name, value in changes.items():
            setattr(device, name, value)
    return bool(won)


def totp_code_check(*, device: TotpDevice, code: str) -> str:
    """Check a 6-digit code of ``device``. Returns:

    - "ok": accepted (its step is now used: the same code, or an older one, never again);
    - "next": an OTP card whose clock has drifted: this code was found a few steps away
      and is kept; the card's next code, if it is the consecutive one, resynchronises the
      card and is accepted;
    - "wrong": refused.
    """
    code = (code or "").strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return "wrong"
    totp = pyotp.TOTP(totp_secret(device), interval=device.period)
    expected = _current_step(device) + device.drift
    fresh = [s for s in range(expected - 1, expected + 2) if s > device.last_used_step]
    step = _matching_step(totp, code, fresh)
    if step is not None:
        return "ok" if _accept(device, step) else "wrong"
    if device.kind != TotpDevice.Kind.CARD:
        return "wrong"
    # Resynchronisation: only a card, only two consecutive codes, each used once.
    wide = range(expected - RESYNC_STEPS, expected + RESYNC_STEPS + 1)
    step = _matching_step(totp, code, [s for s in wide if s > device.last_used_step])
    if step is None:
        return "wrong"
    if device.resync_step is not None and step == device.resync_step + 1:
        drift = step - _current_step(device)
        return "ok" if _accept(device, step, drift=drift) else "wrong"
    TotpDevice.objects.filter(pk=device.pk).update(resync_step=step)
    device.resync_step = step
    return "next"


def totp_device_verify(*, device: TotpDevice, code: str) -> bool:
    return totp_code_check(device=device, code=code) == "ok"


def totp_device_confirm(*, device: TotpDevice, code: str, request=None) -> list[str] | None:
    """Confirm an enrolment with a first code; returns the new recovery codes, or None."""
    if device.confirmed_at is not None or not totp_device_verify(device=device, code=code):
        return None
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    security_event_record(user=device.user, kind=SecurityEvent.Kind.TOTP_ADDED, request=request)
    return recovery_codes_regenerate(user=device.user, request=request)


def totp_device_remove(*, user: User, device_id: int, request=None) -> bool:
    deleted, _rows = TotpDevice.objects.filter(user=user, pk=device_id).delete()
    if not deleted:
        return False
    if not TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists():
        RecoveryCode.objects.filter(user=user).delete()
    security_event_record(user=user, kind=SecurityEvent.Kind.TOTP_REMOVED, request=request)
    return True


def _normalise_recovery(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def recovery_codes_regenerate(*, user: User, request=None) -> list[str]:
    """Replace the user's recovery codes with 10 new ones, returned in clear once."""
    codes = [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, code_hash=keyed_hash(code, purpose="recovery-code"))
            for code in codes
        )
        security_event_record(user=user, kind=SecurityEvent.Kind.RECOVERY_CODES, request=request)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def recovery_codes_current(*, user: User, codes: list[str]) -> bool:
    """True when ``codes`` are all unused recovery codes of ``user``: the download of the
    codes just shown sends them back, and only genuine ones are echoed into a file."""
    if not codes or len(codes) > RECOVERY_CODE_COUNT:
        return False
    digests = {keyed_hash(_normalise_recovery(code), purpose="recovery-code") for code in codes}
    found = RecoveryCode.objects.filter(user=user, code_hash__in=digests, used_at=None).count()
    return found == len(digests) == len(codes)


def recovery_code_use(*, user: User, code: str, request=None) -> bool:
    digest = keyed_hash(_normalise_recovery(code), purpose="recovery-code")
    used = RecoveryCode.objects.filter(user=user, code_hash=digest, used_at=None).update(
        used_at=timezone.now()
    )
    if used:
        security_event_record(
            user=user, kind=SecurityEvent.Kind.RECOVERY_CODE_USED, request=request
        )
    return bool(used)
