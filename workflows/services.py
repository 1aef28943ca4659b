"""Writes of the instruction: who acts next (take, assign, release) and the human tasks.

A task view calls one function here; each function runs under the flow lock (a
``SELECT … FOR UPDATE`` on the process row), so two instructors acting on the same task
at once are serialised: the second one gets ``TaskUnavailableError`` with a clear message.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.timezone import now
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases import services as case_services
from cases.models import Case, CaseEvent
from identity.models import User

from . import queue
from .flows import HUMAN_NODES, InstructionFlow, is_instructor_of
from .models import Export, InstructorPreferences
from .notifications import event_notify, preferences_of


class TaskUnavailableError(Exception):
    """The task changed hands or moved on since the page was shown."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _taken_message(task) -> str:
    if task.owner_id:
        name = task.owner.get_full_name() or task.owner.email
        return _("Ce dossier vient d'être pris par %(name)s.") % {"name": name}
    return _("Ce dossier a déjà été traité. La liste est mise à jour.")


class _Locked:
    """``with _Locked(task) as activation``: flow lock held, task re-read."""

    def __init__(self, task: Task):
        self.task = task
        self.scope = None

    def __enter__(self):
        self.scope = self.task.activation()
        try:
            return self.scope.__enter__()
        except FlowLockFailed as error:
            raise TaskUnavailableError(
                _("Un collègue agit sur ce dossier en ce moment. Réessayez dans un instant.")
            ) from error

    def __exit__(self, *exc):
        return self.scope.__exit__(*exc)


def task_take(*, task: Task, user: User) -> Task:
    with _Locked(task) as activation:
        if activation.task.status != STATUS.NEW:
            raise TaskUnavailableError(_taken_message(activation.task))
        if not activation.flow_task.can_assign(user, activation.task):
            raise PermissionDenied
        activation.task.assigned = now()
        activation.assign(user)
    return activation.task


def task_assign(*, task: Task, user: User, to: User) -> Task:
    """Give a task to a named colleague of the same service (or hand it over)."""
    with _Locked(task) as activation:
        node, current = activation.flow_task, activation.task
        case = node.case_of(current)
        if not is_instructor_of(user, case):
            raise PermissionDenied
        if not is_instructor_of(to, case):
            raise ValidationError(_("Cette personne n'instruit pas ce service."), code="to")
        to = _present(to, case)
        current.assigned = now()
        if current.status == STATUS.NEW:
            activation.assign(to)
        elif current.status == STATUS.ASSIGNED:
            activation.reassign(user=to)
        else:
            raise TaskUnavailableError(_taken_message(current))
    return activation.task


def _present(user: User, case: Case) -> User:
    """Whoever takes the work while ``user`` is away: their delegate when they named one
    who instructs this demande, else ``user`` (ADR 0407)."""
    preferences = preferences_of(user)
    delegate = preferences.delegate
    if (
        preferences.is_paused(timezone.localdate())
        and delegate is not None
        and delegate.pk != user.pk
        and is_instructor_of(delegate, case)
    ):
        return delegate
    return user


def task_release(*, task: Task, user: User) -> Task:
    with _Locked(task) as activation:
        if activation.task.status != STATUS.ASSIGNED:
            raise TaskUnavailableError(_taken_message(activation.task))
        if not activation.flow_task.can_unassign(user, activation.task):
            raise PermissionDenied
        activation.task.assigned = None
        activation.unassign()
    return activation.task


def instructor_release_tasks(*, user: User, service) -> int:
    """Put back in the queue ("À traiter") the tasks ``user`` holds on the demandes of
    ``service``, once they no longer instruct it (ADR 0021). Each task is released under
    its flow lock, as ``task_release`` does; returns how many were released.

    A lock that cannot be had (a colleague acting on the demande at that moment) raises
    ``ValidationError``: the caller's transaction, and the removal with it, is cancelled.
    """
    tasks = Task.objects.filter(
        flow_task__in=HUMAN_NODES,
        status=STATUS.ASSIGNED,
        owner=user,
        process__caseprocess__case__procedure__service=service,
    ).order_by("pk")
    released = 0
    for task in tasks:
        try:
            with _Locked(task) as activation:
                current = activation.task
                if current.status != STATUS.ASSIGNED or current.owner_id != user.pk:
                    continue
                current.assigned = None
                activation.unassign()
        except TaskUnavailableError as error:
            raise ValidationError(error.message, code="locked") from error
        released += 1
    return released


