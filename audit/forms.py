from django import forms
from django.utils.translation import gettext_lazy as _

from cucs_portal.collation import French
from people.forms import OrganisationChoiceField
from people.models import Organisation

from . import verbs


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=lambda: [("", _("All actions")), *verbs.grouped_choices()],
    )
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.order_by(French("name")),
        empty_label=_("All"),
    )
    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=200)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned


class PersonEraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have read what the erasure does, and it cannot be undone."),
        required=True,
    )
