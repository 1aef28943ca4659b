"""The delivery log in the Django admin: every attempt's time, answer and duration."""

from django.contrib import admin
from django.db import models

from .models import Attempt, Delivery, Endpoint


class AttemptInline(admin.TabularInline):
    model = Attempt
    fields = ["at", "status_code", "error", "duration_ms"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "procedure", "enabled", "consecutive_failures", "last_success_at"]
    list_filter = ["enabled"]
    search_fields = ["url", "procedure__slug"]
    # The secret is never shown again after creation.
    exclude = ["secret_encrypted"]
    readonly_fields = ["created_by", "created_at", "last_success_at", "consecutive_failures"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "type", "endpoint", "status", "attempts", "created_at", "delivered_at"]
    list_filter = ["status", "type"]
    search_fields = ["id", "endpoint__url"]
    readonly_fields = [
        "endpoint",
        "type",
        "body",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "delivered_at",
    ]
    inlines = [AttemptInline]

    def has_add_permission(self, request):
        return False