def tasks_bulk_assign(*, tasks, user: User, to: User) -> int:
    """Assign several tasks; the ones taken meanwhile are skipped. Returns how many moved."""
    moved = 0
    for task in tasks:
        try:
            task_assign(task=task, user=user, to=to)
        except TaskUnavailableError:
            continue
        moved += 1
    return moved


def _run(task: Task, user: User, nodes, action):
    """Run a human task owned by ``user``: the action calls one cases service, then the
    flow moves on, all in one transaction under the flow lock."""
    with _Locked(task) as activation:
        if activation.task.flow_task not in nodes:
            raise PermissionDenied
        if activation.task.status != STATUS.ASSIGNED or activation.task.owner_id != user.pk:
            raise TaskUnavailableError(_("Prenez d'abord ce dossier pour agir dessus."))
        if not activation.flow_task.can_execute(user, activation.task):
            raise PermissionDenied
        case = Case.objects.get(pk=activation.process.case_id)
        activation.start(None)
        action(case)
        activation.execute()
    return activation.task


def task_request_information(*, task: Task, user: User, body: str, results=()) -> Task:
    """From "check", "decide" or "no answer": ask the applicant, then wait for the reply."""

    def action(case):
        if case.status == Case.Status.AWAITING_APPLICANT:  # "no answer": ask again
            case_services.message_post(
                case=case, author=user, role=CaseEvent.Role.INSTRUCTOR, body=body, results=results
            )
        else:
            case_services.case_request_information(
                case=case, actor=user, body=body, results=results
            )

    nodes = (InstructionFlow.check, InstructionFlow.decide, InstructionFlow.no_answer)
    return _run(task, user, nodes, action)


def task_check_complete(*, task: Task, user: User) -> Task:
    """The demande is complete: on to the decision (no business change)."""
    return _run(task, user, (InstructionFlow.check,), lambda case: None)


def task_decide(
    *,
    task: Task,
    user: User,
    decision: str,
    reason: str = "",
    document=None,
    generate_letter: bool = False,
) -> Task:
    def action(case):
        case_services.case_decide(
            case=case,
            actor=user,
            decision=decision,
            reason=reason,
            document=document,
            generate_letter=generate_letter,
        )

    nodes = (InstructionFlow.decide, InstructionFlow.no_answer)
    if task.flow_task == InstructionFlow.no_answer and decision != "closed":
        raise ValidationError(_("Sans réponse, vous pouvez seulement classer la demande."))
    return _run(task, user, nodes, action)


def task_resume(*, task: Task, user: User) -> Task:
    """From "no answer": the instruction resumes. A reply that came during the task has
    already given the demande back to the service; otherwise the instructor does."""

    def action(case):
        if case.status == Case.Status.AWAITING_APPLICANT:
            case_services.case_receive_reply(case=case)

    return _run(task, user, (InstructionFlow.no_answer,), action)


def instruction_decide_implicitly(*, case: Case) -> bool:
    """The legal deadline passed without a decision: the demande is accepted or refused
    (``case_decide_implicitly``) and the flow moves on from its open human task as after an
    instructor's decision ("notify" tells the applicant), in one transaction under the flow
    lock. Returns False, changing nothing, when nothing is due any more (decided meanwhile,
    waiting for the applicant, rule dropped): safe to run twice. ADR 0405."""
    task = queue.open_instructor_tasks(case.pk).first()
    if task is None:
        return False
    with _Locked(task) as activation:
        if activation.task.status not in (STATUS.NEW, STATUS.ASSIGNED):
            return False  # an instructor is acting on it or it moved on: next run
        if case_services.case_decide_implicitly(case=case) is None:
            return False
        if activation.task.status == STATUS.NEW:
            activation.assign(None)  # nobody held it: the system runs it, without an owner
        activation.start(None)
        activation.execute()
    return True


