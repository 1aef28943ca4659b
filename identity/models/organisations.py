"""Organisation spaces: invitations sent by managers and the log of who did what."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .core import Membership, Space, User


class SpaceInvitation(models.Model):
    """A manager's invitation to join an organisation space, by email and mobile.

    The link carries the signed id and is valid ``INVITATION_DAYS``; the mobile receives
    the 6-digit code of a first connection. An invitation is used once.
    """

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("adresse électronique"))
    phone = models.CharField(_("téléphone mobile"), max_length=20)
    role = models.CharField(
        _("rôle"),
        max_length=20,
        choices=[(r.value, r.label) for r in Membership.ORGANISATION_ROLES],
        default=Membership.Role.MEMBER,
    )
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("par")
    )
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    expires_at = models.DateTimeField(_("valable jusqu'au"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.space}"

    @property
    def usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class SpaceEvent(models.Model):
    """One line of an organisation space's activity log: who did what, to whom."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Espace créé")
        CLAIMED = "claimed", _("Organisation rattachée par son numéro d'adhérent")
        INVITED = "invited", _("Invitation envoyée")
        INVITATION_REVOKED = "invitation_revoked", _("Invitation annulée")
        JOINED = "joined", _("Nouveau membre")
        ROLE_CHANGED = "role_changed", _("Rôle modifié")
        REMOVED = "removed", _("Membre retiré")
        LEFT = "left", _("Membre parti")
        CARD_LINKED = "card_linked", _("Carte OTP associée")
        CARD_LOST = "card_lost", _("Carte OTP déclarée perdue")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("événement"), max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Names are copied: the log stays readable after an account is deleted.
    actor_name = models.CharField(_("par"), max_length=300, blank=True)
    subject_name = models.CharField(_("concerne"), max_length=300, blank=True)
    detail = models.CharField(_("détail"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("événement d'espace")
        verbose_name_plural = _("journal des espaces")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["space", "-created_at"], name="identity_spaceevent_idx")]

    def __str__(self):
        return f"{self.space} {self.get_kind_display()}"
