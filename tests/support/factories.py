"""Demandes in a given state, built through the project's services, not the views.

One trait per ``Case.Status``::

    CaseFactory(draft=True)               # answers and files saved, not submitted
    CaseFactory(submitted=True)           # submitted; the start of its instruction failed
    CaseFactory(in_instruction=True)      # every document, the flow started, "check" open
    CaseFactory(awaiting_applicant=True)  # an instructor took "check" and asked a question
    CaseFactory(accepted=True)            # checked, then decided through the flow
    CaseFactory(refused=True)             # idem, with a reason
    CaseFactory(closed=True)              # idem, with a reason

Each step calls what the views call (``cases.services`` for filing, the receivers of
``workflows`` for what runs after commit, ``workflows.services`` for the instructor's
tasks), so a demande has the same timeline events, messages and open viewflow tasks as one
taken there through the views (tests/workflows/test_factories.py compares them).
Nothing writes ``Case.status`` directly.

Options: ``procedure`` (default: the heating aid of the demo), ``applicant`` (a new
account by default), ``answers`` (as the form posts them, default ``AID_ANSWERS``),
``files`` (field name → uploads; default: a file for every required file field),
``deferred`` (the tax notice ticked "plus tard": submitted, the service's automatic
request opens the discussion; with a later status, the applicant replies with it first),
``instructor`` (who takes and decides; default: a new instructor of the service), ``taken``
(in instruction: the instructor has taken "check"), ``checked`` (in instruction: "check"
complete, "decide" open with the instructor), ``question``, ``reason``.
"""

from io import StringIO

import factory
from django.utils.datastructures import MultiValueDict

from cases import formdef
from cases import services as case_services
from cases.models import Case, CaseEvent, Procedure
from identity.models import User
from identity.selectors import space_personal_for
from locker.inspection import inspect_upload
from tests.support.filing import AID_ANSWERS, PASSWORD, pdf_upload, png_upload

Status = Case.Status

DECIDED = {Status.ACCEPTED: "accepted", Status.REFUSED: "refused", Status.CLOSED: "closed"}
REASONS = {
    Status.ACCEPTED: "",
    Status.REFUSED: "Revenus au-dessus du plafond.",
    Status.CLOSED: "Demande en double.",
}


def demo_procedure(slug: str = "aide-chauffage") -> Procedure:
    """A démarche of the demo, seeded when missing (as the ``demo_procedures`` fixture)."""
    procedure = Procedure.objects.filter(slug=slug).first()
    if procedure is None:
        from cases import demo as cases_demo
        from identity import demo as identity_demo

        identity_demo.seed(StringIO())
        cases_demo.seed(StringIO())
        procedure = Procedure.objects.get(slug=slug)
    return procedure


