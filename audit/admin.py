from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import verbs
from .models import AuditEvent


class ActionFilter(admin.SimpleListFilter):
    """The declared verbs, then any verb that old rows hold and no app declares
    any more (shown as stored)."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        declared = verbs.choices()
        known = {value for value, _label in declared}
        stored = (
            model_admin.get_queryset(request)
            .exclude(action__in=known)
            .values_list("action", flat=True)
            .distinct()
            .order_by("action")
        )
        return [*declared, *((value, value) for value in stored)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action=self.value())
        return queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is written by the services only."""

    list_display = [
        "created_at",
        "actor",
        "actor_organisation",
        "action_display",
        "target_label",
        "from_status",
        "to_status",
    ]
    list_filter = [ActionFilter, "target_type", "actor_organisation"]
    list_select_related = ["actor", "actor_organisation"]
    search_fields = ["target_label", "comment", "actor__last_name", "actor__username"]
    date_hierarchy = "created_at"
    # The field has no choices: its page shows the verb's label through this.
    fields = [
        "actor",
        "actor_organisation",
        "action_display",
        "target_type",
        "target_id",
        "target_label",
        "from_status",
        "to_status",
        "comment",
    ]
    readonly_fields = ["action_display"]

    @admin.display(description=_("action"), ordering="action")
    def action_display(self, obj):
        return obj.action_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
