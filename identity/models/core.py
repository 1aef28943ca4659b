"""People and how to reach them: users, spaces, memberships, notification outbox."""

import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. The email is the identifier, unique whatever its case."""

    email = models.EmailField(_("adresse électronique"), max_length=254, unique=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    # Mobile phone in E.164; codes and reset links go there once it is verified.
    phone = models.CharField(_("téléphone mobile"), max_length=20, blank=True)
    phone_verified_at = models.DateTimeField(_("mobile vérifié le"), null=True, blank=True)
    no_mobile = models.BooleanField(_("pas de mobile"), default=False)
    newsletter_opt_in = models.BooleanField(_("lettre d'information"), default=False)
    alerts_opt_in = models.BooleanField(_("alertes personnalisées"), default=False)
    is_staff = models.BooleanField(_("accès à l'administration"), default=False)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="identity_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email

    @property
    def verified_phone(self) -> str:
        """The mobile number codes may be sent to, or an empty string."""
        return self.phone if self.phone and self.phone_verified_at else ""


class Space(models.Model):
    """The single owner of demandes and documents: a person's own space or an organisation's.

    An organisation imported by an administrator (``member_number`` set) waits without a
    manager until someone types its member number (ADR 0308).
    """

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Espace personnel")
        ORGANISATION = "organisation", _("Espace d'organisation")

    class OrganisationKind(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        COMPANY = "company", _("Entreprise")
        PUBLIC_BODY = "public_body", _("Organisme public")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("nom"), max_length=200)
    organisation_kind = models.CharField(
        _("nature de l'organisation"), max_length=20, choices=OrganisationKind.choices, blank=True
    )
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    rna = models.CharField(_("numéro RNA"), max_length=10, blank=True)
    member_number = models.CharField(_("numéro d'adhérent"), max_length=6, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    members = models.ManyToManyField(User, through="Membership", related_name="spaces")

    class Meta:
        verbose_name = _("espace")
        verbose_name_plural = _("espaces")
        constraints = [
            models.UniqueConstraint(
                fields=["member_number"],
                condition=~models.Q(member_number=""),
                name="identity_space_member_number_unique",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_personal(self) -> bool:
        return self.kind == self.Kind.PERSONAL

    @property
    def display_name(self) -> str:
        """What the header and lists call it: the personal space's stored name was written
        in the language of the day it was created."""
        return _("Mon espace personnel") if self.is_personal else self.name


class Membership(models.Model):
    """A person's place in a space. Removing a member deletes the row: every request reads
    it again (``identity.selectors.current_membership``), so access ends at the next one."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Titulaire")
        MANAGER = "manager", _("Gestionnaire")
        CO_MANAGER = "co_manager", _("Co-gestionnaire")
        MEMBER = "member", _("Membre")

    # Roles of an organisation space, and those who manage it.
    ORGANISATION_ROLES = (Role.MANAGER, Role.CO_MANAGER, Role.MEMBER)
    MANAGING_ROLES = (Role.MANAGER, Role.CO_MANAGER)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("depuis le"), auto_now_add=True)
    # When this person accepted the organisation's charter (claim of a pre-registered
    # organisation). A versioned charter will replace this timestamp.
    charter_accepted_at = models.DateTimeField(_("charte acceptée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("appartenance")
        verbose_name_plural = _("appartenances")
        constraints = [
            models.UniqueConstraint(fields=["user", "space"], name="identity_membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} — {self.space} ({self.get_role_display()})"

    @property
    def manages(self) -> bool:
        return self.role in self.MANAGING_ROLES


class Notification(models.Model):
    """One message to deliver, written in the business transaction (the outbox).

    Delivery is idempotent: a worker locks the row, sends, marks it sent. What is still
    pending after a broker or provider outage is picked up by the periodic drain.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Courriel")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec définitif")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("destinataire"), max_length=254)
    subject = models.CharField(_("objet"), max_length=250, blank=True)
    body_text = models.TextField(_("texte"))
    body_html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), default=timezone.now)
    last_error = models.CharField(_("dernière erreur"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="identity_notif_pending_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.id}"
