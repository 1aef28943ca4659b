"""Procedures (démarches), cases (demandes), their files, discussion and timeline."""

import uuid
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from . import formdef, numbers
from .email_texts import texts_errors


class Service(models.Model):
    """An instructing body (service instructeur) and the instructors who work its queue."""

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), unique=True)
    contact_email = models.EmailField(_("adresse de contact"), blank=True)
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="instruction_services",
        blank=True,
        verbose_name=_("instructeurs"),
    )

    class Meta:
        verbose_name = _("service instructeur")
        verbose_name_plural = _("services instructeurs")

    def __str__(self):
        return self.name


class Procedure(models.Model):
    class FiledBy(models.TextChoices):
        """Who may file: from which kind of space (identity.Space.Kind)."""

        ANYONE = "all", _("Particuliers et organisations")
        PERSONAL = "personal", _("Particuliers seulement (espace personnel)")
        ORGANISATION = "organisation", _("Organisations seulement (espace d'organisation)")

    class ImplicitDecision(models.TextChoices):
        """What silence means at the end of the legal deadline (ADR 0405)."""

        NONE = "", _("Aucune")
        ACCEPT = "sva", _("Silence vaut accord")
        REFUSE = "svr", _("Silence vaut rejet")

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant"), unique=True)
    description = models.TextField(_("description"), blank=True)
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("service")
    )
    opens_at = models.DateTimeField(_("ouverte à partir du"), null=True, blank=True)
    closes_at = models.DateTimeField(_("fermée à partir du"), null=True, blank=True)
    account_required = models.BooleanField(_("compte obligatoire"), default=True)
    filed_by = models.CharField(
        _("qui peut déposer"),
        max_length=12,
        choices=FiledBy.choices,
        default=FiledBy.ANYONE,
        help_text=_("Une démarche réservée aux organisations demande un compte."),
    )
    # Who may manage the démarche: its API tokens and webhooks (ADR 0500) and, later, its
    # form and settings. A staff area: app or card login.
    administrators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="administered_procedures",
        blank=True,
        verbose_name=_("administrateurs"),
    )
    # Counted from the decision; a demande in instruction never expires (ADR 0406).
    retention_months = models.PositiveSmallIntegerField(
        _("durée de conservation (mois)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "Durée de conservation d'une demande terminée, comptée depuis la décision "
            "(de 1 à 60 mois). Elle est ensuite supprimée avec ses fichiers."
        ),
    )
    definition = models.JSONField(
        _("formulaire"),
        default=list,
        help_text=_(
            "Modifiez le formulaire depuis l'administration de la démarche, page « Formulaire » "
            "(/administration/)."
        ),
    )
    # Per event, the administrator's own text for the applicant's emails (ADR 0022):
    # {"submitted": "…", …}; an absent or empty event keeps the standard text.
    email_texts = models.JSONField(_("textes des courriels"), default=dict, blank=True)
    current_version = models.ForeignKey(
        "ProcedureVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_letter = models.TextField(
        _("modèle de courrier de décision"),
        blank=True,
        help_text=_(
            "Texte du courrier joint à la décision. Variables : {numero}, {demarche}, "
            "{decision}, {motif}, {date}, {service}. Laissez vide pour ne pas en proposer."
        ),
    )
    implicit_decision = models.CharField(
        _("décision implicite"),
        max_length=3,
        choices=ImplicitDecision.choices,
        default=ImplicitDecision.NONE,
        blank=True,
        help_text=_(
            "Sans décision du service dans le délai, la demande est acceptée (silence vaut "
            "accord) ou rejetée (silence vaut rejet) automatiquement."
        ),
    )
    implicit_decision_days = models.PositiveSmallIntegerField(
        _("délai de décision (jours)"),
        null=True,
        blank=True,
        help_text=_(
            "Compté à partir de la réception du dossier complet ; suspendu pendant "
            "qu'une information est demandée à l'usager."
        ),
    )

    class Meta:
        verbose_name = _("démarche")
        verbose_name_plural = _("démarches")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        try:
            formdef.parse(self.definition)
        except ValidationError as error:
            raise ValidationError({"definition": error.messages}) from None
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("La fermeture doit suivre l'ouverture.")})
        if self.implicit_decision and not self.implicit_decision_days:
            raise ValidationError({"implicit_decision_days": _("Indiquez le délai en jours.")})
        if problems := texts_errors(self.email_texts):
            raise ValidationError({"email_texts": problems})
        if self.filed_by == self.FiledBy.ORGANISATION and not self.account_required:
            raise ValidationError(
                {
                    "account_required": _(
                        "Une démarche réservée aux organisations demande un compte : "
                        "cochez « compte obligatoire »."
                    )
                }
            )

    def refuses_space(self, space) -> str:
        """Why a demande cannot be filed from ``space`` (None: without an account), or ""."""
        kind = space.kind if space is not None else "personal"
        if self.filed_by == self.FiledBy.ORGANISATION and kind != "organisation":
            return _(
                "Cette démarche est réservée aux organisations. Passez dans l'espace de "
                "votre organisation, puis revenez ici."
            )
        if self.filed_by == self.FiledBy.PERSONAL and kind != "personal":
            return _(
                "Cette démarche est réservée aux particuliers. Passez dans votre espace "
                "personnel, puis revenez ici."
            )
        return ""

    @property
    def implicit_decision_rule(self) -> tuple[str, int] | None:
        """(``sva`` or ``svr``, days) when the démarche decides by silence, else None."""
        if self.implicit_decision and self.implicit_decision_days:
            return self.implicit_decision, self.implicit_decision_days
        return None

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.opens_at is None or self.opens_at <= now) and (
            self.closes_at is None or now < self.closes_at
        )


