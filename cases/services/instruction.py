"""Discussion and instruction: messages, state changes driven by the instruction flow,
decisions, private notes. Each flow task that changes business state calls one of these."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cases import letters, notifications
from cases.models import Case, CaseEvent, CaseMessage, PrivateNote, Procedure
from cases.signals import applicant_replied
from identity.models import User
from locker.models import Document

from .common import FileBytes, case_event_write, case_file_store


def message_post(
    *, case: Case, author: User | None, role: str, body: str, results=(), documents=None
):
    """Post a message with already-accepted inspection results as attachments.

    ``documents`` maps a required file field still missing to the results that supply it
    (the applicant answering an automatic request). An applicant may only write while the
    discussion is open. The applicant's reply moves a demande that awaited it back to the
    service here, in the reply's own transaction (whatever task the flow has open); the
    instruction flow follows on commit (``applicant_replied``, ADR 0403).
    """
    if role == CaseEvent.Role.APPLICANT and not case.discussion_open:
        raise PermissionDenied(_("Le service n'a pas encore ouvert la messagerie."))
    with transaction.atomic():
        if role == CaseEvent.Role.APPLICANT:
            case = Case.objects.select_for_update().get(pk=case.pk)
            if case.status == Case.Status.AWAITING_APPLICANT:
                case = case_receive_reply(case=case)
        message = CaseMessage.objects.create(case=case, author=author, author_role=role, body=body)
        for result in results:
            case_file_store(case, result, role=role, message=message)
        for field_name, field_results in (documents or {}).items():
            for result in field_results:
                case_file_store(case, result, role=role, message=message, field_name=field_name)
        event = case_event_write(case, CaseEvent.Kind.MESSAGE, role=role, actor=author)
        if role == CaseEvent.Role.APPLICANT:
            transaction.on_commit(
                lambda: applicant_replied.send(sender=Case, case=case, message=message)
            )
        else:
            notifications.notify(case, "message", cause=event)
    return message


def _deadline_summary(before: tuple, case: Case) -> str:
    """What the transition did to the implicit-decision deadline, for its timeline entry."""
    if (case.deadline_at, case.deadline_suspended_at) == before:
        return ""
    if case.deadline_suspended_at is not None:
        return _("Délai de décision suspendu.")
    if case.deadline_at is None:
        return ""
    day = formats.date_format(timezone.localtime(case.deadline_at), "SHORT_DATE_FORMAT")
    return _("Décision implicite le %(date)s.") % {"date": day}


def _transition(
    case: Case, method: str, *, actor, kind, summary="", role=CaseEvent.Role.INSTRUCTOR, **kwargs
) -> tuple[Case, CaseEvent]:
    """Run one fsm transition on a locked row and record it in the timeline (with what it
    did to the implicit-decision deadline, which the transitions keep: ADR 0405)."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        before = (case.deadline_at, case.deadline_suspended_at)
        getattr(case, method)(**kwargs)
        case.save()
        summary = summary or _deadline_summary(before, case)
        event = case_event_write(case, kind, role=role, actor=actor, summary=summary)
    return case, event


def case_start_instruction(*, case: Case, actor: User | None) -> Case:
    """Start the instruction; without an actor (a complete demande, started by the flow at
    submission) the timeline records an automatic step, not the service's."""
    role = CaseEvent.Role.INSTRUCTOR if actor is not None else CaseEvent.Role.SYSTEM
    case, event = _transition(
        case, "start_instruction", actor=actor, kind=CaseEvent.Kind.STATUS, role=role
    )
    notifications.notify(case, "instruction_started", cause=event)
    return case


def case_request_information(*, case: Case, actor: User | None, body: str, results=()) -> Case:
    """Open (or continue) the discussion with a question; the case waits for the applicant."""
    with transaction.atomic():
        case, event = _transition(
            case, "request_information", actor=actor, kind=CaseEvent.Kind.STATUS
        )
        message = CaseMessage.objects.create(
            case=case, author=actor, author_role=CaseEvent.Role.INSTRUCTOR, body=body
        )
        for result in results:
            case_file_store(case, result, role=CaseEvent.Role.INSTRUCTOR, message=message)
        case_event_write(case, CaseEvent.Kind.MESSAGE, role=CaseEvent.Role.INSTRUCTOR, actor=actor)
        notifications.notify(case, "discussion_opened", cause=event)
    return case


