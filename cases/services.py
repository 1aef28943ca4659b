"""Writes for procedures and cases. Keyword-only functions named ``<entity>_<action>``.

Every state change runs the django-fsm transition and writes a ``CaseEvent`` in the same
transaction; emails go through the identity outbox after commit.
"""

import hashlib
import hmac
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from identity.models import Space, User

from . import formdef, notifications, numbers
from .models import Case, CaseEvent, CaseFile, EmailCode, Message, Procedure, ProcedureVersion
from .signals import applicant_replied

EMAIL_CODE_TTL = timedelta(minutes=10)
EMAIL_CODE_MAX_ATTEMPTS = 5


def procedure_publish_version(*, procedure: Procedure) -> ProcedureVersion:
    """Snapshot the procedure's definition as a new version when it changed."""
    formdef.parse(procedure.definition)
    current = procedure.current_version
    if current is not None and current.definition == procedure.definition:
        return current
    with transaction.atomic():
        last = procedure.versions.order_by("-number").first()
        version = ProcedureVersion.objects.create(
            procedure=procedure,
            number=(last.number + 1) if last else 1,
            definition=procedure.definition,
        )
        procedure.current_version = version
        procedure.save(update_fields=["current_version"])
    return version


def _event(case, kind, *, role, actor=None, summary=""):
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=actor, actor_role=role, status=case.status, summary=summary
    )


def _prefill(user: User | None) -> dict:
    """Answers known from the profile, keyed by the conventional field names."""
    if user is None:
        return {}
    return {
        "prenom": user.first_name or None,
        "nom": user.last_name or None,
        "email": user.email,
    }


@transaction.atomic
def case_start(*, procedure: Procedure, user: User | None, space: Space | None) -> Case:
    if not procedure.is_open() or procedure.current_version is None:
        raise PermissionDenied(_("Cette démarche n'est pas ouverte en ce moment."))
    if user is None and procedure.account_required:
        raise PermissionDenied(_("Connectez-vous pour faire cette démarche."))
    version = procedure.current_version
    names = {spec.name for spec in version.fields}
    answers = {k: v for k, v in _prefill(user).items() if k in names and v}
    case = Case.objects.create(
        procedure=procedure,
        version=version,
        space=space,
        created_by=user,
        applicant_email=user.email if user else "",
        email_verified=user is not None,
        answers=answers,
    )
    _event(case, CaseEvent.Kind.CREATED, role=CaseEvent.Role.APPLICANT, actor=user)
    return case


def case_save_answers(*, case: Case, answers: dict) -> Case:
    if case.status != Case.Status.DRAFT:
        raise PermissionDenied(_("Une demande déposée ne peut plus être modifiée."))
    case.answers = {**case.answers, **answers}
    case.expiry_warned_at = None  # touched: the 3-month countdown starts again
    case.save(update_fields=["answers", "expiry_warned_at", "updated_at"])
    return case


def _store(case: Case, result, *, role: str, field_name: str = "", message=None) -> CaseFile:
    key = f"cases/{case.pk}/{uuid.uuid4().hex}"
    stored_key = storages["private"].save(key, ContentFile(result.content))
    return CaseFile.objects.create(
        case=case,
        field_name=field_name,
        message=message,
        name=result.stored_name,
        storage_key=stored_key,
        size=result.size,
        sha256=result.sha256,
        mime=result.mime,
        uploaded_by_role=role,
    )


def case_attach_file(*, case: Case, field_name: str, upload, name: str):
    """Inspect and attach one file to a draft's file field.

    Returns ``(case_file, None)`` when accepted, ``(None, result)`` with the refusal.
    """
    from locker.inspection import inspect_upload

    spec = next((s for s in case.version.fields if s.name == field_name and s.is_file), None)
    if spec is None or case.status != Case.Status.DRAFT:
        raise PermissionDenied
    if case.files.filter(field_name=field_name).count() >= spec.max_files:
        raise ValidationError(
            _("Vous avez déjà joint %(n)d fichier(s) ici : retirez-en un pour le remplacer.")
            % {"n": spec.max_files},
            code="too_many_files",
        )
    result = inspect_upload(upload, name=name, context="demande")
    if not result.accepted:
        return None, result
    return _store(case, result, role=CaseEvent.Role.APPLICANT, field_name=field_name), None


def case_remove_file(*, case: Case, file: CaseFile) -> None:
    if case.status != Case.Status.DRAFT or file.case_id != case.pk:
        raise PermissionDenied
    storages["private"].delete(file.storage_key)
    file.delete()


def missing_items(case: Case) -> list[str]:
    """Labels of required answers and files still missing (files "plus tard" are allowed)."""
    present_files = set(case.files.values_list("field_name", flat=True))
    missing = []
    for spec in case.version.fields:
        if not spec.required:
            continue
        if spec.is_file:
            later = spec.allow_later and case.answers.get(f"{spec.name}__later")
            if spec.name not in present_files and not later:
                missing.append(spec.label)
        elif case.answers.get(spec.name) in (None, "", []):
            missing.append(spec.label)
    return missing


def _assign_number(case: Case) -> None:
    for _attempt in range(5):
        case.number = numbers.generate()
        try:
            with transaction.atomic():
                case.save(update_fields=["number"])
            return
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a free case number")


