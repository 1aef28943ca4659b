"""Filing: procedures' versions, drafts, files, email codes, submission, draft expiry."""

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases import formdef, notifications, numbers
from cases.models import (
    Case,
    CaseEvent,
    CaseFile,
    EmailCode,
    Procedure,
    ProcedureVersion,
    route,
)
from cases.signals import case_submitted
from identity.crypto import keyed_hash, keyed_hash_matches
from identity.models import Profile, Space, User
from locker import vault

from .common import case_event_write, case_file_store, locker_files

EMAIL_CODE_TTL = timedelta(minutes=10)
EMAIL_CODE_MAX_ATTEMPTS = 5


def procedure_publish_version(*, procedure: Procedure) -> ProcedureVersion:
    """Snapshot the procedure's definition as a new version when it changed.

    The démarche's row is locked first: two administrators publishing at the same moment
    get versions N+1 and N+2 (or one version, if both publish the same form), never a
    clash on the version number."""
    formdef.parse(procedure.definition)
    with transaction.atomic():
        locked = (
            Procedure.objects.select_for_update(of=("self",))
            .select_related("current_version")
            .get(pk=procedure.pk)
        )
        current = locked.current_version
        if current is not None and current.definition == procedure.definition:
            procedure.current_version = current
            return current
        last = procedure.versions.order_by("-number").first()
        version = ProcedureVersion.objects.create(
            procedure=procedure,
            number=(last.number + 1) if last else 1,
            definition=procedure.definition,
        )
        procedure.current_version = version
        procedure.save(update_fields=["current_version"])
    return version


def _prefill(user: User | None) -> dict:
    """Answers known from the account and its profile (identity, contact, main address),
    keyed by the conventional field names of procedure definitions.

    "Mes informations" stores given names and the usage or birth name; the account's own
    first and last names (set by staff or the demo) are the fallback.
    """
    if user is None:
        return {}
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    street = ", ".join(p for p in (profile.address_line, profile.address_complement) if p)
    address = (
        {"street": street, "postcode": profile.postcode, "city": profile.city}
        if street or profile.postcode or profile.city
        else None
    )
    return {
        "civilite": profile.get_civility_display() if profile.civility else None,
        "prenom": profile.given_names or user.first_name or None,
        "nom": profile.usage_name or profile.birth_name or user.last_name or None,
        "date_naissance": profile.birth_date.isoformat() if profile.birth_date else None,
        "email": user.email,
        "telephone": user.verified_phone or profile.landline or None,
        "adresse": address,
        "ancienne_adresse": address,
    }


# Answers FranceConnect vouches for: shown on the form, never editable (ADR 0312).
FEDERATION_LOCKED_ANSWERS = ("civilite", "prenom", "nom", "date_naissance")


def locked_answers(case: Case) -> dict:
    """The identity answers of a draft whose applicant's identity comes from
    FranceConnect (their profile is locked): they replace whatever was typed."""
    if case.created_by_id is None or case.status != Case.Status.DRAFT:
        return {}
    profile = Profile.objects.filter(user_id=case.created_by_id).first()
    if profile is None or not profile.identity_locked:
        return {}
    names = {spec.name for spec in case.version.fields} & set(FEDERATION_LOCKED_ANSWERS)
    return {k: v for k, v in _prefill(case.created_by).items() if k in names and v}


def prefill_missing(case: Case) -> dict:
    """Profile answers for the fields of a draft never saved yet (no key in its answers):
    a profile completed after the draft was started still fills it, while a field the
    applicant emptied and saved stays empty."""
    if case.created_by_id is None or case.status != Case.Status.DRAFT:
        return {}
    names = {spec.name for spec in case.version.fields} - set(case.answers)
    return {k: v for k, v in _prefill(case.created_by).items() if k in names and v}


@transaction.atomic
def case_start(*, procedure: Procedure, user: User | None, space: Space | None) -> Case:
    if not procedure.is_open() or procedure.current_version is None:
        raise PermissionDenied(_("Cette démarche n'est pas ouverte en ce moment."))
    if user is None and procedure.account_required:
        raise PermissionDenied(_("Connectez-vous pour faire cette démarche."))
    refusal = procedure.refuses_space(space)
    if refusal:
        raise PermissionDenied(refusal)
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
    case_event_write(case, CaseEvent.Kind.CREATED, role=CaseEvent.Role.APPLICANT, actor=user)
    return case


def case_save_answers(*, case: Case, answers: dict) -> Case:
    if case.status != Case.Status.DRAFT:
        raise PermissionDenied(_("Une demande déposée ne peut plus être modifiée."))
    case.answers = {**case.answers, **answers}
    case.expiry_warned_at = None  # touched: the 3-month countdown starts again
    case.save(update_fields=["answers", "expiry_warned_at", "updated_at"])
    return case


def case_attach_file(*, case: Case, field_name: str, result) -> CaseFile:
    """Attach one accepted file (``locker.intake``) to a draft's file field."""
    spec = next((s for s in case.version.fields if s.name == field_name and s.is_file), None)
    if spec is None or case.status != Case.Status.DRAFT:
        raise PermissionDenied
    if case.files.filter(field_name=field_name).count() >= spec.max_files:
        raise _too_many_files(spec.max_files)
    return case_file_store(case, result, role=CaseEvent.Role.APPLICANT, field_name=field_name)