def case_request_documents(*, case: Case, labels: list[str]) -> Case:
    """Automatic request for required documents still missing (or deferred "plus tard"):
    no instructor time is spent on an incomplete demande."""
    lines = "\n".join(f"- {label}" for label in labels)
    body = _(
        "Bonjour,\n\nPour étudier votre demande, il nous manque ces documents :\n%(lines)s\n\n"
        "Ajoutez-les en répondant à ce message."
    ) % {"lines": lines}
    with transaction.atomic():
        case, event = _transition(
            case,
            "request_information",
            actor=None,
            kind=CaseEvent.Kind.STATUS,
            role=CaseEvent.Role.SYSTEM,
        )
        CaseMessage.objects.create(case=case, author_role=CaseEvent.Role.SYSTEM, body=body)
        case_event_write(case, CaseEvent.Kind.MESSAGE, role=CaseEvent.Role.SYSTEM)
        notifications.notify(case, "discussion_opened", cause=event)
    return case


def case_receive_reply(*, case: Case) -> Case:
    """The applicant answered: the demande goes back to the service (from ``message_post``,
    or from the instructor resuming a "no answer" task)."""
    case, _event = _transition(
        case, "receive_reply", actor=None, kind=CaseEvent.Kind.STATUS, role=CaseEvent.Role.SYSTEM
    )
    return case


def case_remind_applicant(*, case: Case) -> Case:
    """No answer after the configured delay: one reminder email and a timeline entry."""
    with transaction.atomic():
        event = case_event_write(case, CaseEvent.Kind.REMINDER, role=CaseEvent.Role.SYSTEM)
        notifications.notify(case, "reminder", cause=event)
    return case


DECISIONS = {"accepted": "accept", "refused": "refuse", "closed": "close"}


def _decision_letter(case: Case, template: str = "") -> FileBytes:
    content = letters.decision_letter(case, template=template)
    return FileBytes(
        stored_name=f"courrier-decision-{case.number}.pdf",
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        mime="application/pdf",
    )


def _decide(
    case: Case,
    *,
    actor: User | None,
    role: str,
    decision: str,
    reason: str,
    body: str,
    summary: str = "",
    document=None,
    letter_template: str | None = None,
) -> Case:
    """The one path of every decision: the transition and its timeline entry, the decision
    posted in the discussion, and the decision letter (given, or generated from
    ``letter_template``) attached to it, so the applicant receives it there. The email
    follows from the flow's "notify" step (``case_notify_decision``)."""
    with transaction.atomic():
        case, _event = _transition(
            case,
            DECISIONS[decision],
            actor=actor,
            kind=CaseEvent.Kind.DECISION,
            role=role,
            summary=summary,
            reason=reason,
        )
        message = CaseMessage.objects.create(case=case, author=actor, author_role=role, body=body)
        if document is None and letter_template:
            document = _decision_letter(case, letter_template)
        if document is not None:
            case_file_store(
                case,
                document,
                role=CaseEvent.Role.INSTRUCTOR,
                message=message,
                locker_kind=Document.Kind.DECISION,
            )
    return case