def case_submit(*, case: Case, actor: User | None) -> Case:
    """Draft → submitted: number, timeline event, acknowledgement email with the receipt link."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status != Case.Status.DRAFT:
            raise PermissionDenied(_("Cette demande a déjà été déposée."))
        if not case.email_verified:
            raise PermissionDenied(_("Confirmez d'abord votre adresse électronique."))
        missing = missing_items(case)
        if missing:
            raise ValidationError(
                [_("Il manque : %(label)s.") % {"label": label} for label in missing],
                code="incomplete",
            )
        _assign_number(case)
        case.submit()
        case.save()
        _event(case, CaseEvent.Kind.SUBMITTED, role=CaseEvent.Role.APPLICANT, actor=actor)
        notifications.notify(case, "submitted")
    return case


def _hash_code(case: Case, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{case.pk}:{code}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def case_send_email_code(*, case: Case, email: str) -> None:
    """Send a 6-digit code to the applicant's email; only the latest code is valid."""
    if case.status != Case.Status.DRAFT:
        raise PermissionDenied
    code = f"{secrets.randbelow(10**6):06d}"
    case.email_codes.filter(used_at__isnull=True).update(used_at=timezone.now())
    EmailCode.objects.create(
        case=case,
        email=email,
        code_hash=_hash_code(case, code),
        expires_at=timezone.now() + EMAIL_CODE_TTL,
    )
    case.applicant_email, case.email_verified = email, False
    case.save(update_fields=["applicant_email", "email_verified", "updated_at"])
    notifications.send_email_code(case, email=email, code=code)


@transaction.atomic
def case_verify_email_code(*, case: Case, code: str) -> bool:
    pending = (
        case.email_codes.select_for_update()
        .filter(used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )
    if pending is None:
        return False
    if not hmac.compare_digest(pending.code_hash, _hash_code(case, code.strip())):
        pending.attempts += 1
        if pending.attempts >= EMAIL_CODE_MAX_ATTEMPTS:
            pending.used_at = timezone.now()  # too many wrong codes: this one is void
        pending.save(update_fields=["attempts", "used_at"])
        return False
    pending.used_at = timezone.now()
    pending.save(update_fields=["used_at"])
    case.applicant_email, case.email_verified = pending.email, True
    case.save(update_fields=["applicant_email", "email_verified", "updated_at"])
    return True


def message_post(*, case: Case, author: User | None, role: str, body: str, results=()):
    """Post a message with already-accepted inspection results as attachments.

    An applicant may only write while the discussion is open; the reply is signalled to
    the workflow waiting for it.
    """
    if role == CaseEvent.Role.APPLICANT and not case.discussion_open:
        raise PermissionDenied(_("Le service n'a pas encore ouvert la messagerie."))
    with transaction.atomic():
        message = Message.objects.create(case=case, author=author, author_role=role, body=body)
        for result in results:
            _store(case, result, role=role, message=message)
        _event(case, CaseEvent.Kind.MESSAGE, role=role, actor=author)
        if role == CaseEvent.Role.APPLICANT:
            transaction.on_commit(
                lambda: applicant_replied.send(sender=Case, case=case, message=message)
            )
        else:
            notifications.notify(case, "message")
    return message


def _transition(case: Case, method: str, *, actor, kind, summary="", **kwargs) -> Case:
    """Run one fsm transition on a locked row and record it in the timeline."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        getattr(case, method)(**kwargs)
        case.save()
        _event(case, kind, role=CaseEvent.Role.INSTRUCTOR, actor=actor, summary=summary)
    return case


def case_start_instruction(*, case: Case, actor: User | None) -> Case:
    case = _transition(case, "start_instruction", actor=actor, kind=CaseEvent.Kind.STATUS)
    notifications.notify(case, "instruction_started")
    return case


def case_request_information(*, case: Case, actor: User | None, body: str, results=()) -> Case:
    """Open (or continue) the discussion with a question; the case waits for the applicant."""
    with transaction.atomic():
        case = _transition(case, "request_information", actor=actor, kind=CaseEvent.Kind.STATUS)
        message = Message.objects.create(
            case=case, author=actor, author_role=CaseEvent.Role.INSTRUCTOR, body=body
        )
        for result in results:
            _store(case, result, role=CaseEvent.Role.INSTRUCTOR, message=message)
        _event(case, CaseEvent.Kind.MESSAGE, role=CaseEvent.Role.INSTRUCTOR, actor=actor)
        notifications.notify(case, "discussion_opened")
    return case


DRAFT_LIFETIME = timedelta(days=91)  # "3 months untouched"
DRAFT_WARNING = timedelta(days=14)


def _draft_owner_emails(case: Case) -> list[str]:
    if case.space_id:
        return list(case.space.members.values_list("email", flat=True))
    return [case.applicant_email] if case.email_verified else []


def drafts_expire() -> dict:
    """Warn the owners of drafts untouched for 3 months minus 2 weeks, then delete the
    drafts untouched for 3 months (and their files)."""
    now = timezone.now()
    to_warn = Case.objects.filter(
        status=Case.Status.DRAFT,
        expiry_warned_at__isnull=True,
        updated_at__lt=now - (DRAFT_LIFETIME - DRAFT_WARNING),
    ).select_related("procedure", "space")
    warned = 0
    for case in to_warn:
        with transaction.atomic():
            for email in _draft_owner_emails(case):
                notifications.draft_expiry_warning(
                    case, email=email, deleted_on=now + DRAFT_WARNING
                )
            # update() keeps updated_at: the warning itself must not count as a touch.
            Case.objects.filter(pk=case.pk).update(expiry_warned_at=now)
            warned += 1
    expired = Case.objects.filter(
        status=Case.Status.DRAFT,
        updated_at__lt=now - DRAFT_LIFETIME,
        expiry_warned_at__lt=now - DRAFT_WARNING + timedelta(days=1),
    )
    deleted = 0
    for case in expired:
        with transaction.atomic():
            keys = list(case.files.values_list("storage_key", flat=True))
            case.delete()
            transaction.on_commit(lambda keys=keys: [storages["private"].delete(k) for k in keys])
            deleted += 1
    return {"warned": warned, "deleted": deleted}
