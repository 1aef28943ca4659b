"""Versions of the terms and charters, second factor (TOTP devices, emailed/SMS codes,
recovery codes), the security log a user can read, and the hashes of deleted accounts'
emails."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .core import Space, User

VERSION_FORMAT = RegexValidator(
    r"^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$",
    _("Lettres, chiffres, points, tirets : par exemple 2.1 ou 2026-03."),
)


class TermsVersion(models.Model):
    """One published version of a text people accept: the terms of use (CGU) or the
    charter of a kind of space. For each text, the latest version already published is
    current; a version whose date is still to come is scheduled. The body is plain text
    with a restricted markup (``identity.terms_text``), never HTML."""

    class Kind(models.TextChoices):
        CGU = "cgu", _("Conditions générales d'utilisation")
        CHARTER = "charter", _("Charte")

    kind = models.CharField(_("document"), max_length=10, choices=Kind.choices, default=Kind.CGU)
    # For a charter, the kind of space whose members accept it; empty for the CGU.
    space_kind = models.CharField(
        _("type d'espace"), max_length=20, choices=Space.Kind.choices, blank=True
    )
    version = models.CharField(_("version"), max_length=20, validators=[VERSION_FORMAT])
    summary = models.TextField(
        _("ce qui change"),
        blank=True,
        help_text=_("Quelques lignes montrées à la connexion, avant le texte."),
    )
    body = models.TextField(
        _("texte"),
        help_text=_(
            "Texte brut : une ligne vide sépare les paragraphes ; une ligne qui commence "
            "par « ## » est un intertitre ; une ligne qui commence par « - » est un "
            "élément de liste ; les adresses web deviennent des liens. Le HTML est "
            "affiché tel quel, jamais interprété."
        ),
    )
    published_at = models.DateTimeField(
        _("publiée le"),
        default=timezone.now,
        help_text=_(
            "Dès cette date, la version est en vigueur : chacun l'accepte à sa prochaine "
            "connexion. Une version publiée ne peut plus être modifiée."
        ),
    )

    class Meta:
        verbose_name = _("version des CGU ou d'une charte")
        verbose_name_plural = _("CGU et chartes")
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "space_kind", "version"], name="identity_terms_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="cgu", space_kind="")
                | (models.Q(kind="charter") & ~models.Q(space_kind="")),
                name="identity_terms_charter_has_space_kind",
            ),
        ]

    def __str__(self):
        return f"{self.title} — {self.version}"

    def get_absolute_url(self) -> str:
        if self.kind == self.Kind.CHARTER:
            return reverse("identity:charter_version", args=[self.space_kind, self.version])
        return reverse("identity:terms_version", args=[self.version])

    @property
    def title(self) -> str:
        if self.kind == self.Kind.CHARTER:
            return _("Charte : %(kind)s") % {"kind": self.get_space_kind_display()}
        return self.get_kind_display()

    @property
    def is_published(self) -> bool:
        return self.published_at <= timezone.now()

    def clean(self):
        super().clean()
        if self.kind == self.Kind.CHARTER and not self.space_kind:
            raise ValidationError(
                {"space_kind": _("Choisissez le type d'espace auquel la charte s'applique.")}
            )
        if self.kind == self.Kind.CGU and self.space_kind:
            raise ValidationError(
                {"space_kind": _("Les CGU valent pour tous : laissez ce champ vide.")}
            )


class TermsAcceptance(models.Model):
    """A person accepted one version of a text, at this time (sign-up or login)."""

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
        FEDERATION_LINKED = (
            "federation_linked",
            _("Connexion par FranceConnect ou ProConnect ajoutée"),
        )
        FEDERATION_UNLINKED = (
            "federation_unlinked",
            _("Connexion par FranceConnect ou ProConnect retirée"),
        )

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