def case_decide(
    *,
    case: Case,
    actor: User | None,
    decision: str,
    reason: str = "",
    document=None,
    generate_letter: bool = False,
) -> Case:
    """Accept, refuse or close a demande. Refusing or closing needs a reason. The decision is
    posted in the discussion, with the optional decision document (an accepted inspection
    result) attached, so the applicant receives it there."""
    if decision not in DECISIONS:
        raise ValidationError(_("Choisissez une décision."), code="decision")
    reason = reason.strip()
    if decision != "accepted" and not reason:
        raise ValidationError(_("Indiquez le motif de la décision."), code="reason")
    status = {"accepted": Case.Status.ACCEPTED, "refused": Case.Status.REFUSED}
    body = _("Décision : %(state)s.") % {
        "state": Case.Status(status.get(decision, Case.Status.CLOSED)).label
    }
    if reason:
        body += "\n\n" + _("Motif : %(reason)s") % {"reason": reason}
    return _decide(
        case,
        actor=actor,
        role=CaseEvent.Role.INSTRUCTOR,
        decision=decision,
        reason=reason,
        body=body,
        document=document,
        letter_template=case.procedure.decision_letter if generate_letter else None,
    )


def implicit_decision_wording(rule: str, days: int) -> str:
    """The legal wording of an implicit decision (code des relations entre le public et
    l'administration: L. 231-1 for silence vaut accord, L. 231-4 for silence vaut rejet)."""
    if rule == Procedure.ImplicitDecision.ACCEPT:
        return _(
            "Décision implicite d'acceptation : en l'absence de réponse de l'administration "
            "dans le délai de %(days)d jours, votre demande est acceptée (article L. 231-1 du "
            "code des relations entre le public et l'administration)."
        ) % {"days": days}
    return _(
        "Décision implicite de rejet : en l'absence de réponse de l'administration dans le "
        "délai de %(days)d jours, votre demande est rejetée (article L. 231-4 du code des "
        "relations entre le public et l'administration)."
    ) % {"days": days}


def implicit_decision_due(case: Case, now=None) -> bool:
    """In instruction, its deadline passed and not suspended, the démarche's rule set."""
    now = now or timezone.now()
    return (
        case.status == Case.Status.IN_INSTRUCTION
        and case.deadline_at is not None
        and case.deadline_at <= now
        and case.deadline_suspended_at is None
        and case.procedure.implicit_decision_rule is not None
    )


# The letter of an implicit decision when the démarche has no template of its own.
IMPLICIT_LETTER = _lazy(
    "Demande n° {numero} — {demarche}\n\nDécision : {decision}, le {date}.\n\n{motif}"
)


def case_decide_implicitly(*, case: Case) -> Case | None:
    """Accept (silence vaut accord) or refuse (silence vaut rejet) a demande whose legal
    deadline passed without a decision, through the path of an instructor's decision.

    Re-checked on the locked row: a demande decided meanwhile, suspended, or whose démarche
    dropped the rule is left alone (None), so running it twice decides once. The caller
    (``workflows``) closes the flow's open task in the same transaction (ADR 0405)."""
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("procedure").get(pk=case.pk)
        if not implicit_decision_due(case):
            return None
        rule, days = case.procedure.implicit_decision_rule
        wording = implicit_decision_wording(rule, days)
        return _decide(
            case,
            actor=None,
            role=CaseEvent.Role.SYSTEM,
            decision="accepted" if rule == Procedure.ImplicitDecision.ACCEPT else "refused",
            reason=wording,
            body=wording,
            summary=wording,
            letter_template=case.procedure.decision_letter or str(IMPLICIT_LETTER),
        )


def case_notify_decision(*, case: Case) -> None:
    """Tell the applicant of the case's latest decision (the flow's step after deciding);
    running it again for the same decision sends nothing more."""
    decision = case.events.filter(kind=CaseEvent.Kind.DECISION).last()
    notifications.notify(case, "decision", cause=decision)


def case_reopen(*, case: Case, actor: User | None) -> Case:
    """A decided demande goes back to instruction."""
    case, event = _transition(case, "reopen", actor=actor, kind=CaseEvent.Kind.REOPENED)
    notifications.notify(case, "reopened", cause=event)
    return case


def case_add_private_note(*, case: Case, author: User, body: str) -> PrivateNote:
    """An instructors-only note: no timeline event (the applicant reads the timeline)."""
    body = body.strip()
    if not body:
        raise ValidationError(_("Écrivez la note."), code="empty")
    return PrivateNote.objects.create(case=case, author=author, body=body)
