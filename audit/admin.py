from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is written by the services only."""

    list_display = [
        "created_at",
        "actor",
        "actor_organisation",
        "action",
        "target_label",
        "from_status",
        "to_status",
    ]
    list_filter = ["action", "target_type", "actor_organisation"]
    list_select_related = ["actor", "actor_organisation"]
    search_fields = ["target_label", "comment", "actor__last_name", "actor__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
