from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from ateliers.models import Proposal
from axes.models import Axis
from cucs_portal import texts
from cucs_portal.collation import French
from cucs_portal.fields import BaseVersionField
from cucs_portal.texts import LongTextFormField
from cucs_portal.widgets import MarkdownTextarea
from people.forms import OrganisationChoiceField, OrganisationMultipleChoiceField
from people.models import Organisation, Territory

from . import services
from .models import ExperienceSheet
from .services import EDITABLE_FIELDS


def territory_label(territory: Territory) -> str:
    return (
        f"{territory.name} ({territory.parent.name})"
        if territory.parent_id
        else territory.name
    )


class SheetForm(forms.ModelForm):
    """What an experience sheet says, grouped as a reader looks for it. Status,
    author, review and version are set by the services: extra fields in a POST
    change nothing."""

    base_version = BaseVersionField()
    field_order = ["base_version", *EDITABLE_FIELDS]

    class Meta:
        model = ExperienceSheet
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "what_was_done": MarkdownTextarea(attrs={"rows": 8}),
            "results": MarkdownTextarea(attrs={"rows": 5}),
            "lessons": MarkdownTextarea(attrs={"rows": 5}),
            "territories": forms.CheckboxSelectMultiple,
            "other_organisations": forms.CheckboxSelectMultiple,
            "proposals": forms.CheckboxSelectMultiple,
            "contact_email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }
        # Organisations by their full names (Organisation.choice_label).
        field_classes = {
            "organisation": OrganisationChoiceField,
            "other_organisations": OrganisationMultipleChoiceField,
        }
        help_texts = {
            "title": _(
                "What a colleague would type to find it, e.g. “Night-time "
                "mediation in Montreynaud”."
            ),
            "summary": _(
                "Two or three sentences that say what it was and what came of it."
            ),
            "results": _("What changed, with figures if you have them."),
            "lessons": _(
                "What another landlord or site could reuse, and what to avoid."
            ),
            "territories": _(
                "The communes or priority neighbourhoods where it happened; tick as "
                "many as needed."
            ),
            "other_organisations": _("Optional: who took part with you."),
            "proposals": _(
                "Optional: the validated proposals of the référentiel this "
                "experience illustrates."
            ),
            "contact_name": _("Who a colleague can call to learn more."),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The version this person started from: required to detect that someone
        # else saved in between (see services.sheet_update).
        self.fields["base_version"].required = self.instance.pk is not None
        self.fields["axis"].queryset = Axis.objects.order_by("number")
        self.fields["axis"].empty_label = _("Choose the axis it belongs to")
        organisations = Organisation.objects.order_by("kind", French("name"))
        self.fields["organisation"].queryset = organisations
        # Whose experience it is decides which colleagues read the draft: an
        # author writes for their own organisation (or keeps the one the
        # secretariat set), shown but not to be changed; the secretariat may
        # choose any.
        if user is not None and not services.may_choose_any_organisation(user):
            field = self.fields["organisation"]
            field.disabled = True
            field.initial = self.instance.organisation_id or user.organisation_id
            field.help_text = _(
                "Your organisation. The secretariat can file the sheet under "
                "another one if needed."
            )
        self.fields["organisation"].empty_label = _("Choose the organisation")
        self.fields["other_organisations"].queryset = organisations
        self.fields["territories"].queryset = Territory.objects.select_related(
            "parent"
        ).order_by("kind", French("name"))
        self.fields["territories"].label_from_instance = territory_label
        # Only validated proposals are offered, plus any already linked (kept
        # if its status were ever to change, rather than silently dropped).
        proposals = Proposal.objects.validated()
        if self.instance.pk:
            proposals = proposals | Proposal.objects.filter(
                experience_sheets=self.instance
            )
        self.fields["proposals"].queryset = (
            proposals.distinct()
            .select_related("atelier__axis")
            .order_by("atelier__axis__number", "number")
        )
        self.fields["proposals"].label_from_instance = lambda proposal: (
            f"{proposal.reference} {proposal.title}"
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("base_version"),
            Fieldset(_("The experience"), "title", "summary", "axis", "period"),
            Fieldset(_("What was done"), "what_was_done"),
            Fieldset(_("What came of it"), "results", "lessons"),
            Fieldset(_("Where"), "territories"),
            Fieldset(_("Who"), "organisation", "other_organisations"),
            Fieldset(_("Links with the référentiel"), "proposals"),
            Fieldset(_("Contact"), "contact_name", "contact_email", "contact_phone"),
        )

    TEXT_FIELDS = ("summary", "what_was_done", "results", "lessons")

    def clean(self):
        cleaned = super().clean()
        # Browsers send line breaks as \r\n: store \n, so that a save does not
        # "change" every untouched text.
        for name in self.TEXT_FIELDS:
            if isinstance(cleaned.get(name), str):
                cleaned[name] = cleaned[name].replace("\r\n", "\n")
        return cleaned


class ReturnForm(forms.Form):
    comment = LongTextFormField(
        label=_("What should the author change?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=texts.COMMENT,
        help_text=_("The author receives this by e-mail and sees it on the sheet."),
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(_("Say what the author should change."))
        return comment


class LibraryFilterForm(forms.Form):
    """The library's search and filters (GET); every field is optional and a
    wrong value is reported next to its field, never a 500."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("e.g. relogement, halls")}
        ),
    )
    axis = forms.ModelChoiceField(
        label=_("Axis"), queryset=Axis.objects.order_by("number"), required=False
    )
    territory = forms.ModelChoiceField(
        label=_("Territory"),
        queryset=Territory.objects.select_related("parent").order_by(
            "kind", French("name")
        ),
        required=False,
        help_text=_("A bassin includes its communes and neighbourhoods."),
    )
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by(French("name")),
        required=False,
        help_text=_("Whose experience it is, or a partner in it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("axis", "territory", "organisation"):
            self.fields[name].empty_label = _("All")
        self.fields["territory"].label_from_instance = territory_label
