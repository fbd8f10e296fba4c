from django.contrib import admin

from .models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Read-only: an import is made and undone from the secretariat's pages."""

    list_display = [
        "created_at",
        "kind",
        "event",
        "filename",
        "created_count",
        "skipped_count",
        "created_by",
        "undone_at",
    ]
    list_filter = ["kind", "undone_at"]
    list_select_related = ["created_by", "event"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
