from django.contrib import admin

from .models import (
    Atelier,
    AtelierMembership,
    Proposal,
    ProposalComment,
    ProposalRevision,
    Session,
)


class MembershipInline(admin.TabularInline):
    model = AtelierMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Atelier)
class AtelierAdmin(admin.ModelAdmin):
    list_display = ["name", "axis", "period_start", "period_end"]
    list_select_related = ["axis"]
    search_fields = ["name", "description"]
    inlines = [MembershipInline]


@admin.register(AtelierMembership)
class AtelierMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "atelier", "role", "joined_on"]
    list_filter = ["role", "atelier"]
    list_select_related = ["user", "atelier"]
    search_fields = ["user__first_name", "user__last_name", "atelier__name"]
    autocomplete_fields = ["user"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["atelier", "starts_at", "place"]
    list_filter = ["atelier"]
    list_select_related = ["atelier"]
    search_fields = ["place", "agenda", "minutes"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["attendees"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Read-only: proposals are written in the portal, where every save is
    versioned (no lost edit), kept in the history and audited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    list_display = [
        "reference",
        "title",
        "atelier",
        "enjeu",
        "status",
        "priority",
        "lead_organisation",
        "updated_at",
    ]
    list_filter = ["status", "priority", "atelier", "lead_organisation"]
    list_select_related = ["atelier__axis", "enjeu__axis", "lead_organisation"]
    search_fields = ["title", "summary", "description"]
    date_hierarchy = "updated_at"
    autocomplete_fields = ["lead_organisation", "created_by"]
    filter_horizontal = ["partner_organisations", "territories", "authors"]
    readonly_fields = ["created_at", "updated_at", "version"]


@admin.register(ProposalRevision)
class ProposalRevisionAdmin(admin.ModelAdmin):
    list_display = ["proposal", "version", "author", "created_at"]
    list_select_related = ["proposal__atelier__axis", "author"]
    search_fields = ["proposal__title", "author__last_name"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProposalComment)
class ProposalCommentAdmin(admin.ModelAdmin):
    """Read-only: the atelier's discussion is not edited behind its back."""

    list_display = ["proposal", "author", "created_at"]
    list_select_related = ["proposal__atelier__axis", "author"]
    search_fields = ["body", "proposal__title", "author__last_name"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
