import io
import re

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .models import (
    FederatedIdentity,
    Membership,
    Notification,
    OtpCard,
    PreregisteredPerson,
    SecurityEvent,
    Space,
    SpaceEvent,
    SpaceInvitation,
    TermsVersion,
    TotpDevice,
    User,
)
from .organisation_forms import ImportForm as PastedCsvForm
from .preregistered import import_summary, parse
from .selectors import terms_current
from .services import (
    notification_deliver,
    organisations_import,
    otp_cards_import,
    preregistered_import,
)
from .terms_text import render as render_terms


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identité"), {"fields": ["first_name", "last_name"]}),
        (
            _("Droits"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Contact"), {"fields": ["phone", "phone_verified_at", "no_mobile"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]


class CsvImportMixin:
    """An "Importer un fichier CSV" page next to the list: the pasted content goes to
    ``importer`` (a service returning an ``ImportReport``), the report is shown as
    messages. The form is never shown back filled: a seed file holds secrets."""

    change_list_template = "admin/identity/change_list_with_import.html"
    import_help = ""

    def get_urls(self):
        name = f"{self.model._meta.app_label}_{self.model._meta.model_name}_import"
        return [
            path("importer/", self.admin_site.admin_view(self.import_view), name=name),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request) and not self.has_change_permission(request):
            raise PermissionDenied
        form = PastedCsvForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            report = type(self).importer(data=form.cleaned_data["content"])
            self.message_user(
                request,
                gettext("%(created)d ajoutée(s), %(skipped)d déjà connue(s).")
                % {"created": report.created, "skipped": report.skipped},
                messages.SUCCESS,
            )
            for error in report.errors:
                self.message_user(request, error, messages.ERROR)
            return redirect(
                f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_changelist"
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "help": self.import_help,
            "title": gettext("Importer un fichier CSV"),
        }
        return TemplateResponse(request, "admin/identity/import.html", context)


@admin.register(Space)
class SpaceAdmin(CsvImportMixin, admin.ModelAdmin):
    """Spaces; pre-registered organisations are imported from a CSV file (name, member
    number of 6 digits, SIRET), also by ``manage.py import_organisations``."""

    list_display = ["name", "kind", "organisation_kind", "member_number", "siret", "created_at"]
    list_filter = ["kind", "organisation_kind"]
    search_fields = ["name", "member_number", "siret", "memberships__user__email"]
    inlines = [MembershipInline]
    importer = staticmethod(organisations_import)
    import_help = _(
        "Une ligne par organisation : nom, numéro d'adhérent (6 chiffres), SIRET (facultatif). "
        "Séparateur virgule ou point-virgule. Un numéro déjà connu est laissé tel quel."
    )


@admin.register(OtpCard)
class OtpCardAdmin(CsvImportMixin, admin.ModelAdmin):
    """The stock of physical cards. Cards come only from the supplier's seed file (the
    import page, or ``manage.py import_otp_cards``); a secret is never shown again."""

    list_display = ["serial", "period", "status", "linked_to", "imported_at", "lost_at"]
    list_filter = ["status", "period"]
    search_fields = ["serial", "device__user__email"]
    fields = ["serial", "period", "status", "linked_to", "imported_at", "lost_at"]
    readonly_fields = fields
    importer = staticmethod(otp_cards_import)
    import_help = _(
        "Le fichier du fournisseur : numéro de série, secret en base32, durée d'un code "
        "(30 ou 60 secondes). Les secrets sont chiffrés dès la lecture et ne sont plus "
        "jamais affichés."
    )

    @admin.display(description=_("associée à"))
    def linked_to(self, obj):
        return obj.device.user if obj.device_id else "—"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SpaceInvitation)
class SpaceInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "space", "role", "created_at", "expires_at", "accepted_at"]
    search_fields = ["email", "space__name"]
    readonly_fields = [f.name for f in SpaceInvitation._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only the application writes: staff read them, never add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FederatedIdentity)
class FederatedIdentityAdmin(ReadOnlyAdmin):
    """Who is linked to FranceConnect or ProConnect. Links are made and removed by their
    owners only (ADR 0312): removing one here would skip the password check."""

    list_display = ["user", "provider", "linked_at", "last_login_at"]
    list_filter = ["provider"]
    search_fields = ["user__email"]
    readonly_fields = [f.name for f in FederatedIdentity._meta.fields]


