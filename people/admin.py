from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Territory, User


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind", "parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "parent__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "is_commission_member", "territory"]
    list_filter = ["kind", "is_commission_member"]
    list_select_related = ["territory"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["territory"]
    # A website typed without a scheme is https (Django 6's default already).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "last_name",
        "first_name",
        "organisation",
        "is_commission_delegate",
        "is_secretariat",
        "is_partner",
        "is_active",
    ]
    list_filter = [
        "is_commission_delegate",
        "is_secretariat",
        "is_partner",
        "is_staff",
        "is_active",
        "organisation__kind",
    ]
    list_select_related = ["organisation"]
    search_fields = [
        "username",
        "first_name",
        "last_name",
        "email",
        "organisation__name",
    ]
    autocomplete_fields = ["organisation"]

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser hands out superuser status or raw permissions: the
        # secretariat manages people and roles, not its own privileges.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions", "groups"]
        return readonly

    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("Portal roles"),
            {
                "fields": [
                    "organisation",
                    "job_title",
                    "is_commission_delegate",
                    "is_secretariat",
                    "is_partner",
                ]
            },
        ),
    ]
