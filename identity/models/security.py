"""Terms versions, second factor (TOTP devices, emailed/SMS codes, recovery codes),
the security log a user can read, and the hashes of deleted accounts' emails."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .core import User


class TermsVersion(models.Model):
    """A published version of the terms of use (CGU). The latest published one is current."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    url = models.CharField(_("adresse du texte"), max_length=200, default="/cgu/")
    published_at = models.DateTimeField(_("publiée le"), default=timezone.now)

    class Meta:
        verbose_name = _("version des CGU")
        verbose_name_plural = _("versions des CGU")
        ordering = ["-published_at"]

    def __str__(self):
        return self.version


class TermsAcceptance(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="terms_acceptances")
    terms = models.ForeignKey(TermsVersion, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(_("acceptée le"), default=timezone.now)

    class Meta:
        verbose_name = _("acceptation des CGU")
        verbose_name_plural = _("acceptations des CGU")
        constraints = [
            models.UniqueConstraint(fields=["user", "terms"], name="identity_terms_once"),
        ]

    def __str__(self):
        return f"{self.user} — {self.terms}"


class TotpDevice(models.Model):
    """An authenticator app or an OTP card (physical, or "digital": an app a manager
    enrolled). The secret is encrypted at rest. Codes are checked by
    ``identity.services.second_factor.totp_code_check`` only."""

    class Kind(models.TextChoices):
        APP = "app", _("Application d'authentification")
        CARD = "card", _("Carte OTP")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="totp_devices")
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.APP)
    label = models.CharField(_("nom"), max_length=100, blank=True)
    secret_encrypted = models.TextField(_("secret chiffré"))
    period = models.PositiveSmallIntegerField(_("durée d'un code (secondes)"), default=30)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    # The last accepted time step (of ``period`` seconds): a code is never accepted twice.
    last_used_step = models.BigIntegerField(_("dernier pas utilisé"), default=0)
    # A card's clock drift, in steps, learnt from two consecutive codes (resynchronisation).
    drift = models.IntegerField(_("décalage (pas)"), default=0)
    # The step of a code found outside the window: the next consecutive code resynchronises.
    resync_step = models.BigIntegerField(null=True, blank=True, editable=False)
    # The organisation space whose manager linked this card (its log records it).
    space = models.ForeignKey(
        "identity.Space",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("associée par l'espace"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("dispositif TOTP")
        verbose_name_plural = _("dispositifs TOTP")

    def __str__(self):
        return f"{self.get_kind_display()} — {self.user}"


class OtpCard(models.Model):
    """A physical TOTP card in stock, imported from the supplier's seed file.

    The secret is encrypted as soon as it is read and never shown again; linking the card
    to a member copies it into that member's ``TotpDevice``. A lost card is never linked
    again.
    """

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Disponible")
        LINKED = "linked", _("Associée")
        LOST = "lost", _("Perdue")

    serial = models.CharField(_("numéro de série"), max_length=64, unique=True)
    secret_encrypted = models.TextField(_("secret chiffré"))
    period = models.PositiveSmallIntegerField(_("durée d'un code (secondes)"), default=30)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.AVAILABLE
    )
    device = models.OneToOneField(
        TotpDevice,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="card",
        verbose_name=_("dispositif"),
    )
    imported_at = models.DateTimeField(_("importée le"), default=timezone.now)
    lost_at = models.DateTimeField(_("perdue le"), null=True, blank=True)

    class Meta:
        verbose_name = _("carte OTP")
        verbose_name_plural = _("cartes OTP")
        ordering = ["serial"]

    def __str__(self):
        return self.serial


class RecoveryCode(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("code de secours")
        verbose_name_plural = _("codes de secours")

    def __str__(self):
        return f"{self.user} ({'utilisé' if self.used_at else 'disponible'})"


class LoginCode(models.Model):
    """A 6-digit code sent by email or SMS for one login attempt; only the latest is valid."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_codes")
    attempt = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    channel = models.CharField(max_length=10)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    failures = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("code de connexion")
        verbose_name_plural = _("codes de connexion")
        indexes = [models.Index(fields=["user", "created_at"], name="identity_logincode_user_idx")]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class SecurityEvent(models.Model):
    """An entry of the security log the user reads in "Connexion et sécurité"."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Connexion")
        SECOND_FACTOR_FAILED = "second_factor_failed", _("Code de connexion erroné")
        CODE_SENT = "code_sent", _("Code de connexion envoyé")
        PASSWORD_CHANGED = "password_changed", _("Mot de passe modifié")
        PASSWORD_RESET = "password_reset", _("Mot de passe réinitialisé")
        PHONE_CHANGED = "phone_changed", _("Téléphone mobile modifié")
        TOTP_ADDED = "totp_added", _("Application d'authentification ajoutée")
        TOTP_REMOVED = "totp_removed", _("Application d'authentification retirée")
        RECOVERY_CODES = "recovery_codes", _("Codes de secours créés")
        RECOVERY_CODE_USED = "recovery_code_used", _("Code de secours utilisé")
        CARD_LINKED = "card_linked", _("Carte OTP associée")
        CARD_LOST = "card_lost", _("Carte OTP déclarée perdue")
        LOGOUT = "logout", _("Déconnexion")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="security_events")
    kind = models.CharField(_("événement"), max_length=30, choices=Kind.choices)
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    device = models.CharField(_("appareil"), max_length=100, blank=True)
    detail = models.CharField(_("détail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("événement de sécurité")
        verbose_name_plural = _("journal de sécurité")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="identity_secevent_user_idx")]

    def __str__(self):
        return f"{self.user} {self.get_kind_display()}"


class DeletedAccount(models.Model):
    """The keyed hash of a deleted account's email: that email cannot sign up until expiry."""

    email_hash = models.CharField(max_length=64, db_index=True)
    deleted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("compte supprimé")
        verbose_name_plural = _("comptes supprimés")

    def __str__(self):
        return f"{self.email_hash[:12]}… ({self.deleted_at:%Y-%m-%d})"
