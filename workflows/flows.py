"""The instruction flow of a demande (docs/adr/0400-instruction-flow.md).

::

    start → validate_attachments → documents_complete? ─no→ wait_applicant
                                         │yes
                                       check → after_check → decide → after_decide → notify → end
                  (request information) ↘          ↘ (request information)
                                   wait_applicant ──reply──→ validate_attachments
                                        │ timeout: remind → wait_after_reminder
                                        │                     │ timeout: no_answer (instructor)
    reopen → check

An implicit decision (silence vaut accord / rejet, ADR 0405) completes whichever human task
is open ("check", "decide" or "no_answer"); each one's gateway then goes to "notify".

Viewflow records only who must act next. Gateways read ``Case.status``; every node that
changes the business state calls exactly one ``cases`` service, which runs the fsm
transition and writes the timeline event.
"""

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.utils import is_owner
from viewflow.workflow import flow, lock

from cases import services as case_services
from cases.models import Case, Service

from .models import CaseProcess


def is_instructor_of(user, case: Case) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and case.service_id is not None
        and Service.objects.filter(pk=case.service_id, instructors=user).exists()
    )


def _case(activation) -> Case:
    return Case.objects.select_related("procedure", "version").get(pk=activation.process.case_id)


class InstructorTask(flow.View):
    """A human task open to the instructors of the demande's service (``Case.service``,
    where the démarche's routing sent it: ADR 0023).

    Authorisation is membership of the service (data), not a global Django permission:
    an instructor of another service can neither take, be given, nor run the task.
    """

    def __init__(self, **kwargs):
        super().__init__(view=None, **kwargs)

    @staticmethod
    def case_of(task) -> Case:
        return Case.objects.select_related("procedure", "service").get(
            instruction_processes__pk=task.process_id
        )

    def can_assign(self, user, task):
        return task.owner_id is None and is_instructor_of(user, self.case_of(task))

    def can_execute(self, user, task):
        return is_owner(task.owner, user) and is_instructor_of(user, self.case_of(task))

    def can_unassign(self, user, task):
        """The owner, or a colleague of the same service handing the task over."""
        return task.owner_id is not None and is_instructor_of(user, self.case_of(task))


def _days(setting: str):
    return lambda activation: timedelta(days=getattr(settings, setting))


class InstructionFlow(flow.Flow):
    """Instruction d'une demande"""

    process_class = CaseProcess
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_process).Next(this.validate_attachments)
    reopen = flow.StartHandle(this.reopen_process).Next(this.check)

    validate_attachments = flow.Function(this.validate).Next(this.documents_complete)
    documents_complete = flow.If(this.is_waiting).Then(this.wait_applicant).Else(this.check)

    check = InstructorTask().Annotation(title=_("Vérifier la demande")).Next(this.after_check)
    # A demande decided while "check" was open (an implicit decision, ADR 0405) is told.
    after_check = (
        flow.Switch()
        .Case(this.notify, this.is_finished)
        .Case(this.wait_applicant, this.is_waiting)
        .Default(this.decide)
    )

    decide = (
        InstructorTask()
        .Annotation(title=_("Décider"))
        .Assign(this.check.owner)  # whoever checked the demande decides on it
        .Next(this.after_decide)
    )
    after_decide = flow.If(this.is_waiting).Then(this.wait_applicant).Else(this.notify)

    notify = flow.Function(this.notify_decision).Next(this.end)

    wait_applicant = (
        flow.Handle(this.reply_received)
        .Annotation(title=_("En attente de l'usager"))
        .OnTimeout(_days("GUICHET_REPLY_REMINDER_DAYS"), this.remind)
        .Next(this.validate_attachments)
    )
    remind = flow.Function(this.send_reminder).Next(this.wait_after_reminder)
    wait_after_reminder = (
        flow.Handle(this.reply_received)
        .Annotation(title=_("En attente de l'usager (relancé)"))
        .OnTimeout(_days("GUICHET_REPLY_NO_ANSWER_DAYS"), this.no_answer)
        .Next(this.validate_attachments)
    )
    no_answer = InstructorTask().Annotation(title=_("Sans réponse")).Next(this.after_no_answer)
    after_no_answer = (
        flow.Switch()
        .Case(this.notify, this.is_finished)
        .Case(this.wait_applicant, this.is_waiting)
        .Default(this.validate_attachments)
    )

    end = flow.End()

    def start_process(self, activation, case: Case):
        activation.process.case = case
        return activation.process

    def reopen_process(self, activation, case: Case, actor):
        activation.process.case = case_services.case_reopen(case=case, actor=actor)
        return activation.process

    def validate(self, activation):
        """Every required document present and accepted, else an automatic request."""
        case = _case(activation)
        missing = case_services.missing_documents(case)
        if missing:
            case_services.case_request_documents(case=case, labels=[s.label for s in missing])
        elif case.status == Case.Status.SUBMITTED:
            case_services.case_start_instruction(case=case, actor=None)

    def is_waiting(self, activation) -> bool:
        return _case(activation).status == Case.Status.AWAITING_APPLICANT

    def is_finished(self, activation) -> bool:
        return _case(activation).is_finished

    def reply_received(self, activation, **kwargs):
        """The flow follows the reply: ``cases`` already moved the status in the reply's
        own transaction."""

    def send_reminder(self, activation):
        case_services.case_remind_applicant(case=_case(activation))

    def notify_decision(self, activation):
        """After every decision (the instructor's or an implicit one): the applicant is
        told, and the expert opinions still awaited are closed — an avis never blocks the
        decision (ADR 0408)."""
        from .avis.services import avis_close_pending

        case = _case(activation)
        case_services.case_notify_decision(case=case)
        avis_close_pending(case=case)


HUMAN_NODES = (InstructionFlow.check, InstructionFlow.decide, InstructionFlow.no_answer)
WAITING_NODES = (InstructionFlow.wait_applicant, InstructionFlow.wait_after_reminder)

# Which flow nodes may be open for each ``Case.status`` (``Case.status`` owns the business
# state; the flow only says who acts next). ``workflows.consistency`` checks every demande
# against it (``manage.py check_instruction``); the flow tests assert it after every step.
_WAITING = {"wait_applicant", "wait_after_reminder"}
OPEN_NODES_BY_STATUS = {
    Case.Status.DRAFT: frozenset(),
    Case.Status.SUBMITTED: frozenset(),  # the start runs at submission and leaves nothing open
    # "no_answer" stays open when the reply came during it: the instructor resumes.
    Case.Status.IN_INSTRUCTION: frozenset({"check", "decide", "no_answer"}),
    Case.Status.AWAITING_APPLICANT: frozenset(
        {*_WAITING, *(f"{node}__timeout" for node in _WAITING), "no_answer"}
    ),
    Case.Status.ACCEPTED: frozenset(),
    Case.Status.REFUSED: frozenset(),
    Case.Status.CLOSED: frozenset(),
}