@admin.register(SpaceEvent)
class SpaceEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "space", "kind", "actor_name", "subject_name", "detail"]
    list_filter = ["kind"]
    search_fields = ["space__name", "actor_name", "subject_name"]
    readonly_fields = [f.name for f in SpaceEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Links (activation, reset, tracking) and codes of 6 digits or more (login, confirmation).
_SECRETS = re.compile(r"https?://\S+|\b\d{6,}\b")


def redact(text: str) -> str:
    """The text with every link and code replaced, for screens staff can read."""
    return _SECRETS.sub(gettext("[masqué]"), text)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox for operators: who, which channel, delivery state; never the message.

    Bodies carry login codes and personal links; subjects may carry a code: the body is
    never shown and the subject is shown redacted (docs/adr/0303-outbox-secrets-in-admin.md).
    """

    list_display = [
        "id",
        "channel",
        "recipient",
        "shown_subject",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["channel", "status"]
    fields = [
        "id",
        "channel",
        "recipient",
        "shown_subject",
        "content",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
    ]
    readonly_fields = fields
    actions = ["retry_now"]

    @admin.display(description=_("objet"))
    def shown_subject(self, obj):
        return redact(obj.subject)

    @admin.display(description=_("contenu"))
    def content(self, obj):
        return _("Masqué : un message peut contenir un code de connexion ou un lien personnel.")

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Renvoyer maintenant les notifications en attente"))
    def retry_now(self, request, queryset):
        sent = 0
        for notification_id in queryset.values_list("pk", flat=True):
            result = notification_deliver(notification_id=notification_id)
            sent += bool(result and result.status == Notification.Status.SENT)
        self.message_user(
            request,
            ngettext("%(n)d notification envoyée.", "%(n)d notifications envoyées.", sent)
            % {"n": sent},
            messages.INFO,
        )


@admin.register(TermsVersion)
class TermsVersionAdmin(admin.ModelAdmin):
    """CGU and charters. A version is written, checked in the preview, then published (its
    date reached): from then on it is read-only, and everyone accepts it at their next
    login (ADR 0310). To change a published text, add a new version."""

    list_display = ["version", "kind", "space_kind", "published_at", "in_force"]
    list_filter = ["kind", "space_kind"]
    fields = ["kind", "space_kind", "version", "published_at", "summary", "body", "preview"]
    readonly_fields = ["preview"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return self.fields
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_published)

    @admin.display(description=_("aperçu"))
    def preview(self, obj):
        return render_terms(obj.body) if obj and obj.body else "—"

    @admin.display(description=_("état"))
    def in_force(self, obj):
        if not obj.is_published:
            return gettext("Programmée")
        current = terms_current(kind=obj.kind, space_kind=obj.space_kind)
        return gettext("En vigueur") if current == obj else gettext("Remplacée")


@admin.register(PreregisteredPerson)
class PreregisteredPersonAdmin(admin.ModelAdmin):
    """People a service already knows; added and updated by importing a CSV file (the
    "Importer un fichier CSV" button, or ``manage.py import_preregistered``)."""

    list_display = ["reference", "activated_at", "imported_at"]
    list_filter = [("activated_at", admin.EmptyFieldListFilter)]
    search_fields = ["reference", "user__email"]
    fields = [
        "reference",
        "birth_date",
        "sex",
        "extra_fact",
        "email",
        "user",
        "activated_at",
        "imported_at",
    ]
    readonly_fields = ["user", "activated_at", "imported_at"]
    change_list_template = "admin/identity/preregisteredperson/change_list.html"

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [
            path("importer/", view, name="identity_preregisteredperson_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not (
            self.has_change_permission(request)
            and request.user.has_perm("identity.add_preregisteredperson")
        ):
            raise PermissionDenied
        form = PastedCsvForm(request.POST or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            text = form.cleaned_data["content"].lstrip("\ufeff")
            rows, problems = parse(io.StringIO(text, newline=""))
            if not problems:
                counts = preregistered_import(rows=rows)
                self.message_user(request, import_summary(counts), messages.SUCCESS)
                return redirect("admin:identity_preregisteredperson_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Importer des personnes pré-inscrites"),
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(request, "admin/identity/preregisteredperson/import.html", context)


@admin.register(TotpDevice)
class TotpDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "label", "confirmed_at"]
    list_filter = ["kind"]
    search_fields = ["user__email"]
    exclude = ["secret_encrypted", "last_used_step", "drift"]
    readonly_fields = ["user", "kind", "confirmed_at"]

    def has_add_permission(self, request):
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "device", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["user__email"]
    readonly_fields = [f.name for f in SecurityEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
