"""People a service already knows (a cohort, members), imported by an administrator, who
activate an account by giving facts only they should know (PRODUCT §2.4, ADR 0311)."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .core import User

REFERENCE_FORMAT = RegexValidator(r"^\d{8}$", _("Le numéro de référence a 8 chiffres."))


class PreregisteredPerson(models.Model):
    """One imported person. The reference is their identifier; birth date, sex and one
    more fact (``settings.GUICHET_PREREGISTERED_FACT_LABEL``) prove who they are when
    they activate. Once activated, ``user`` is their account: the reference then logs in
    like the email (``identity.backends.ReferenceBackend``)."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("Féminin")
        MALE = "M", _("Masculin")

    reference = models.CharField(
        _("numéro de référence"), max_length=8, unique=True, validators=[REFERENCE_FORMAT]
    )
    birth_date = models.DateField(_("date de naissance"))
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    extra_fact = models.CharField(_("fait complémentaire"), max_length=200)
    # A contact the service knows; never shown during activation (whoever knows the facts
    # would read it).
    email = models.EmailField(_("adresse électronique connue du service"), blank=True)
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="preregistration",
        verbose_name=_("compte"),
    )
    activated_at = models.DateTimeField(_("activé le"), null=True, blank=True)
    imported_at = models.DateTimeField(_("importé ou mis à jour le"))

    class Meta:
        verbose_name = _("personne pré-inscrite")
        verbose_name_plural = _("personnes pré-inscrites")
        ordering = ["reference"]

    def __str__(self):
        return self.reference

    @property
    def is_activated(self) -> bool:
        """An account exists for this reference (deleting the account frees it)."""
        return self.user_id is not None


class PreregisteredActivation(models.Model):
    """Step 2 done, link sent: the address and password (hashed, as on an account) wait
    for the emailed link. Only the latest request of a person is kept."""

    person = models.ForeignKey(
        PreregisteredPerson, on_delete=models.CASCADE, related_name="activations"
    )
    email = models.EmailField(_("adresse électronique"))
    password_hash = models.CharField(max_length=256)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("activation en attente")
        verbose_name_plural = _("activations en attente")

    def __str__(self):
        return f"{self.person} ({self.created_at:%Y-%m-%d})"
