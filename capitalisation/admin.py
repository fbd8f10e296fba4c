from django.contrib import admin

from .models import ExperienceSheet


@admin.register(ExperienceSheet)
class ExperienceSheetAdmin(admin.ModelAdmin):
    """Read-only: sheets are written, reviewed and published through the
    portal's services, which keep their version and audit every step."""

    list_display = ("title", "organisation", "axis", "status", "published_at")
    list_filter = ("status", "axis", "organisation")
    list_select_related = ("organisation", "axis")
    search_fields = ("title", "summary", "organisation__name")
    date_hierarchy = "created_at"
    # The version last, as it was before it came from the kernel's VersionedModel.
    readonly_fields = ("version",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
