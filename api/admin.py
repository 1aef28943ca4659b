from django.contrib import admin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made on the démarche's page (the secret is shown there once); here they
    can be read and revoked, never created nor their hash changed."""

    list_display = ("name", "hint", "created_by", "can_instruct", "expires_at", "last_used_at")
    list_filter = ("can_instruct",)
    search_fields = ("name", "hint", "created_by__email")
    readonly_fields = (
        "hint",
        "key_hash",
        "created_by",
        "created_at",
        "last_used_at",
        "procedures",
        "can_instruct",
    )
    fields = (
        "name",
        "hint",
        "key_hash",
        "procedures",
        "can_instruct",
        "created_by",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )

    def has_add_permission(self, request):
        return False
