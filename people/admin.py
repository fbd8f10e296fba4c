"""The admin of territories, organisations, people and groups.

Nobody acts on an account that holds more privileges than their own, nor
raises anyone above their own, a superuser included (who is above everyone):
see ``people.rules.Privileges`` for what a privilege is. On a more privileged
account the change form is read-only and its saving, the password form, the
delete page and the bulk deletion are refused (403); a change form that would
give an account a privilege its author lacks is a form error. A group hands its
permissions to its members, so a group is guarded the same way.
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Territory, User
from .rules import (
    can_erase,
    holds_the_privileges_of,
    permission_names,
    privileges_of,
)


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

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        # The link to the erasure of the person (audit.views), for whoever may.
        context["can_erase_person"] = obj is not None and can_erase(request.user, obj)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def has_change_permission(self, request, obj=None):
        # Also guards the password form, which asks this of its account.
        return super().has_change_permission(request, obj) and (
            holds_the_privileges_of(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        # The bulk deletion asks this of every account selected.
        return super().has_delete_permission(request, obj) and (
            holds_the_privileges_of(request.user, obj)
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # The password's button leads to a form this person may not open.
        return [
            (
                name,
                {
                    **options,
                    "fields": [f for f in options["fields"] if f != "password"],
                },
            )
            for name, options in fieldsets
        ]

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        # Read now: a person editing their own account is measured by what
        # they hold before the change.
        ceiling = privileges_of(request.user)

        class PrivilegeCeilingForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                after = privileges_of(
                    self.instance,
                    flags=cleaned_data,
                    groups=cleaned_data.get("groups"),
                    user_permissions=cleaned_data.get("user_permissions"),
                )
                if not after.is_within(ceiling):
                    raise ValidationError(
                        _(
                            "You cannot give an account privileges you do not "
                            "hold yourself."
                        ),
                        code="privileges",
                    )
                return cleaned_data

        return PrivilegeCeilingForm

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser hands out superuser status or raw permissions: the
        # secretariat manages people and roles, not its own privileges.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions", "groups"]
            if obj is not None and obj.pk == request.user.pk:
                # Nor does anyone give themselves a vote or a role: another
                # member of the secretariat does (a commission delegate speaks
                # for an organisation).
                readonly += ["is_commission_delegate", "is_partner", "organisation"]
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


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    """A group is changed or deleted only by someone who holds its permissions
    and the privileges of each of its members, and gets only permissions its
    editor holds."""

    def _within_reach(self, request, group):
        if group is None or request.user.is_superuser:
            return True
        ceiling = privileges_of(request.user)
        return permission_names(group.permissions.all()) <= ceiling.permissions and (
            all(
                privileges_of(member).is_within(ceiling)
                for member in group.user_set.all()
            )
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            self._within_reach(request, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            self._within_reach(request, obj)
        )

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "permissions" and not request.user.is_superuser:
            kwargs["queryset"] = Permission.objects.filter(
                models.Q(user=request.user) | models.Q(group__user=request.user)
            ).distinct()
        return super().formfield_for_manytomany(db_field, request, **kwargs)
