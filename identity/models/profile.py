"""Personal information that pre-fills démarche forms."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .core import User


class Profile(models.Model):
    class Civility(models.TextChoices):
        MADAME = "mme", _("Madame")
        MONSIEUR = "m", _("Monsieur")

    class FamilySituation(models.TextChoices):
        SINGLE = "single", _("Célibataire")
        MARRIED = "married", _("Marié ou mariée")
        CIVIL_UNION = "pacs", _("Pacsé ou pacsée")
        COHABITING = "cohabiting", _("En concubinage")
        DIVORCED = "divorced", _("Divorcé ou divorcée")
        WIDOWED = "widowed", _("Veuf ou veuve")

    class Source(models.TextChoices):
        DECLARED = "declared", _("Déclaré par la personne")
        FRANCECONNECT = "franceconnect", _("FranceConnect")

    # Identity fields a federation (FranceConnect) vouches for: locked while it does.
    IDENTITY_FIELDS = (
        "civility",
        "birth_name",
        "given_names",
        "birth_date",
        "birth_place",
        "birth_country",
    )

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    civility = models.CharField(_("civilité"), max_length=5, choices=Civility.choices, blank=True)
    birth_name = models.CharField(_("nom de naissance"), max_length=150, blank=True)
    usage_name = models.CharField(_("nom d'usage"), max_length=150, blank=True)
    given_names = models.CharField(_("prénoms"), max_length=200, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    birth_place = models.CharField(_("lieu de naissance"), max_length=150, blank=True)
    birth_country = models.CharField(_("pays de naissance"), max_length=100, blank=True)
    # Which identity fields came from FranceConnect and are therefore locked.
    identity_source = models.CharField(
        _("origine de l'identité"), max_length=20, choices=Source.choices, default=Source.DECLARED
    )
    family_situation = models.CharField(
        _("situation familiale"), max_length=20, choices=FamilySituation.choices, blank=True
    )
    landline = models.CharField(_("téléphone fixe"), max_length=20, blank=True)
    address_line = models.CharField(_("adresse"), max_length=200, blank=True)
    address_complement = models.CharField(_("complément d'adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)
    country = models.CharField(_("pays"), max_length=100, blank=True, default="France")
    secondary_address_line = models.CharField(_("adresse secondaire"), max_length=200, blank=True)
    secondary_postcode = models.CharField(_("code postal secondaire"), max_length=10, blank=True)
    secondary_city = models.CharField(_("commune secondaire"), max_length=100, blank=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("informations personnelles")
        verbose_name_plural = _("informations personnelles")

    def __str__(self):
        return str(self.user)

    @property
    def identity_locked(self) -> bool:
        return self.identity_source == self.Source.FRANCECONNECT