class ProcedureVersion(models.Model):
    """An immutable snapshot of a form definition; cases keep the one they were filed with."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="cases_version_unique")
        ]

    def __str__(self):
        return f"{self.procedure} v{self.number}"

    @cached_property
    def fields(self) -> list[formdef.FieldSpec]:
        """Parsed once per instance: a version never changes, and a submission reads its
        fields several times (missing answers, hidden answers, each routing rule)."""
        return formdef.parse(self.definition)


class ProcedureChange(models.Model):
    """One entry of a démarche's change history (its administration pages, ADR 0019),
    written in the transaction of the change it records. ``details`` holds what changed:
    ``{field: [old, new]}`` for settings, the version number for a publication, the
    source démarche's slug for a clone."""

    class Action(models.TextChoices):
        CREATED = "created", _("Démarche créée")
        SETTINGS_CHANGED = "settings_changed", _("Paramètres modifiés")
        CLOSED = "closed", _("Démarche fermée")
        REOPENED = "reopened", _("Démarche rouverte")
        IMPORTED = "imported", _("Démarche importée")
        CLONED_FROM = "cloned_from", _("Démarche copiée")
        VERSION_PUBLISHED = "version_published", _("Version publiée")
        FORM_CHANGED = "form_changed", _("Formulaire modifié")
        SERVICE_CREATED = "service_created", _("Service créé")
        INSTRUCTOR_INVITED = "instructor_invited", _("Instructeur invité")
        INSTRUCTOR_REMOVED = "instructor_removed", _("Instructeur retiré")
        ADMIN_ADDED = "admin_added", _("Administrateur ajouté")
        ADMIN_REMOVED = "admin_removed", _("Administrateur retiré")
        ROUTING_CHANGED = "routing_changed", _("Règles d'orientation modifiées")
        EMAILS_CHANGED = "emails_changed", _("Textes des courriels modifiés")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("modification de démarche")
        verbose_name_plural = _("modifications de démarche")

    def __str__(self):
        return f"{self.procedure} : {self.get_action_display()}"


