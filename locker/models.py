"""The porte-documents: documents of a space, their encrypted bytes, the space's usage."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from identity.models import Space


class Document(models.Model):
    """One document of a space. The bytes live encrypted in the ``private`` storage under
    ``storage_key`` (a generated name, never the user's); replacing the file keeps the
    document and records the change in ``DocumentChange``."""

    class Kind(models.TextChoices):
        IDENTITY = "identity", _("Pièce d'identité")
        ADDRESS = "address", _("Justificatif de domicile")
        TAX_NOTICE = "tax_notice", _("Avis d'imposition")
        BANK_DETAILS = "bank_details", _("Relevé d'identité bancaire (RIB)")
        PAYSLIP = "payslip", _("Bulletin de salaire")
        CERTIFICATE = "certificate", _("Attestation")
        DECISION = "decision", _("Décision reçue")
        OTHER = "other", _("Autre")

    class Origin(models.TextChoices):
        UPLOADED = "uploaded", _("Ajouté par vous")
        RECEIVED = "received", _("Reçu d'une démarche")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("nom du document"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    expires_on = models.DateField(_("date d'expiration"), null=True, blank=True)
    # The inspected file.
    storage_key = models.CharField(max_length=200, unique=True, editable=False)
    file_name = models.CharField(_("nom du fichier"), max_length=255)
    mime = models.CharField(_("type de fichier"), max_length=50)
    size = models.PositiveBigIntegerField(_("taille"))
    sha256 = models.CharField(max_length=64)
    origin = models.CharField(
        _("origine"), max_length=10, choices=Origin.choices, default=Origin.UPLOADED
    )
    origin_label = models.CharField(_("démarche d'origine"), max_length=200, blank=True)
    expiry_reminded_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "title"]
        indexes = [models.Index(fields=["expires_on"], name="locker_doc_expires_idx")]

    def __str__(self):
        return self.title


class DocumentChange(models.Model):
    """Append-only history of a document's file and details."""

    class Action(models.TextChoices):
        ADDED = "added", _("Ajout")
        RECEIVED = "received", _("Réception")
        REPLACED = "replaced", _("Fichier remplacé")
        EDITED = "edited", _("Informations modifiées")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=10, choices=Action.choices)
    file_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("modification")
        verbose_name_plural = _("historique")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_action_display()} — {self.file_name}"


class SpaceLocker(models.Model):
    """Per-space locker state: the wrapped data key and the bytes used.

    The row is locked (``select_for_update``) by every write that changes the usage, so
    concurrent uploads are serialised on it and can never push the space over quota."""

    space = models.OneToOneField(Space, on_delete=models.CASCADE, related_name="locker")
    wrapped_key = models.BinaryField(editable=False)
    master_key_id = models.CharField(max_length=16, editable=False)
    used_bytes = models.PositiveBigIntegerField(default=0)
    rotated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("porte-documents d'un espace")
        verbose_name_plural = _("porte-documents des espaces")

    def __str__(self):
        return str(self.space)

    @property
    def holder(self) -> str:
        """What the wrapped key is bound to (locker.crypto)."""
        return f"space:{self.space_id}"


class DataKey(models.Model):
    """The data key of private files that belong to no porte-documents: one per demande
    (its files, messages' attachments, letters), one per export. Stored only wrapped by the
    master key; a demande keeps its key when the applicant's account is deleted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wrapped_key = models.BinaryField(editable=False)
    master_key_id = models.CharField(max_length=16, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("clé de chiffrement")
        verbose_name_plural = _("clés de chiffrement")

    def __str__(self):
        return str(self.pk)

    @property
    def holder(self) -> str:
        return f"datakey:{self.pk}"
