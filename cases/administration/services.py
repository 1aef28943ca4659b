"""Writes of the démarche administration (ADR 0019). Every change writes a
``ProcedureChange`` in its own transaction; the export format and its validation live here
too, so an import refuses exactly what the settings form refuses."""

import json
from datetime import date, datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import email_texts, formdef
from cases.models import Procedure, ProcedureChange, ProcedureVersion, RoutingRule, Service
from cases.services import procedure_publish_version
from cases.signals import instructor_removed
from identity.models import Notification, User
from identity.services import notification_enqueue

# The settings an administrator edits on the Paramètres page.
SETTINGS_FIELDS = (
    "title",
    "description",
    "service",
    "account_required",
    "filed_by",
    "retention_months",
    "opens_at",
    "closes_at",
    "implicit_decision",
    "implicit_decision_days",
    "decision_letter",
)
EXPORT_FORMAT = "guichet-demarche"
EXPORT_VERSION = 1
# The settings carried by an export file, with the JSON types each accepts.
EXPORTED_SETTINGS = {
    "title": (str,),
    "description": (str,),
    "account_required": (bool,),
    "filed_by": (str,),
    "retention_months": (int,),
    "implicit_decision": (str,),
    "implicit_decision_days": (int, type(None)),
    "decision_letter": (str,),
    "email_texts": (dict,),
}
# Settings an export file may lack (files made before them): their value when absent.
OPTIONAL_SETTINGS = {"email_texts": dict, "filed_by": lambda: Procedure.FiledBy.ANYONE}
MAX_IMPORT_BYTES = 1024 * 1024


def _record(procedure: Procedure, user: User | None, action: str, details=None):
    return ProcedureChange.objects.create(
        procedure=procedure,
        actor=user if user is not None and user.is_authenticated else None,
        action=action,
        details=details or {},
    )


def _json_value(value):
    """A setting's value as history keeps it (JSON)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Service):
        return value.name
    return value


def procedure_update_settings(*, procedure: Procedure, user: User, values: dict) -> dict:
    """Apply the settings in ``values`` (validated by the model); return and record
    ``{field: [old, new]}`` of those that changed."""
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
        changed = {}
        for name in SETTINGS_FIELDS:
            if name not in values:
                continue
            old, new = getattr(procedure, name), values[name]
            if old != new:
                changed[name] = [_json_value(old), _json_value(new)]
                setattr(procedure, name, new)
        if not changed:
            return {}
        procedure.full_clean(exclude=["current_version"])
        procedure.save()
        _record(procedure, user, ProcedureChange.Action.SETTINGS_CHANGED, changed)
    return changed


def procedure_close(*, procedure: Procedure, user: User) -> None:
    """Close now: new demandes are refused; drafts and filed demandes go on."""
    with transaction.atomic():
        now = timezone.now()
        opens_at = procedure.opens_at if procedure.opens_at and procedure.opens_at < now else None
        Procedure.objects.filter(pk=procedure.pk).update(closes_at=now, opens_at=opens_at)
        procedure.closes_at, procedure.opens_at = now, opens_at
        _record(procedure, user, ProcedureChange.Action.CLOSED)


def procedure_reopen(*, procedure: Procedure, user: User) -> None:
    with transaction.atomic():
        Procedure.objects.filter(pk=procedure.pk).update(closes_at=None)
        procedure.closes_at = None
        _record(procedure, user, ProcedureChange.Action.REOPENED)


def procedure_publish(*, procedure: Procedure, user: User) -> ProcedureVersion:
    """Publish the démarche's definition as a new version when it changed (recorded)."""
    with transaction.atomic():
        before = procedure.current_version_id
        version = procedure_publish_version(procedure=procedure)
        if version.pk != before:
            details = {"version": version.number}
            _record(procedure, user, ProcedureChange.Action.VERSION_PUBLISHED, details)
    return version


def procedure_update_email_texts(*, procedure: Procedure, user: User, texts: dict) -> dict:
    """Replace the démarche's email texts by ``texts`` (``{event: text}``, empty ones
    dropped); return and record ``{event: [old, new]}`` of those that changed (ADR 0022)."""
    texts = {key: text for key, text in texts.items() if text}
    problems = email_texts.texts_errors(texts)
    if problems:
        raise ValidationError({"email_texts": problems})
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
        before = procedure.email_texts if isinstance(procedure.email_texts, dict) else {}
        changed = {
            key: [before.get(key, ""), texts.get(key, "")]
            for key in email_texts.EVENTS
            if before.get(key, "") != texts.get(key, "")
        }
        if not changed:
            return {}
        procedure.email_texts = texts
        procedure.save(update_fields=["email_texts"])
        _record(procedure, user, ProcedureChange.Action.EMAILS_CHANGED, changed)
    return changed