class Case(ConcurrentTransitionMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Déposée")
        IN_INSTRUCTION = "in_instruction", _("En instruction")
        AWAITING_APPLICANT = "awaiting_applicant", _("En attente de votre réponse")
        ACCEPTED = "accepted", _("Acceptée")
        REFUSED = "refused", _("Refusée")
        CLOSED = "closed", _("Classée sans suite")

    FINISHED = (Status.ACCEPTED, Status.REFUSED, Status.CLOSED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # NULL until submission: drafts have no number, and NULLs never collide in UNIQUE.
    number = models.CharField(  # noqa: DJ001
        _("numéro"), max_length=numbers.LENGTH, null=True, unique=True
    )
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="cases")
    # The service that instructs this demande (ADR 0023): chosen once, at submission, by
    # the démarche's routing rules (else the démarche's service); NULL while a draft.
    # Every instructor's access, queue and count goes through it, never the démarche's.
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="cases",
        db_index=False,  # led by cases_service_recent_idx
    )
    version = models.ForeignKey(ProcedureVersion, on_delete=models.PROTECT, related_name="cases")
    space = models.ForeignKey(
        "identity.Space", on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The demande's files are encrypted with it (locker.vault); made with the first file.
    data_key = models.ForeignKey(
        "locker.DataKey", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applicant_email = models.EmailField(_("adresse de l'usager"), blank=True)
    email_verified = models.BooleanField(default=False)
    status = FSMField(
        _("état"), max_length=20, choices=Status.choices, default=Status.DRAFT, protected=True
    )
    answers = models.JSONField(default=dict)
    discussion_open = models.BooleanField(_("messagerie ouverte"), default=False)
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    expiry_warned_at = models.DateTimeField(null=True, blank=True)
    # The legal deadline of an implicit decision (ADR 0405): set by the transition that
    # receives the complete file, pushed back by the time spent waiting for the applicant
    # (from ``deadline_suspended_at`` to the reply). Only the transitions write them.
    deadline_at = models.DateTimeField(_("date de décision implicite"), null=True, blank=True)
    deadline_suspended_at = models.DateTimeField(null=True, blank=True)
    # Retention of a finished demande (ADR 0406): set at the decision, cleared by reopening.
    # The applicant is told two weeks before ``expires_at`` and may extend once; then the
    # demande goes to the trash (hidden from the applicant) and is deleted two weeks later.
    expires_at = models.DateTimeField(_("conservée jusqu'au"), null=True, blank=True)
    expiry_notice_sent_at = models.DateTimeField(null=True, blank=True)
    extended = models.BooleanField(_("conservation prolongée"), default=False)
    trashed_at = models.DateTimeField(_("mise à la corbeille le"), null=True, blank=True)
    # Who acts next, copied from the instruction flow for the instructors' queues: the
    # open instructor task, its holder and its state ("NEW" while nobody holds it). Only
    # ``workflows.queue`` writes them, with ``update()``; ``save()`` never does, so a
    # stale instance cannot put back an old value (ADR 0404). No foreign key to the flow's
    # tables: ``cases`` does not depend on the workflow engine.
    next_task_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    next_task_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        db_index=False,
    )
    next_task_status = models.CharField(
        max_length=50, blank=True, default="", db_default="", editable=False
    )

    QUEUE_FIELDS = frozenset({"next_task_id", "next_task_owner", "next_task_status"})

    class Meta:
        verbose_name = _("demande")
        verbose_name_plural = _("demandes")
        indexes = [
            models.Index(fields=["space", "-updated_at"], name="cases_space_recent_idx"),
            models.Index(fields=["status", "updated_at"], name="cases_status_age_idx"),
            models.Index(fields=["submitted_at", "id"], name="cases_submitted_idx"),
            # An instructor's demandes: those of their services, newest first (ADR 0023).
            models.Index(
                fields=["service", "-submitted_at", "-id"], name="cases_service_recent_idx"
            ),
            # The purge's steps: finished demandes by their end of retention.
            models.Index(
                fields=["expires_at", "id"],
                condition=models.Q(expires_at__isnull=False),
                name="cases_expiry_idx",
            ),
            # The instructors' "À traiter", "Mes dossiers" and "Attente" tabs: open work
            # only. Counted per service, listed newest first across services.
            models.Index(
                fields=["service", "-submitted_at", "-id"],
                condition=models.Q(next_task_status="NEW"),
                name="cases_queue_new_service_idx",
            ),
            models.Index(
                fields=["-submitted_at", "-id"],
                condition=models.Q(next_task_status="NEW"),
                name="cases_queue_new_recent_idx",
            ),
            models.Index(
                fields=["-submitted_at", "-id"],
                condition=models.Q(status="awaiting_applicant"),
                name="cases_queue_waiting_idx",
            ),
            models.Index(
                fields=["next_task_owner", "-submitted_at", "-id"],
                condition=models.Q(next_task_owner__isnull=False),
                name="cases_queue_owner_idx",
            ),
            # The "Bientôt échues" tab and the implicit-decision job: running deadlines
            # only (a demande in instruction with a deadline), nearest first.
            models.Index(
                fields=["deadline_at", "id"],
                condition=models.Q(status="in_instruction", deadline_at__isnull=False),
                name="cases_deadline_idx",
            ),
        ]
        constraints = [
            # A filed demande always has its instructing service: without one, no
            # instructor would ever see it (ADR 0023).
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(service__isnull=False),
                name="cases_filed_has_service",
            )
        ]

    def __str__(self):
        return self.display_number or _("Brouillon")

    def save(self, *args, **kwargs):
        """Saving a loaded demande writes every field but the queue's copy of the flow."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.QUEUE_FIELDS
            ]
        super().save(*args, **kwargs)

    @property
    def display_number(self) -> str:
        return numbers.display(self.number) if self.number else ""

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def deadline_suspended(self) -> bool:
        return self.deadline_suspended_at is not None

    def _deadline_start(self, moment) -> None:
        """The complete file is received at ``moment``: the démarche's deadline starts."""
        rule = self.procedure.implicit_decision_rule
        if rule is not None:
            self.deadline_at = moment + timedelta(days=rule[1])

    @transition(field=status, source=Status.DRAFT, target=Status.SUBMITTED)
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(field=status, source=Status.SUBMITTED, target=Status.IN_INSTRUCTION)
    def start_instruction(self):
        self._deadline_start(timezone.now())

    @transition(
        field=status,
        source=[Status.SUBMITTED, Status.IN_INSTRUCTION],
        target=Status.AWAITING_APPLICANT,
    )
    def request_information(self):
        self.discussion_open = True
        if self.deadline_at is not None and self.deadline_suspended_at is None:
            self.deadline_suspended_at = timezone.now()

    @transition(field=status, source=Status.AWAITING_APPLICANT, target=Status.IN_INSTRUCTION)
    def receive_reply(self):
        now = timezone.now()
        if self.deadline_suspended_at is not None:
            # The deadline resumes where it stopped: pushed back by the time suspended.
            self.deadline_at += now - self.deadline_suspended_at
            self.deadline_suspended_at = None
        elif self.deadline_at is None:
            # The documents the automatic request asked for: the file is complete now.
            self._deadline_start(now)

    def _decided(self, reason):
        """The decision starts the retention period (ADR 0406)."""
        self.decided_at, self.decision_reason = timezone.now(), reason
        self.expires_at = self.decided_at + relativedelta(months=self.procedure.retention_months)
        self.expiry_notice_sent_at, self.extended = None, False

    @transition(field=status, source=Status.IN_INSTRUCTION, target=Status.ACCEPTED)
    def accept(self, reason=""):
        self._decided(reason)

    @transition(field=status, source=Status.IN_INSTRUCTION, target=Status.REFUSED)
    def refuse(self, reason):
        self._decided(reason)

    @transition(
        field=status,
        source=[Status.IN_INSTRUCTION, Status.AWAITING_APPLICANT],
        target=Status.CLOSED,
    )
    def close(self, reason):
        self._decided(reason)

    @transition(field=status, source=FINISHED, target=Status.IN_INSTRUCTION)
    def reopen(self):
        # A new instruction round: the deadline runs again, in full, from the reopening.
        self.decided_at = None
        self.deadline_at = self.deadline_suspended_at = None
        self._deadline_start(timezone.now())
        self.expires_at, self.expiry_notice_sent_at, self.extended = None, None, False


