from django.contrib import admin

from .models import AxisDecision, AxisPosition, ValidationRound


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rounds, positions and decisions are written by the commission's services
    (with their audit entries); the admin only shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PositionInline(admin.TabularInline):
    model = AxisPosition
    extra = 0
    can_delete = False
    fields = ["axis", "organisation", "position", "comment", "recorded_by"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ValidationRound)
class ValidationRoundAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "opened_at", "closed_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    inlines = [PositionInline]


@admin.register(AxisPosition)
class AxisPositionAdmin(ReadOnlyAdmin):
    list_display = ["round", "axis", "organisation", "position", "updated_at"]
    list_filter = ["position", "axis", "organisation"]
    list_select_related = ["round", "axis", "organisation"]
    search_fields = ["comment", "organisation__name", "round__title"]


@admin.register(AxisDecision)
class AxisDecisionAdmin(ReadOnlyAdmin):
    list_display = [
        "axis",
        "round",
        "validated",
        "decided_on",
        "answer_count",
        "member_count",
    ]
    list_filter = ["validated", "axis"]
    list_select_related = ["axis", "round"]
    search_fields = ["round__title"]
