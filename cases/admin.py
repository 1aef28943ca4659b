from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from identity.admin import ReadOnlyAdmin

from .administration.services import procedure_publish
from .models import Case, CaseEvent, DeletedCase, Procedure, ProcedureVersion, PurgeRun, Service


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "contact_email"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["instructors"]


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    extra = 0
    fields = ["number", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "service",
        "account_required",
        "implicit_decision",
        "implicit_decision_days",
        "opens_at",
        "closes_at",
    ]
    list_filter = ["service", "account_required", "implicit_decision"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["current_version"]
    filter_horizontal = ["administrators"]
    inlines = [VersionInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        version = procedure_publish(procedure=obj, user=request.user)  # in its history
        messages.info(
            request,
            _("Formulaire en version %(n)d. Les demandes déjà déposées gardent la leur.")
            % {"n": version.number},
        )


class EventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = ["created_at", "kind", "status", "actor_role", "actor", "summary"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: a case changes only through its services (instruction workspace)."""

    list_display = ["number", "procedure", "status", "submitted_at", "updated_at"]
    list_filter = ["status", "procedure"]
    search_fields = ["number", "applicant_email"]
    inlines = [EventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Case._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(PurgeRun)
class PurgeRunAdmin(ReadOnlyAdmin):
    """The counts of each ``retention-purge`` run (ADR 0406). Written by the run only."""

    list_display = ["started_at", "finished_at", "notices_sent", "trashed", "deleted", "errors"]
    date_hierarchy = "started_at"


@admin.register(DeletedCase)
class DeletedCaseAdmin(ReadOnlyAdmin):
    """What is kept of a deleted demande (no personal data)."""

    list_display = ["number", "procedure_title", "service", "status", "decided_at", "deleted_at"]
    list_filter = ["service", "status"]
    search_fields = ["number"]