class StatusCount(models.Model):
    """How many submitted demandes of a démarche, routed to a service, are in each status,
    kept on every transition by ``cases.counts``: the instructors' tab counts read these
    rows instead of counting a service's whole history (ADR 0404, 0023). Drafts are not
    counted."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=Case.Status.choices)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "service", "status"], name="cases_status_count_unique"
            )
        ]

    def __str__(self):
        return f"{self.procedure_id} {self.service_id} {self.status}: {self.count}"


class RoutingRule(models.Model):
    """Sends a démarche's demandes to another service by an answer (ADR 0023): the first
    rule, by ``position``, whose field's answer equals ``value`` (contains it, for a
    multiple choice) gives the demande's service at submission. A rule whose field is not
    a choice field of the démarche's published version is inactive and ignored."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="routing_rules")
    position = models.PositiveIntegerField(default=0)
    field_name = models.CharField(_("question"), max_length=50)
    value = models.CharField(_("réponse"), max_length=200)
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="routing_rules", verbose_name=_("service")
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("règle d'orientation")
        verbose_name_plural = _("règles d'orientation")

    def __str__(self):
        return f"{self.field_name} = {self.value} → {self.service_id}"

    def matches(self, answers: dict) -> bool:
        return formdef.answer_is(answers, self.field_name, self.value)

    def field_in(self, version: "ProcedureVersion | None"):
        """The rule's field in ``version`` when it can route (a choice field offering the
        rule's value), else None: the rule is then inactive."""
        if version is None:
            return None
        for spec in version.fields:
            if spec.name == self.field_name and spec.type in formdef.CONDITION_TYPES:
                return spec if self.value in formdef.possible_answers(spec) else None
        return None


