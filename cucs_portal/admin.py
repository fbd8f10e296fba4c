"""The second factors in the admin: who has one, since when, last used; never
their secret, nor the recovery codes. Deleting a person's device is how the
secretariat resets their two-factor authentication (a lost phone, no recovery
codes left): a person who must use it then sets it up again at their next
sign-in (cucs_portal/two_factor.py)."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class DeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    fields = list_display
    readonly_fields = list_display
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def get_actions(self, request):
        # The bulk deletion asks no permission of each device: one at a time,
        # through has_delete_permission below.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        """Who may delete the person may delete their devices (with them, or
        alone to reset them); the devices' own permission, too, only on an
        account within the actor's reach (``people.act_on_account``):
        nobody resets the second factor of an account more privileged than
        their own."""
        own = super().has_delete_permission(request, obj)
        if obj is None:
            return own
        people = self.admin_site.get_model_admin(type(obj.user))
        if people.has_delete_permission(request, obj.user):
            return True
        return own and request.user.has_perm("people.act_on_account", obj.user)


admin.site.register(TOTPDevice, DeviceAdmin)
admin.site.register(StaticDevice, DeviceAdmin)
