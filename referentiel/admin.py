from django.contrib import admin

from .models import Edition, Rendition, ShareLink


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the portal's services only (publishing, rendering, sharing):
    the admin shows them, it does not change them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Edition)
class EditionAdmin(ReadOnlyAdmin):
    list_display = ["title", "event_date", "place", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["title", "place", "introduction"]
    list_select_related = ["created_by"]
    exclude = ["snapshot"]
    # The version last, as it was before it came from the kernel's VersionedModel.
    readonly_fields = ["version"]


@admin.register(Rendition)
class RenditionAdmin(ReadOnlyAdmin):
    list_display = [
        "content_hash",
        "status",
        "page_count",
        "size_bytes",
        "render_seconds",
        "peak_memory_mb",
        "requested_at",
    ]
    list_filter = ["status"]
    exclude = ["content"]


@admin.register(ShareLink)
class ShareLinkAdmin(ReadOnlyAdmin):
    list_display = [
        "label",
        "edition",
        "expires_at",
        "revoked_at",
        "download_count",
        "created_at",
    ]
    list_select_related = ["edition"]
    exclude = ["key"]