def _too_many_files(max_files: int) -> ValidationError:
    return ValidationError(
        ngettext(
            "Vous avez déjà joint %(n)d fichier ici : retirez-le pour le remplacer.",
            "Vous avez déjà joint %(n)d fichiers ici : retirez-en un pour le remplacer.",
            max_files,
        )
        % {"n": max_files},
        code="too_many_files",
    )


def case_attach_locker_documents(*, case: Case, field_name: str, document_ids) -> list[CaseFile]:
    """Copy the chosen locker documents into a file field. A document whose content is
    already attached there is skipped: choosing it again (back button, double click) is
    not an error."""
    spec = next((s for s in case.version.fields if s.name == field_name and s.is_file), None)
    if spec is None or case.status != Case.Status.DRAFT:
        raise PermissionDenied
    attached = case.files.filter(field_name=field_name)
    present = set(attached.values_list("sha256", flat=True))
    chosen = locker_files(space=case.space, document_ids=document_ids)
    copies = [copy for copy in chosen if copy.sha256 not in present]
    if copies and attached.count() + len(copies) > spec.max_files:
        raise _too_many_files(spec.max_files)
    return [
        case_file_store(case, copy, role=CaseEvent.Role.APPLICANT, field_name=field_name)
        for copy in copies
    ]


def case_remove_file(*, case: Case, file: CaseFile) -> None:
    if case.status != Case.Status.DRAFT or file.case_id != case.pk:
        raise PermissionDenied
    vault.delete_on_commit([file.storage_key])
    file.delete()


def missing_items(case: Case) -> list[str]:
    """Labels of required answers and files still missing (files "plus tard" are allowed);
    a field hidden by its conditions is never missing."""
    present_files = set(case.files.values_list("field_name", flat=True))
    return formdef.missing_labels(case.version.fields, case.answers, present_files)


def missing_documents(case: Case) -> list:
    """Required file fields with no accepted file yet, "plus tard" ticks included.

    A ``CaseFile`` exists only once its upload passed inspection (and the antivirus when it
    is on), so presence is the whole check.
    """
    present = set(case.files.exclude(field_name="").values_list("field_name", flat=True))
    specs = formdef.shown(case.version.fields, case.answers)
    return [s for s in specs if s.is_file and s.required and s.name not in present]


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


def _drop_hidden_answers(case: Case) -> None:
    """At submission, answers and files of the fields the applicant's choices hid are
    not sent to the service: typed before a change of mind, they are no longer asked."""
    specs = case.version.fields
    hidden = {spec.name for spec in specs} - formdef.visible_names(specs, case.answers)
    if not hidden:
        return
    keys = [k for k in case.answers if k.removesuffix("__later") in hidden]
    if keys:
        case.answers = {k: v for k, v in case.answers.items() if k not in keys}
        case.save(update_fields=["answers"])
    files = list(case.files.filter(field_name__in=hidden, message__isnull=True))
    if files:
        vault.delete_on_commit([f.storage_key for f in files])
        CaseFile.objects.filter(pk__in=[f.pk for f in files]).delete()


def case_submit(*, case: Case, actor: User | None) -> Case:
    """Draft → submitted: number, timeline event, acknowledgement email with the receipt link."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status != Case.Status.DRAFT:
            raise PermissionDenied(_("Cette demande a déjà été déposée."))
        if not case.email_verified:
            raise PermissionDenied(_("Confirmez d'abord votre adresse électronique."))
        locked = locked_answers(case)
        if any(case.answers.get(name) != value for name, value in locked.items()):
            case.answers = {**case.answers, **locked}
            case.save(update_fields=["answers"])
        missing = missing_items(case)
        if missing:
            raise ValidationError(
                [_("Il manque : %(label)s.") % {"label": label} for label in missing],
                code="incomplete",
            )
        _drop_hidden_answers(case)
        _assign_number(case)
        # Routed once, before the transition: its counter is the service's (ADR 0023).
        case.service_id = route(case)
        case.submit()
        case.save()
        event = case_event_write(
            case, CaseEvent.Kind.SUBMITTED, role=CaseEvent.Role.APPLICANT, actor=actor
        )
        notifications.notify(case, "submitted", cause=event)
        # robust: the submission stands even if a receiver fails; the instruction is then
        # started by the periodic job that picks up submitted demandes without one.
        transaction.on_commit(lambda: case_submitted.send(sender=Case, case=case), robust=True)
    return case


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
        code_hash=keyed_hash(f"{case.pk}:{code}", purpose="case-email-code"),
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
    if not keyed_hash_matches(
        f"{case.pk}:{code.strip()}", pending.code_hash, purpose="case-email-code"
    ):
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


DRAFT_LIFETIME = timedelta(days=91)  # "3 months untouched"
DRAFT_WARNING = timedelta(days=14)


def _draft_owner_emails(case: Case) -> list[str]:
    """Who is warned: in a space, the member who started the draft (all members of a
    personal space: its owner), if still a member."""
    if case.space_id:
        members = case.space.members.all()
        if case.space.kind != "personal" and case.created_by_id:
            members = members.filter(pk=case.created_by_id)
        return list(members.values_list("email", flat=True))
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
            vault.delete_on_commit(keys)
            deleted += 1
    return {"warned": warned, "deleted": deleted}