# --- Versions ---------------------------------------------------------------------------


def definition_diff(old: list, new: list) -> dict:
    """Fields added, removed and changed (by name) from ``old`` to ``new``.

    ``changed`` maps a field's name to ``{key: [old, new]}`` of the keys that differ; a
    field that only moved is listed in ``moved``.
    """
    before = {f["name"]: f for f in old if isinstance(f, dict) and "name" in f}
    after = {f["name"]: f for f in new if isinstance(f, dict) and "name" in f}
    changed = {}
    for name in before.keys() & after.keys():
        keys = sorted(before[name].keys() | after[name].keys())
        diff = {
            k: [before[name].get(k), after[name].get(k)]
            for k in keys
            if before[name].get(k) != after[name].get(k)
        }
        if diff:
            changed[name] = diff
    common_before = [n for n in before if n in after]
    common_after = [n for n in after if n in before]
    return {
        "added": [after[n] for n in after if n not in before],
        "removed": [before[n] for n in before if n not in after],
        "changed": dict(sorted(changed.items(), key=lambda item: common_after.index(item[0]))),
        "moved": common_before != common_after,
    }


# --- Export and import --------------------------------------------------------------------


def procedure_export(procedure: Procedure) -> dict:
    """The démarche as a portable file: its settings and current definition."""
    data = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION}
    for name in EXPORTED_SETTINGS:
        data[name] = getattr(procedure, name)
    data["definition"] = procedure.definition
    data["routing"] = [
        {"field": rule.field_name, "value": rule.value, "service": rule.service.slug}
        for rule in procedure.routing_rules.select_related("service")
    ]
    return data


def _routing_errors(routing) -> list[str]:
    """What is wrong with an export file's routing rules (optional: older files lack them)."""
    if routing is None:
        return []
    valid = isinstance(routing, list) and all(
        isinstance(rule, dict)
        and set(rule) == {"field", "value", "service"}
        and all(isinstance(v, str) and v for v in rule.values())
        for rule in routing
    )
    if not valid:
        return [
            _(
                "Orientation des demandes : chaque règle indique une question, une "
                "réponse et un service."
            )
        ]
    return []