def route(case: Case) -> int:
    """The id of the service that instructs ``case``: the first active rule of its
    démarche that its answers match, else the démarche's service (ADR 0023)."""
    procedure = case.procedure
    version = procedure.current_version
    for rule in procedure.routing_rules.all():
        if rule.field_in(version) is not None and rule.matches(case.answers):
            return rule.service_id
    return procedure.service_id


class CaseEvent(models.Model):
    """Append-only timeline entry, written in the transaction of the change it records.

    ``notified_at`` is its only later write: set once when the applicant is told of this
    event, so the same event enqueued twice is emailed once.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("Brouillon créé")
        SUBMITTED = "submitted", _("Demande déposée")
        STATUS = "status", _("Changement d'état")
        MESSAGE = "message", _("Message")
        FILE = "file", _("Document ajouté")
        DECISION = "decision", _("Décision")
        REOPENED = "reopened", _("Demande rouverte")
        REMINDER = "reminder", _("Relance")
        RETENTION_NOTICE = "retention_notice", _("Avis de suppression prochaine")
        RETENTION_EXTENDED = "retention_extended", _("Conservation prolongée")
        TRASHED = "trashed", _("Mise à la corbeille")
        # Written only for an avis that is not confidential (workflows.avis, ADR 0408).
        EXPERT_OPINION = "expert_opinion", _("Un avis a été demandé à un expert")

    class Role(models.TextChoices):
        APPLICANT = "applicant", _("Vous")
        INSTRUCTOR = "instructor", _("Le service instructeur")
        SYSTEM = "system", _("Le système")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_role = models.CharField(max_length=20, choices=Role.choices)
    status = models.CharField(max_length=20, choices=Case.Status.choices, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"], name="cases_event_case_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%d/%m/%Y %H:%M})"


class CaseMessage(models.Model):
    """One message of a demande's discussion (``case.thread``). Named apart from Django's
    flash ``messages``, which every template already receives."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="thread")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_role = models.CharField(max_length=20, choices=CaseEvent.Role.choices)
    body = models.TextField(_("message"), max_length=10_000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_author_role_display()} — {self.created_at:%d/%m/%Y %H:%M}"


