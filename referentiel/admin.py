from django.contrib import admin

from .models import Edition


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["title", "event_date", "place", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["title", "place", "introduction"]
    list_select_related = ["created_by"]