def instructions_decide_due(*, now=None) -> int:
    """Decide every demande whose implicit-decision deadline has passed (the beat job
    ``implicit-decisions``); each in its own transaction. Returns how many were decided."""
    now = now or timezone.now()
    due = Case.objects.filter(
        status=Case.Status.IN_INSTRUCTION, deadline_at__isnull=False, deadline_at__lte=now
    ).order_by("deadline_at", "id")
    decided = 0
    for case in list(due.only("pk")):
        if instruction_decide_implicitly(case=case):
            decided += 1
    return decided


def instruction_reopen(*, case: Case, user: User):
    """Reopen a decided demande: a new instruction round starting at "check"."""
    if not is_instructor_of(user, case):
        raise PermissionDenied
    if not case.is_finished:
        raise ValidationError(_("Seule une demande décidée peut être rouverte."))
    return InstructionFlow.reopen.run(case=case, actor=user)


def instruction_post_message(*, case: Case, user: User, body: str, results=()):
    """Write to the applicant in an open discussion (no change of state)."""
    if not is_instructor_of(user, case):
        raise PermissionDenied
    if not case.discussion_open:
        raise ValidationError(_("Ouvrez d'abord la messagerie en demandant une information."))
    return case_services.message_post(
        case=case, author=user, role=CaseEvent.Role.INSTRUCTOR, body=body, results=results
    )


def instruction_add_note(*, case: Case, user: User, body: str):
    if not is_instructor_of(user, case):
        raise PermissionDenied
    return case_services.case_add_private_note(case=case, author=user, body=body)


def export_request(
    *, user: User, format: str, tab: str, filters: dict, sort: str = "recent"
) -> Export:
    """Record an export of the list as shown (tab, filters, order); a Celery task builds it
    after commit."""
    from .tasks import build_export

    with transaction.atomic():
        export = Export.objects.create(
            requested_by=user,
            format=format,
            filters={**{k: str(v) for k, v in filters.items()}, "tab": tab, "sort": sort},
        )
        transaction.on_commit(lambda: build_export.delay(str(export.pk)))
    return export


def instruction_start(case: Case) -> bool:
    """Start the instruction of a submitted demande and tell its service, once: False when
    it already has one (the signal came twice, or the repair job got there first)."""
    from .models import CaseProcess

    if CaseProcess.objects.filter(case=case).exists():
        return False
    InstructionFlow.start.run(case=case)
    event_notify(case=case, kind="new_case")
    return True


def instructions_start_missing() -> int:
    """Start the instruction of submitted demandes that have none (a failed start after the
    submission committed). Returns how many were started."""
    from datetime import timedelta

    stale = timezone.now() - timedelta(minutes=1)
    cases = Case.objects.filter(status=Case.Status.SUBMITTED, submitted_at__lt=stale)
    return sum(instruction_start(case) for case in cases)


def instructor_preferences_update(
    *,
    user: User,
    new_case: str,
    reply: str,
    deadline: str,
    paused_until=None,
    delegate: User | None = None,
) -> tuple[InstructorPreferences, int]:
    """Save which events mail the instructor and how, and their absence. Setting an absence
    with a delegate hands the delegate the demandes the instructor holds (through
    ``task_assign``, as the queue's "Confier" does); returns the preferences and how many
    demandes moved. A demande the delegate does not instruct stays (ADR 0407)."""
    if delegate is not None:
        shares = User.objects.filter(
            pk=delegate.pk, instruction_services__instructors=user
        ).exists()
        if delegate.pk == user.pk or not shares:
            raise ValidationError(
                {"delegate": _("Choisissez un collègue qui instruit l'un de vos services.")}
            )
    if paused_until is not None and paused_until < timezone.localdate():
        raise ValidationError({"paused_until": _("La date de fin d'absence est déjà passée.")})
    preferences = preferences_of(user)
    preferences.new_case, preferences.reply, preferences.deadline = new_case, reply, deadline
    preferences.paused_until = paused_until
    preferences.delegate = delegate if paused_until else None
    preferences.full_clean(exclude=["user"])
    preferences.save()
    moved = 0
    if paused_until is not None and delegate is not None:
        held = Task.objects.filter(
            owner=user, status=STATUS.ASSIGNED, flow_task__in=queue.HUMAN_NODES
        ).order_by("pk")
        for task in list(held):
            try:
                task_assign(task=task, user=user, to=delegate)
            except (TaskUnavailableError, ValidationError, PermissionDenied):
                continue
            moved += 1
    return preferences, moved