class CaseFile(models.Model):
    """An inspected file of a case: for a form field, or joined to a discussion message.

    The bytes are the case's own copy in the private storage: deleting or replacing a locker
    document later never changes what was filed.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="files")
    field_name = models.CharField(max_length=50, blank=True)
    message = models.ForeignKey(
        CaseMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    name = models.CharField(_("nom"), max_length=255)
    storage_key = models.CharField(max_length=255, unique=True)
    # False only for files an older version stored in clear, until `migrate` encrypts them.
    encrypted = models.BooleanField(default=True)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    mime = models.CharField(max_length=100)
    uploaded_by_role = models.CharField(max_length=20, choices=CaseEvent.Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.name


class PrivateNote(models.Model):
    """An instructors-only note on a case.

    Never shown to the applicant: no applicant view, email, receipt or export reads this
    model (the selectors the applicant side uses never join it).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("note"), max_length=10_000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("note interne")
        verbose_name_plural = _("notes internes")

    def __str__(self):
        return f"note {self.pk}"


class EmailCode(models.Model):
    """A 6-digit code proving an applicant without an account owns the email of a draft."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="email_codes")
    email = models.EmailField()
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"code {self.pk}"


class DeletedCase(models.Model):
    """What the service keeps of a demande deleted at the end of its retention: its
    number, démarche, dates and final state. No personal data (ADR 0406)."""

    number = models.CharField(_("numéro"), max_length=numbers.LENGTH, db_index=True)
    procedure = models.ForeignKey(
        Procedure, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    procedure_title = models.CharField(_("démarche"), max_length=200)
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="deleted_cases", db_index=False
    )
    status = models.CharField(_("état final"), max_length=20, choices=Case.Status.choices)
    submitted_at = models.DateTimeField(_("déposée le"), null=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True)
    deleted_at = models.DateTimeField(_("supprimée le"), default=timezone.now)

    class Meta:
        verbose_name = _("demande supprimée")
        verbose_name_plural = _("demandes supprimées")
        ordering = ["-deleted_at", "-id"]
        indexes = [
            models.Index(fields=["service", "-deleted_at"], name="cases_deleted_service_idx")
        ]

    def __str__(self):
        return self.display_number

    @property
    def display_number(self) -> str:
        return numbers.display(self.number)


class PurgeRun(models.Model):
    """One run of ``retention_purge``, updated as it goes (a crashed run keeps its counts
    and no ``finished_at``)."""

    started_at = models.DateTimeField(_("début"), default=timezone.now)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    notices_sent = models.PositiveIntegerField(_("avis envoyés"), default=0)
    trashed = models.PositiveIntegerField(_("mises à la corbeille"), default=0)
    deleted = models.PositiveIntegerField(_("supprimées"), default=0)
    errors = models.PositiveIntegerField(_("erreurs"), default=0)

    class Meta:
        verbose_name = _("purge des demandes")
        verbose_name_plural = _("purges des demandes")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.started_at:%d/%m/%Y %H:%M}"


class NotificationPreference(models.Model):
    """An account holder's channels for one kind of message about their demandes of one
    space (their personal space, or an organisation's they filed in).

    Without a row, the default applies: email on, SMS off. The acknowledgement of a new
    demande (with its number) is always emailed and is not listed here.
    """

    class Event(models.TextChoices):
        INSTRUCTION_STARTED = "instruction_started", _("Le service commence à étudier ma demande")
        DISCUSSION_OPENED = "discussion_opened", _("Le service me pose une question")
        MESSAGE = "message", _("Nouveau message du service")
        REMINDER = "reminder", _("Rappel quand le service attend ma réponse")
        DECISION = "decision", _("Décision sur ma demande")
        REOPENED = "reopened", _("Ma demande est de nouveau à l'étude")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_notification_prefs"
    )
    space = models.ForeignKey(
        "identity.Space", on_delete=models.CASCADE, related_name="+", verbose_name=_("espace")
    )
    event = models.CharField(max_length=30, choices=Event.choices)
    email = models.BooleanField(_("courriel"), default=True)
    sms = models.BooleanField(_("SMS"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "space", "event"], name="cases_notification_pref_space_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.event}"
