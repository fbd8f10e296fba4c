from django.contrib import admin

from .models import FundingLine, ProgressNote, SiteAction


class ReadOnlyMixin:
    """Site actions are written in the portal, where every save is checked
    against the version the person started from and audited."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FundingLineInline(ReadOnlyMixin, admin.TabularInline):
    model = FundingLine
    extra = 0


class ProgressNoteInline(ReadOnlyMixin, admin.TabularInline):
    model = ProgressNote
    extra = 0


@admin.register(SiteAction)
class SiteActionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "territory",
        "lead_organisation",
        "starts_on",
        "ends_on",
        "status",
        "progress",
    ]
    list_filter = ["status", "territory__kind", "lead_organisation"]
    list_select_related = ["territory", "lead_organisation"]
    search_fields = ["title", "description", "territory__name"]
    date_hierarchy = "starts_on"
    filter_horizontal = ["partner_organisations"]
    readonly_fields = ["created_at", "updated_at", "version"]
    inlines = [FundingLineInline, ProgressNoteInline]


@admin.register(ProgressNote)
class ProgressNoteAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["action", "status", "progress", "author", "created_at"]
    list_filter = ["status"]
    list_select_related = ["action", "author"]
    search_fields = ["body", "action__title"]
    date_hierarchy = "created_at"
