import re

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .models import (
    Membership,
    Notification,
    SecurityEvent,
    Space,
    TermsVersion,
    TotpDevice,
    User,
)
from .services import notification_deliver


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


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "memberships__user__email"]
    inlines = [MembershipInline]


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
    """Publishing a new version makes it the one accepted at signup."""

    list_display = ["version", "published_at", "url"]


@admin.register(TotpDevice)
class TotpDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "label", "confirmed_at"]
    list_filter = ["kind"]
    search_fields = ["user__email"]
    exclude = ["secret_encrypted", "last_used_step"]
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
