from django.contrib import admin

from .models import Document, DocumentChange, SpaceLocker


class DocumentChangeInline(admin.TabularInline):
    model = DocumentChange
    extra = 0
    can_delete = False
    readonly_fields = ["action", "file_name", "size", "sha256", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Metadata only: an operator never reads document bytes from here (they are
    encrypted and downloads go through the owner's views)."""

    list_display = ["title", "space", "kind", "expires_on", "size", "origin", "created_at"]
    list_filter = ["kind", "origin"]
    search_fields = ["title", "file_name", "space__name"]
    readonly_fields = [
        "space",
        "storage_key",
        "file_name",
        "mime",
        "size",
        "sha256",
        "origin",
        "origin_label",
        "expiry_reminded_for",
        "created_at",
        "updated_at",
    ]
    inlines = [DocumentChangeInline]

    def has_add_permission(self, request):
        return False


@admin.register(SpaceLocker)
class SpaceLockerAdmin(admin.ModelAdmin):
    list_display = ["space", "used_bytes", "master_key_id", "rotated_at"]
    readonly_fields = ["space", "used_bytes", "master_key_id", "rotated_at"]
    exclude = ["wrapped_key"]

    def has_add_permission(self, request):
        return False
