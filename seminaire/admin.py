from django.contrib import admin

from .models import Event, Invitation


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the portal's services only (audited, with version checks):
    the admin shows the seminar, it does not change it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title", "starts_at", "place", "edition"]
    search_fields = ["title", "place"]
    list_select_related = ["edition"]
    # The version last, as it was before it came from the kernel's VersionedModel.
    readonly_fields = ["version", "created_by"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "event", "category", "organisation", "reply"]
    list_filter = ["event", "category", "reply"]
    search_fields = ["full_name", "email", "organisation__name"]
    list_select_related = ["event", "organisation"]
    exclude = ["key"]
    # The version last, as it was before it came from the kernel's VersionedModel.
    readonly_fields = ["version"]