def _label(name: str) -> str:
    label = str(Procedure._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def import_parse(raw: bytes) -> tuple[dict | None, list[str]]:
    """Read an export file: (its settings and definition, []) or (None, every error)."""
    if len(raw) > MAX_IMPORT_BYTES:
        return None, [_("Le fichier dépasse 1 Mo.")]
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None, [_("Le fichier n'est pas un fichier JSON valide.")]
    if not isinstance(data, dict):
        return None, [_("Le fichier ne contient pas une démarche exportée de Guichet.")]
    errors = []
    if data.get("format") != EXPORT_FORMAT or data.get("version") != EXPORT_VERSION:
        errors.append(
            _("Ce fichier n'est pas un export de démarche de Guichet (format %(format)s).")
            % {"format": f"{EXPORT_FORMAT}, version {EXPORT_VERSION}"}
        )
    values = {}
    for name, types in EXPORTED_SETTINGS.items():
        if name not in data and name in OPTIONAL_SETTINGS:
            values[name] = OPTIONAL_SETTINGS[name]()
            continue
        if name not in data:
            errors.append(_("%(label)s : valeur absente.") % {"label": _label(name)})
            continue
        value = data[name]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            errors.append(_("%(label)s : type de valeur invalide.") % {"label": _label(name)})
            continue
        values[name] = value
    candidate = Procedure(**values)
    try:
        candidate.clean_fields(
            exclude=[f.name for f in Procedure._meta.fields if f.name not in values]
        )
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.extend(f"{_label(name)} : {message}" for message in messages)
    if isinstance(values.get("email_texts"), dict):
        texts = values["email_texts"]
        texts = {k: email_texts.normalise(v) if isinstance(v, str) else v for k, v in texts.items()}
        values["email_texts"] = {k: v for k, v in texts.items() if v != ""}
        errors.extend(
            f"{_label('email_texts')} : {problem}"
            for problem in email_texts.texts_errors(values["email_texts"])
        )
    if values.get("implicit_decision") and not values.get("implicit_decision_days"):
        errors.append(f"{_label('implicit_decision_days')} : " + _("Indiquez le délai en jours."))
    definition = data.get("definition")
    try:
        formdef.parse(definition)
    except ValidationError as error:
        errors.extend(_("Formulaire : %(error)s") % {"error": m} for m in error.messages)
    errors.extend(_routing_errors(data.get("routing")))
    if errors:
        return None, errors
    return {**values, "definition": definition, "routing": data.get("routing") or []}, []


def _create(*, values: dict, title: str, slug: str, service: Service, user: User) -> Procedure:
    procedure = Procedure(**{**values, "title": title, "slug": slug, "service": service})
    procedure.full_clean(exclude=["current_version"])
    procedure.save()
    procedure.administrators.add(user)
    procedure_publish_version(procedure=procedure)
    return procedure


def procedure_import(
    *, data: dict, title: str, slug: str, service: Service, user: User, offered=None
) -> Procedure:
    """A new démarche from a file read by ``import_parse``: its definition is version 1,
    the importing user its administrator. Its routing rules name services by identifier:
    each must be one of ``offered`` (every service by default), or nothing is created."""
    values = {k: v for k, v in data.items() if k not in ("title", "routing")}
    routing = data.get("routing") or []
    by_slug = {s.slug: s for s in (offered if offered is not None else Service.objects.all())}
    unknown = sorted({rule["service"] for rule in routing} - by_slug.keys())
    if unknown:
        raise ValidationError(
            {
                "file": _(
                    "Orientation des demandes : ces services n'existent pas ici ou ne vous "
                    "sont pas proposés : %(services)s. Créez-les, ou retirez ces règles du "
                    "fichier."
                )
                % {"services": ", ".join(unknown)}
            }
        )
    with transaction.atomic():
        procedure = _create(values=values, title=title, slug=slug, service=service, user=user)
        _copy_routing(
            procedure,
            [(r["field"], r["value"], by_slug[r["service"]].pk) for r in routing],
        )
        _record(procedure, user, ProcedureChange.Action.IMPORTED, {"version": 1})
    return procedure


def _copy_routing(procedure: Procedure, rules: list[tuple[str, str, int]]) -> None:
    RoutingRule.objects.bulk_create(
        RoutingRule(
            procedure=procedure, position=position, field_name=field, value=value, service_id=pk
        )
        for position, (field, value, pk) in enumerate(rules)
    )


def procedure_clone(*, source: Procedure, title: str, slug: str, user: User) -> Procedure:
    """A new démarche with the settings, current definition (its version 1) and routing
    rules of ``source``, same service, no demande; ``user`` administers it. Opening and
    closing dates are not copied (as in an export): the copy is open, a new campaign."""
    values = {name: getattr(source, name) for name in EXPORTED_SETTINGS if name != "title"}
    values.update(
        definition=source.current_version.definition
        if source.current_version
        else source.definition,
    )
    with transaction.atomic():
        procedure = _create(
            values=values, title=title, slug=slug, service=source.service, user=user
        )
        _copy_routing(
            procedure,
            [(r.field_name, r.value, r.service_id) for r in source.routing_rules.all()],
        )
        _record(
            procedure,
            user,
            ProcedureChange.Action.CLONED_FROM,
            {"source": source.slug, "source_title": source.title},
        )
    return procedure


# --- Creation from scratch ------------------------------------------------------------------

# The form of a new démarche until its administrator builds their own: one question, so
# that the definition is valid from the start (ADR 0021). Data, not interface: French.
STARTER_DEFINITION = [
    {
        "name": "objet",
        "type": "long_text",
        "label": "Objet de votre demande",
        "required": True,
    }
]


def procedure_create(
    *,
    title: str,
    slug: str,
    description: str,
    service: Service,
    account_required: bool,
    user: User,
) -> Procedure:
    """A new démarche with the starter form, not published: nobody can file it until its
    administrator (``user``) publishes a version (ADR 0021)."""
    with transaction.atomic():
        procedure = Procedure(
            title=title,
            slug=slug,
            description=description,
            service=service,
            account_required=account_required,
            definition=[dict(field) for field in STARTER_DEFINITION],
        )
        procedure.full_clean(exclude=["current_version"])
        procedure.save()
        procedure.administrators.add(user)
        _record(procedure, user, ProcedureChange.Action.CREATED, {"service": service.name})
    return procedure


# --- Service, instructors and administrators (ADR 0021) -----------------------------------


def _absolute(url_name: str, *args) -> str:
    return settings.GUICHET_SITE_URL.rstrip("/") + reverse(url_name, args=args)


def _person(user: User) -> str:
    return user.get_full_name() or user.email


def service_create(
    *,
    procedure: Procedure,
    user: User,
    name: str,
    slug: str,
    contact_email: str,
    attach: bool,
) -> Service:
    """A new service, recorded on the démarche it was created from (so that the démarche's
    administrators are offered it in the Paramètres). With ``attach``, the démarche moves
    to it at once (a settings change, recorded as such)."""
    with transaction.atomic():
        service = Service(name=name, slug=slug, contact_email=contact_email)
        service.full_clean()
        service.save()
        _record(
            procedure,
            user,
            ProcedureChange.Action.SERVICE_CREATED,
            {"service_id": service.pk, "name": name, "slug": slug, "attached": attach},
        )
        if attach:
            procedure_update_settings(procedure=procedure, user=user, values={"service": service})
            procedure.service = service
    return service


def instructor_invite(*, procedure: Procedure, user: User, email: str) -> User:
    """Make the person with this address an instructor of the démarche's service and tell
    them by email how to enter the instruction area.

    An address without an account gets one (no password yet, the address counted as
    verified: only its mailbox can set the password); the email sends them to the
    "forgotten password" page to choose it (ADR 0021). The caller shows the same message
    either way. Raises ``ValidationError`` if the person already instructs the service.
    """
    email = User.objects.normalize_email(email.strip())
    service = procedure.service
    with transaction.atomic():
        invited = User.objects.filter(email__iexact=email).first()
        created = invited is None
        if created:
            invited = User.objects.create_user(email, password=None)
            EmailAddress.objects.create(user=invited, email=email, verified=True, primary=True)
        elif service.instructors.filter(pk=invited.pk).exists():
            raise ValidationError(
                _("Cette personne instruit déjà le service « %(service)s ».")
                % {"service": service.name},
                code="already",
            )
        service.instructors.add(invited)
        context = {
            "inviter": _person(user),
            "service": service.name,
            "procedure": procedure.title,
            "operator": settings.GUICHET_OPERATOR_NAME,
            "email": invited.email,
            "new_account": created,
            "reset_url": _absolute("account_reset_password"),
            "login_url": _absolute("account_login"),
            "enrol_url": _absolute("identity:totp_enrol"),
            "instruction_url": _absolute("workflows:queue"),
        }
        notification_enqueue(
            channel=Notification.Channel.EMAIL,
            recipient=invited.email,
            subject=_("Vous êtes instructeur du service « %(service)s »")
            % {"service": service.name},
            body_text=render_to_string("cases/email/instructor_invited.txt", context),
        )
        _record(
            procedure,
            user,
            ProcedureChange.Action.INSTRUCTOR_INVITED,
            {"email": invited.email.lower(), "service": service.name},
        )
    return invited


def instructor_remove(*, procedure: Procedure, user: User, instructor: User) -> int:
    """Take ``instructor`` out of the démarche's service (every démarche of that service,
    then). The demandes they held go back to the queue in the same transaction (the
    ``instructor_removed`` signal, heard by the instruction); returns how many."""
    service = procedure.service
    with transaction.atomic():
        Service.objects.select_for_update().filter(pk=service.pk).first()
        if not service.instructors.filter(pk=instructor.pk).exists():
            return 0
        service.instructors.remove(instructor)
        responses = instructor_removed.send(sender=Service, service=service, user=instructor)
        released = sum(count for _receiver, count in responses if isinstance(count, int))
        _record(
            procedure,
            user,
            ProcedureChange.Action.INSTRUCTOR_REMOVED,
            {"email": instructor.email.lower(), "service": service.name, "released": released},
        )
    return released


def administrator_add(*, procedure: Procedure, user: User, email: str) -> User:
    """Make the account with this address an administrator of the démarche, and tell them.
    An address without an account is refused (``ValidationError``): an administrator is
    someone who already works on the platform (ADR 0021)."""
    email = User.objects.normalize_email(email.strip())
    with transaction.atomic():
        added = User.objects.filter(email__iexact=email, is_active=True).first()
        if added is None:
            raise ValidationError(
                _(
                    "Aucun compte n'utilise cette adresse. Demandez à la personne de créer "
                    "son compte, ou invitez-la d'abord comme instructeur, puis ajoutez-la."
                ),
                code="unknown",
            )
        if procedure.administrators.filter(pk=added.pk).exists():
            raise ValidationError(_("Cette personne administre déjà la démarche."), code="already")
        procedure.administrators.add(added)
        context = {
            "inviter": _person(user),
            "procedure": procedure.title,
            "operator": settings.GUICHET_OPERATOR_NAME,
            "administration_url": _absolute("cases:administration_procedure", procedure.slug),
            "enrol_url": _absolute("identity:totp_enrol"),
        }
        notification_enqueue(
            channel=Notification.Channel.EMAIL,
            recipient=added.email,
            subject=_("Vous administrez la démarche « %(procedure)s »")
            % {"procedure": procedure.title},
            body_text=render_to_string("cases/email/administrator_added.txt", context),
        )
        _record(procedure, user, ProcedureChange.Action.ADMIN_ADDED, {"email": added.email.lower()})
    return added


def administrator_remove(*, procedure: Procedure, user: User, administrator: User) -> None:
    """Remove an administrator; the last one stays (``ValidationError``), so that a
    démarche always has someone to manage it. The démarche's row is locked: two
    administrators removing each other at once cannot both succeed."""
    with transaction.atomic():
        Procedure.objects.select_for_update().filter(pk=procedure.pk).first()
        administrators = procedure.administrators.all()
        if not administrators.filter(pk=administrator.pk).exists():
            return
        if administrators.count() <= 1:
            raise ValidationError(
                _(
                    "La démarche doit garder au moins un administrateur. Ajoutez d'abord "
                    "une autre personne, puis retirez celle-ci."
                ),
                code="last",
            )
        procedure.administrators.remove(administrator)
        _record(
            procedure,
            user,
            ProcedureChange.Action.ADMIN_REMOVED,
            {"email": administrator.email.lower()},
        )


# --- Routing rules (ADR 0023) ---------------------------------------------------------------


def _rule_details(rule: RoutingRule, field_label: str) -> dict:
    return {
        "field": rule.field_name,
        "field_label": field_label,
        "value": rule.value,
        "service": rule.service.name,
    }


def _renumber(procedure: Procedure, rules: list[RoutingRule]) -> None:
    for position, rule in enumerate(rules):
        if rule.position != position:
            rule.position = position
            rule.save(update_fields=["position"])


def routing_rule_add(
    *, procedure: Procedure, user: User, field_name: str, value: str, service: Service
) -> RoutingRule:
    """A new last rule: demandes answering ``value`` to ``field_name`` go to ``service``.
    The field must be a choice field of the published version offering that answer."""
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
        rule = RoutingRule(procedure=procedure, field_name=field_name, value=value, service=service)
        spec = rule.field_in(procedure.current_version)
        if spec is None:
            raise ValidationError({"answer": _("Choisissez une réponse proposée dans la liste.")})
        rule.position = procedure.routing_rules.count()
        rule.save()
        details = {"added": _rule_details(rule, spec.label)}
        _record(procedure, user, ProcedureChange.Action.ROUTING_CHANGED, details)
    return rule


def routing_rule_remove(*, procedure: Procedure, user: User, rule: RoutingRule) -> None:
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
        rule = procedure.routing_rules.select_related("service").filter(pk=rule.pk).first()
        if rule is None:  # removed meanwhile
            return
        spec = rule.field_in(procedure.current_version)
        details = {"removed": _rule_details(rule, spec.label if spec else rule.field_name)}
        rule.delete()
        _renumber(procedure, list(procedure.routing_rules.all()))
        _record(procedure, user, ProcedureChange.Action.ROUTING_CHANGED, details)


def routing_rule_move(*, procedure: Procedure, user: User, rule: RoutingRule, up: bool) -> bool:
    """Swap the rule with the one before (``up``) or after it; False at either end."""
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
        rules = list(procedure.routing_rules.select_related("service"))
        index = next((i for i, r in enumerate(rules) if r.pk == rule.pk), None)
        other = None if index is None else index - 1 if up else index + 1
        if other is None or not 0 <= other < len(rules):
            return False
        rules[index], rules[other] = rules[other], rules[index]
        _renumber(procedure, rules)
        moved = rules[other]
        spec = moved.field_in(procedure.current_version)
        details = {
            "moved": {
                **_rule_details(moved, spec.label if spec else moved.field_name),
                "position": other + 1,
            }
        }
        _record(procedure, user, ProcedureChange.Action.ROUTING_CHANGED, details)
    return True
