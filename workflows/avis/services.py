"""Writes of the expert opinions (ADR 0408). Keyword-only functions named ``avis_<action>``.

Every step writes an ``AvisEvent`` (the instructors' timeline) in its transaction; emails
go through the outbox, as plain text that names the demande but never quotes the question
or the answer. Only a non-confidential avis writes a ``CaseEvent`` the applicant sees.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.models import Case, CaseEvent, CaseFile
from identity.models import User
from identity.selectors import terms_current
from identity.services import user_signup_complete
from locker import vault
from workflows.flows import is_instructor_of

from . import emails
from .models import Avis, AvisEvent, AvisFile

# Where the experts' answer files live in the vault: avis/<case id>/<uuid>.
PREFIX = "avis"
# An unused invitation link works this long (and only while the avis is awaited).
LINK_DAYS = 30
_SALT = "guichet.workflows.avis-invitation"
# The demande states in which an avis may be asked: before the decision.
OPEN_STATUSES = (Case.Status.SUBMITTED, Case.Status.IN_INSTRUCTION, Case.Status.AWAITING_APPLICANT)


def avis_token(avis: Avis) -> str:
    return signing.dumps(str(avis.pk), salt=_SALT)


def avis_from_token(token: str) -> tuple[Avis | None, str]:
    """(avis, "ok") for a genuine, unused link of an awaited avis; otherwise (avis or None,
    reason): "invalid" (forged or too old), "used", "revoked", "closed" or "answered"."""
    try:
        pk = signing.loads(token, salt=_SALT, max_age=timedelta(days=LINK_DAYS))
    except signing.BadSignature:
        return None, "invalid"
    avis = Avis.objects.select_related("case__procedure", "case__service").filter(pk=pk).first()
    if avis is None:
        return None, "invalid"
    if avis.status != Avis.Status.PENDING:
        return avis, {"revoked": "revoked", "closed": "closed"}.get(avis.status, "answered")
    if avis.link_used_at is not None:
        return avis, "used"
    return avis, "ok"


def _event(avis: Avis, kind: str, actor: User | None = None) -> AvisEvent:
    return AvisEvent.objects.create(avis=avis, kind=kind, actor=actor)


def avis_ask(
    *,
    case: Case,
    user: User,
    email: str,
    question: str,
    due_on,
    yes_no: bool = False,
    confidential: bool = False,
    shared_file_ids=(),
) -> Avis:
    """Ask an outside expert (by email, no account needed) for an opinion on ``case``,
    sharing the chosen files of the demande. Does not touch the instruction flow: the
    decision never waits for an avis."""
    if not is_instructor_of(user, case):
        raise PermissionDenied
    if case.status not in OPEN_STATUSES:
        raise ValidationError(_("La demande est décidée : vous ne pouvez plus demander d'avis."))
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("La date de réponse est déjà passée.")})
    question = question.strip()
    if not question:
        raise ValidationError({"question": _("Écrivez la question posée à l'expert.")})
    files = list(CaseFile.objects.filter(case=case, pk__in=list(shared_file_ids)))
    with transaction.atomic():
        avis = Avis.objects.create(
            case=case,
            asked_by=user,
            email=email.strip(),
            question=question,
            due_on=due_on,
            yes_no=yes_no,
            confidential=confidential,
        )
        avis.shared_files.set(files)
        _event(avis, AvisEvent.Kind.ASKED, user)
        if not confidential:
            case_services.case_event_write(
                case, CaseEvent.Kind.EXPERT_OPINION, role=CaseEvent.Role.INSTRUCTOR, actor=user
            )
        emails.invitation(avis, token=avis_token(avis))
    return avis


def avis_account_exists(avis: Avis) -> bool:
    return User.objects.filter(email__iexact=avis.email).exists()


def _use_link(avis: Avis, user: User) -> bool:
    """Bind the avis to ``user``: once (a conditional update), while it is awaited."""
    used = Avis.objects.filter(
        pk=avis.pk, status=Avis.Status.PENDING, link_used_at__isnull=True
    ).update(expert=user, link_used_at=timezone.now())
    if used:
        _event(avis, AvisEvent.Kind.LINK_USED, user)
    return bool(used)


def avis_link_accept(*, avis: Avis, user: User) -> bool:
    """An existing account, logged in with the invited address, takes the avis."""
    if user.email.lower() != avis.email.lower():
        return False
    with transaction.atomic():
        return _use_link(avis, user)


def avis_expert_enrol(*, avis: Avis, password: str) -> User | None:
    """A first connection from the link (it proves the mailbox): the account is made with
    its address verified and the current terms accepted, and takes the avis. The expert
    then logs in as everyone does (password and second factor). None if the address has
    an account already or the link was used meanwhile."""
    with transaction.atomic():
        if avis_account_exists(avis):
            return None
        user = User.objects.create_user(avis.email, password=password)
        if not _use_link(avis, user):
            transaction.set_rollback(True)
            return None
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        user_signup_complete(user=user, terms=terms_current(), newsletter=False, alerts=False)
    return user


def avis_answer(*, avis: Avis, user: User, answer: str, choice: str = "", results=()) -> Avis:
    """The expert's answer, with files already accepted by the upload intake, stored by
    the vault with the demande's key. Once only, while the avis is awaited."""
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Écrivez votre avis.")})
    with transaction.atomic():
        # Only the avis row is locked (asked_by may be null: no lock through an outer join).
        avis = (
            Avis.objects.select_for_update(of=("self",))
            .select_related("case", "asked_by")
            .get(pk=avis.pk)
        )
        if avis.expert_id != user.pk:
            raise PermissionDenied
        if avis.status != Avis.Status.PENDING:
            raise ValidationError(_("Cet avis n'est plus attendu."))
        if avis.yes_no and choice not in Avis.Choice.values:
            raise ValidationError({"choice": _("Répondez par oui ou par non.")})
        key = case_services.case_data_key(avis.case)
        for result in results:
            AvisFile.objects.create(
                avis=avis,
                name=result.stored_name,
                storage_key=vault.put(key, result.content, prefix=f"{PREFIX}/{avis.case_id}"),
                size=result.size,
                sha256=result.sha256,
                mime=result.mime,
            )
        avis.answer, avis.answer_choice = answer, choice if avis.yes_no else ""
        avis.status, avis.answered_at = Avis.Status.ANSWERED, timezone.now()
        avis.save(update_fields=["answer", "answer_choice", "status", "answered_at"])
        _event(avis, AvisEvent.Kind.ANSWERED, user)
        emails.answered(avis)
    return avis


