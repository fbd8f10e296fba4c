"""« Mes notifications »: each kind of notification with the signed-in
person's choice, at once, in the daily digest or never."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from . import notifications
from .notifications import Delivery


class PreferencesForm(forms.Form):
    """One radio choice per declared kind, named after the kind."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        for group in notifications.groups():
            names = []
            for kind in group.kinds:
                self.fields[kind.value] = forms.ChoiceField(
                    label=kind.label,
                    help_text=kind.concerns,
                    choices=Delivery.choices,
                    initial=current[kind.value],
                    widget=forms.RadioSelect,
                    # A kind left out of the POST keeps its choice.
                    required=False,
                )
                names.append(kind.value)
            self.groups.append((group.app.verbose_name, names))

    def grouped_fields(self):
        return [(title, [self[name] for name in names]) for title, names in self.groups]


class NotificationPreferencesView(
    LoginRequiredMixin, PermissionRequiredMixin, FormView
):
    template_name = "notifications/preferences.html"
    permission_required = "cucs_portal.change_notification_preferences"
    form_class = PreferencesForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["current"] = notifications.preferences_of(self.request.user)
        return kwargs

    def get_context_data(self, **kwargs):
        from .digests import sending_time

        return super().get_context_data(
            digest_time=sending_time().strftime("%H:%M"), **kwargs
        )

    def form_valid(self, form):
        changed = notifications.preferences_set(
            user=self.request.user,
            choices={kind: how for kind, how in form.cleaned_data.items() if how},
        )
        if changed:
            messages.success(self.request, _("Your choices are saved."))
        else:
            messages.info(self.request, _("Nothing changed."))
        return redirect("notification_preferences")