class UserFactory(factory.django.DjangoModelFactory):
    """An account with the tests' password."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"usager{n}@example.fr")
    first_name = "Camille"
    last_name = "Martin"

    @classmethod
    def _create(cls, model_class, email, **fields):
        return model_class.objects.create_user(email, PASSWORD, **fields)


class InstructorFactory(UserFactory):
    """An instructor of ``service`` (a slug of the demo's services)."""

    email = factory.Sequence(lambda n: f"instructeur{n}@departement.example")
    first_name = "Inès"
    last_name = "Instructrice"

    service = "action-sociale"

    @classmethod
    def _create(cls, model_class, email, service, **fields):
        from cases.models import Service

        demo_procedure()  # the demo's services
        user = super()._create(model_class, email, **fields)
        Service.objects.get(slug=service).instructors.add(user)
        return user


def _default_files(procedure: Procedure, deferred: bool) -> dict:
    """A file for every required file field (the ones "plus tard" left out when deferred);
    for the heating aid, the same names as the filing through the views."""
    names = {"piece_identite": png_upload("recto.png"), "avis_imposition": None}
    files = {}
    for spec in procedure.current_version.fields:
        if not (spec.is_file and spec.required) or (deferred and spec.allow_later):
            continue
        upload = names.get(spec.name) or pdf_upload(
            "avis.pdf" if spec.name == "avis_imposition" else f"{spec.name}.pdf"
        )
        files[spec.name] = [upload]
    return files


def _accepted(upload):
    upload.seek(0)
    result = inspect_upload(upload, name=upload.name, context="demande")
    assert result.accepted, (upload.name, result.message)
    return result


class CaseFactory(factory.Factory):
    class Meta:
        model = Case

    class Params:
        draft = factory.Trait(status=Status.DRAFT)
        submitted = factory.Trait(status=Status.SUBMITTED)
        in_instruction = factory.Trait(status=Status.IN_INSTRUCTION)
        awaiting_applicant = factory.Trait(status=Status.AWAITING_APPLICANT)
        accepted = factory.Trait(status=Status.ACCEPTED)
        refused = factory.Trait(status=Status.REFUSED, reason=REASONS[Status.REFUSED])
        closed = factory.Trait(status=Status.CLOSED, reason=REASONS[Status.CLOSED])

    status = Status.DRAFT
    procedure = factory.LazyFunction(demo_procedure)
    applicant = factory.SubFactory(UserFactory)
    answers = factory.LazyFunction(lambda: dict(AID_ANSWERS))
    deferred = False
    files = factory.LazyAttribute(lambda o: _default_files(o.procedure, o.deferred))
    instructor = None
    taken = False
    checked = False
    question = "Merci d'envoyer votre RIB."
    reason = ""

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("a demande exists only through its services: use create")

    @classmethod
    def _create(cls, model_class, *, status, **options):
        case = _draft(
            procedure=options["procedure"],
            applicant=options["applicant"],
            answers=options["answers"],
            files=options["files"],
            deferred=options["deferred"],
        )
        if status == Status.DRAFT:
            return case
        case = _submit(case, options["applicant"], start=status != Status.SUBMITTED)
        if status == Status.SUBMITTED:
            return case
        if status == Status.AWAITING_APPLICANT and options["deferred"]:
            return case  # the service's automatic request for the deferred document
        case = _reply_with_deferred(case, options["applicant"])
        if status == Status.IN_INSTRUCTION and not (options["taken"] or options["checked"]):
            return case  # "check" open to the service, nobody has taken it
        instructor = options["instructor"] or _instructor_of(case)
        _take(case, instructor)
        if status == Status.IN_INSTRUCTION:
            if options["checked"]:
                _check(case, instructor)
            return _fresh(case)
        if status == Status.AWAITING_APPLICANT:
            from workflows import services

            services.task_request_information(
                task=_task(case), user=instructor, body=options["question"]
            )
            return _fresh(case)
        return _decide(case, instructor, DECIDED[status], options["reason"])


def _fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def _draft(*, procedure, applicant, answers, files, deferred) -> Case:
    """What the filing views do: start, save the answers as the form cleans them (with
    "plus tard" ticked on the documents that allow it when ``deferred``), attach the
    inspected files."""
    space = space_personal_for(user=applicant) if applicant else None
    case = case_services.case_start(procedure=procedure, user=applicant, space=space)
    specs = case.version.fields
    if deferred:
        later = {f"{s.name}__later": "on" for s in specs if s.is_file and s.allow_later}
        answers = {
            **answers,
            **{k: v for k, v in later.items() if k[: -len("__later")] not in files},
        }
    data = MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in answers.items()})
    form = formdef.build_form_class(specs, drafting=True)(data)
    form.is_valid()
    case_services.case_save_answers(
        case=case, answers=formdef.answers_to_save(specs, form, case.answers)
    )
    for field_name, uploads in files.items():
        for upload in uploads:
            case_services.case_attach_file(
                case=case, field_name=field_name, result=_accepted(upload)
            )
    return _fresh(case)


def _submit(case: Case, applicant, *, start: bool) -> Case:
    """Submit; then what runs after the submission's commit: the start of the instruction
    (the ``case_submitted`` receiver, run here since the test's transaction never
    commits). Without ``start``, as when that start failed: the receiver is off during the
    submission, so that a test that really commits does not start it either."""
    from cases.signals import case_submitted
    from workflows import receivers

    if not start:
        uid = "workflows_start_instruction"
        case_submitted.disconnect(sender=Case, dispatch_uid=uid)
        try:
            return case_services.case_submit(case=case, actor=applicant)
        finally:
            case_submitted.connect(receivers.start_instruction, sender=Case, dispatch_uid=uid)
    case = case_services.case_submit(case=case, actor=applicant)
    receivers.start_instruction(sender=Case, case=case)  # a no-op if it already ran
    return _fresh(case)


def _reply_with_deferred(case: Case, applicant) -> Case:
    """A demande waiting for its deferred documents: the applicant sends them in a reply,
    then the flow follows (the ``applicant_replied`` receiver)."""
    if case.status != Status.AWAITING_APPLICANT:
        return case
    from workflows import receivers

    documents = {
        spec.name: [_accepted(pdf_upload(f"{spec.name}.pdf"))]
        for spec in case_services.missing_documents(case)
    }
    message = case_services.message_post(
        case=case,
        author=applicant,
        role=CaseEvent.Role.APPLICANT,
        body="Voici.",
        documents=documents,
    )
    receivers.complete_waiting_task(sender=Case, case=case, message=message)
    return _fresh(case)


def _instructor_of(case: Case) -> User:
    return InstructorFactory(service=case.service.slug)


def _task(case: Case):
    from workflows.selectors import open_task

    return open_task(case)


def _take(case: Case, instructor: User) -> None:
    from workflows import services

    services.task_take(task=_task(case), user=instructor)


def _check(case: Case, instructor: User) -> None:
    """The instructor completes "check": "decide" opens, with them."""
    from workflows import services

    services.task_check_complete(task=_task(case), user=instructor)


def _decide(case: Case, instructor: User, decision: str, reason: str) -> Case:
    """The instructor completes "check", then decides (the checker keeps the demande)."""
    from workflows import services

    _check(case, instructor)
    services.task_decide(task=_task(case), user=instructor, decision=decision, reason=reason)
    return _fresh(case)


__all__ = ["CaseFactory", "InstructorFactory", "UserFactory", "demo_procedure"]