def avis_file_content(file: AvisFile) -> bytes:
    """The plain bytes of an answer file (the caller has checked who may read it)."""
    return vault.read(file.avis.case.data_key, file.storage_key)


def _pending_for_instructor(avis: Avis, user: User) -> Avis:
    if not is_instructor_of(user, avis.case):
        raise PermissionDenied
    avis = Avis.objects.select_for_update().get(pk=avis.pk)
    if avis.status != Avis.Status.PENDING:
        raise ValidationError(_("Cet avis n'est plus attendu."))
    return avis


def avis_remind(*, avis: Avis, user: User) -> Avis:
    """The instructor reminds the expert (the link again while it is unused)."""
    with transaction.atomic():
        avis = _pending_for_instructor(avis, user)
        _event(avis, AvisEvent.Kind.REMINDED, user)
        emails.reminder(avis, token=None if avis.link_used_at else avis_token(avis))
    return avis


def _end(avis: Avis, status: str, kind: str, actor: User | None) -> None:
    avis.status, avis.ended_at = status, timezone.now()
    avis.save(update_fields=["status", "ended_at"])
    _event(avis, kind, actor)
    emails.ended(avis)


def avis_revoke(*, avis: Avis, user: User) -> Avis:
    """The instructor withdraws the request: the link and the expert's access close at
    once (every expert page checks the status)."""
    with transaction.atomic():
        avis = _pending_for_instructor(avis, user)
        _end(avis, Avis.Status.REVOKED, AvisEvent.Kind.REVOKED, user)
    return avis


def avis_close_pending(*, case: Case) -> int:
    """The demande is decided (the flow's "notify" step, after every decision): the avis
    still awaited are closed. Returns how many; a second run closes nothing more."""
    closed = 0
    with transaction.atomic():
        pending = Avis.objects.select_for_update(of=("self",)).filter(
            case=case, status=Avis.Status.PENDING
        )
        for avis in pending.select_related("case"):
            _end(avis, Avis.Status.CLOSED, AvisEvent.Kind.CLOSED, None)
            closed += 1
    return closed


def avis_remind_due(*, today=None) -> int:
    """One automatic reminder per awaited avis whose answer date has come (the beat job
    ``avis-reminders``): the conditional update makes a second run send nothing."""
    today = today or timezone.localdate()
    due = Avis.objects.filter(
        status=Avis.Status.PENDING, deadline_reminded_at__isnull=True, due_on__lte=today
    )
    sent = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = Avis.objects.filter(
                pk=pk, status=Avis.Status.PENDING, deadline_reminded_at__isnull=True
            ).update(deadline_reminded_at=timezone.now())
            if not claimed:
                continue
            avis = Avis.objects.select_related("case__procedure", "case__service").get(pk=pk)
            _event(avis, AvisEvent.Kind.REMINDED)
            emails.reminder(avis, token=None if avis.link_used_at else avis_token(avis))
            sent += 1
    return sent
