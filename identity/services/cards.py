"""OTP cards: the stock imported from the supplier's seed file, linking a card to a member,
reporting it lost (ADR 0309).

A physical card's secret is encrypted when the file is read and never shown again; linking
copies it into the member's ``TotpDevice`` (kind ``card``). A "digital card" is a fresh
secret shown as a QR code on the manager's screen for the member's phone. Either way the
link holds only once a code read from the card is accepted by
``second_factor.totp_code_check`` — the one place codes are checked.
"""

import base64
import binascii

import pyotp
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from identity.crypto import decrypt_secret, encrypt_secret
from identity.models import (
    Membership,
    Notification,
    OtpCard,
    RecoveryCode,
    SecurityEvent,
    Space,
    SpaceEvent,
    TotpDevice,
    User,
)

from .imports import ImportReport, csv_rows
from .notifications import notification_enqueue
from .second_factor import totp_code_check
from .security_log import security_event_record
from .space_log import space_event_record

CARD_PERIODS = (30, 60)
MIN_SECRET_BYTES = 10  # 80 bits, RFC 4226's minimum


def _secret_ok(secret: str) -> bool:
    try:
        raw = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    except (binascii.Error, ValueError):
        return False
    return len(raw) >= MIN_SECRET_BYTES


def otp_cards_import(*, data: bytes | str):
    """Cards from the supplier's CSV: serial, base32 secret, period (30 or 60 seconds).
    A serial already known is left alone (its secret is not replaced)."""
    report = ImportReport()
    for line, cells in csv_rows(data):
        if len(cells) < 3:
            report.errors.append(
                _("Ligne %(line)d : il faut le numéro de série, le secret et la durée.")
                % {"line": line}
            )
            continue
        serial, secret, period = cells[0], cells[1].replace(" ", "").upper(), cells[2]
        if line == 1 and not period.isdigit():
            continue  # header
        problems = []
        if not serial or len(serial) > 64:
            problems.append(_("numéro de série absent ou trop long"))
        if not _secret_ok(secret):
            problems.append(_("secret illisible (base32 de 16 caractères au moins attendu)"))
        if not period.isdigit() or int(period) not in CARD_PERIODS:
            problems.append(_("durée de 30 ou 60 secondes attendue"))
        if problems:
            report.errors.append(
                _("Ligne %(line)d : %(problems)s") % {"line": line, "problems": "; ".join(problems)}
            )
            continue
        try:
            with transaction.atomic():
                _card, created = OtpCard.objects.get_or_create(
                    serial=serial,
                    defaults={"secret_encrypted": encrypt_secret(secret), "period": int(period)},
                )
        except IntegrityError:
            created = False
        if created:
            report.created += 1
        else:
            report.skipped += 1
    return report


def card_available(*, serial: str) -> OtpCard | None:
    return OtpCard.objects.filter(
        serial=serial.strip(), status=OtpCard.Status.AVAILABLE, device__isnull=True
    ).first()


def _pending_device(membership: Membership, **fields) -> TotpDevice:
    """A new unconfirmed card device of the member (replacing an unconfirmed one)."""
    TotpDevice.objects.filter(
        user=membership.user, kind=TotpDevice.Kind.CARD, confirmed_at=None
    ).delete()
    return TotpDevice.objects.create(
        user=membership.user, kind=TotpDevice.Kind.CARD, space=membership.space, **fields
    )


def card_link_physical_start(*, membership: Membership, card: OtpCard) -> TotpDevice:
    return _pending_device(
        membership,
        label=_("Carte OTP n° %(serial)s") % {"serial": card.serial},
        secret_encrypted=encrypt_secret(decrypt_secret(card.secret_encrypted)),
        period=card.period,
    )


def card_link_digital_start(*, membership: Membership) -> TotpDevice:
    return _pending_device(
        membership,
        label=_("Carte numérique"),
        secret_encrypted=encrypt_secret(pyotp.random_base32()),
    )


def card_link_confirm(
    *, device: TotpDevice, code: str, by: User, card: OtpCard | None = None, request=None
) -> str:
    """Confirm the link with a code read from the card: "ok", "next" (a drifted card: the
    next code resynchronises it) or "wrong". A physical card must still be in stock."""
    if device.confirmed_at is not None:
        return "wrong"
    result = totp_code_check(device=device, code=code)
    if result != "ok":
        return result
    with transaction.atomic():
        if card is not None:
            taken = OtpCard.objects.filter(
                pk=card.pk, status=OtpCard.Status.AVAILABLE, device__isnull=True
            ).update(status=OtpCard.Status.LINKED, device=device)
            if not taken:
                device.delete()
                return "wrong"
        device.confirmed_at = timezone.now()
        device.save(update_fields=["confirmed_at"])
        _record(
            device,
            by=by,
            space_kind=SpaceEvent.Kind.CARD_LINKED,
            security_kind=SecurityEvent.Kind.CARD_LINKED,
            request=request,
        )
        notification_enqueue(
            channel=Notification.Channel.EMAIL,
            recipient=device.user.email,
            subject=_("Une carte OTP est associée à votre compte"),
            body_text=render_to_string(
                "identity/email/card_linked.txt",
                {"label": device.label, "space": device.space.name if device.space else ""},
            ),
        )
    return "ok"


def _record(device, *, by, space_kind, security_kind, request=None) -> None:
    if device.space is not None:
        space_event_record(
            space=device.space, kind=space_kind, actor=by, subject=device.user, detail=device.label
        )
    security_event_record(
        user=device.user, kind=security_kind, request=request, detail=device.label
    )


def _unlink(device: TotpDevice, *, card_status: str) -> None:
    OtpCard.objects.filter(device=device).update(
        status=card_status,
        device=None,
        lost_at=timezone.now() if card_status == OtpCard.Status.LOST else None,
    )
    user = device.user
    device.delete()
    if not TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists():
        RecoveryCode.objects.filter(user=user).delete()


@transaction.atomic
def card_report_lost(*, device: TotpDevice, by: User, request=None) -> None:
    """Unlink a card at once: its codes stop working with this request. A physical card
    is marked lost and never linked again."""
    _record(
        device,
        by=by,
        space_kind=SpaceEvent.Kind.CARD_LOST,
        security_kind=SecurityEvent.Kind.CARD_LOST,
        request=request,
    )
    _unlink(device, card_status=OtpCard.Status.LOST)


def cards_of_space_release(*, space: Space, user: User, by: User) -> None:
    """A member leaves or is removed: the cards this space linked to them are unlinked and
    go back to stock (the manager hands them to someone else)."""
    for device in TotpDevice.objects.filter(user=user, space=space, kind=TotpDevice.Kind.CARD):
        security_event_record(user=user, kind=SecurityEvent.Kind.TOTP_REMOVED, detail=device.label)
        _unlink(device, card_status=OtpCard.Status.AVAILABLE)
