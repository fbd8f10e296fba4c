from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from axes.models import Axis
from cucs_portal import texts
from cucs_portal.collation import French
from cucs_portal.fields import AmountField, BaseVersionField, PercentageField
from cucs_portal.texts import LongTextFormField
from cucs_portal.widgets import MarkdownTextarea
from people.forms import OrganisationChoiceField, OrganisationMultipleChoiceField
from people.models import Organisation, Territory
from referentiel.models import Edition

from .models import SITE_KINDS, FundingLine, SiteAction


def territory_label(territory: Territory) -> str:
    if territory.parent_id:
        return f"{territory.name} ({territory.parent.name})"
    return territory.name


class SiteActionForm(forms.ModelForm):
    """What an action is, where, by whom and when. Status and progress are
    recorded with "Update progress"; the version detects concurrent edits."""

    base_version = BaseVersionField()
    edition = forms.ModelChoiceField(
        label=_("Edition of the référentiel"),
        queryset=Edition.objects.none(),
        empty_label=None,
        help_text=_("The published edition this action declines the proposal from."),
    )
    field_order = [
        "base_version",
        "edition",
        "territory",
        "title",
        "description",
        "lead_organisation",
        "partner_organisations",
        "starts_on",
        "ends_on",
        "budget",
    ]

    class Meta:
        model = SiteAction
        fields = [
            "territory",
            "title",
            "description",
            "lead_organisation",
            "partner_organisations",
            "starts_on",
            "ends_on",
            "budget",
        ]
        widgets = {
            "description": MarkdownTextarea(attrs={"rows": 5}),
            "partner_organisations": forms.CheckboxSelectMultiple,
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        # Typed the French way, read exactly or refused (cucs_portal.fields).
        field_classes = {
            "budget": AmountField,
            # Organisations by their full names (Organisation.choice_label).
            "lead_organisation": OrganisationChoiceField,
            "partner_organisations": OrganisationMultipleChoiceField,
        }
        help_texts = {
            "budget": _(
                "The total cost in euros, if known, such as 10 500,50. Detail who "
                "pays what in the funding lines below."
            ),
        }

    def __init__(self, *args, editions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_version"].required = self.instance.pk is not None
        if editions is None:
            del self.fields["edition"]
        else:
            self.fields["edition"].queryset = Edition.objects.filter(
                pk__in=[e.pk for e in editions]
            ).order_by("-published_at", "-pk")
        territories = Territory.objects.filter(kind__in=SITE_KINDS).select_related(
            "parent"
        )
        self.fields["territory"].queryset = territories.order_by(
            French("parent__parent__name"),
            French("parent__name"),
            "kind",
            French("name"),
        )
        self.fields["territory"].label_from_instance = territory_label
        self.fields["territory"].empty_label = _("Choose a commune or neighbourhood")
        organisations = Organisation.objects.order_by("kind", French("name"))
        self.fields["lead_organisation"].queryset = organisations
        self.fields["lead_organisation"].empty_label = _("Choose the lead organisation")
        self.fields["partner_organisations"].queryset = organisations
        self.helper = FormHelper()
        self.helper.form_tag = False
        what = (
            ["edition", "title", "description"]
            if editions is not None
            else [
                "title",
                "description",
            ]
        )
        self.helper.layout = Layout(
            Field("base_version"),
            Fieldset(_("What"), *what),
            Fieldset(_("Where"), "territory"),
            Fieldset(_("Who"), "lead_organisation", "partner_organisations"),
            Fieldset(
                _("When"),
                Div(
                    Div("starts_on", css_class="col-sm-6"),
                    Div("ends_on", css_class="col-sm-6"),
                    css_class="row",
                ),
            ),
            Fieldset(_("Budget"), "budget"),
        )

    def clean_description(self):
        return (self.cleaned_data.get("description") or "").replace("\r\n", "\n")

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The action cannot end before it starts."))
        return cleaned


class FundingLineForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[("", _("Choose a source")), *FundingLine.Source.choices],
    )
    amount = AmountField(label=_("Amount (€)"), max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class BaseFundingFormSet(forms.BaseFormSet):
    def lines(self) -> list[dict]:
        """The funding lines kept: filled in and not marked for removal."""
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


FundingFormSet = forms.formset_factory(
    FundingLineForm,
    formset=BaseFundingFormSet,
    extra=2,
    can_delete=True,
    # Only a saved line can be deleted: the empty ones are simply left blank.
    can_delete_extra=False,
    max_num=20,
    validate_max=True,
)


def funding_initial(action) -> list[dict]:
    return [
        {"source": line.source, "amount": line.amount, "note": line.note}
        for line in action.funding_lines.all()
    ]


class ProgressForm(forms.Form):
    base_version = BaseVersionField(required=True)
    status = forms.ChoiceField(
        label=_("Status"), choices=SiteAction.Status.choices, widget=forms.RadioSelect
    )
    progress = PercentageField(
        label=_("Progress (%)"),
        help_text=_("From 0 to 100. A done action counts as 100 %."),
    )
    body = LongTextFormField(
        label=_("What happened"),
        required=False,
        max_length=texts.COMMENT,
        widget=MarkdownTextarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ProgrammingFilterForm(forms.Form):
    """The programming's filters; a wrong value drops that filter only."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_(
            "A word of the action or of its proposal; accents may be left out."
        ),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    territory = forms.ModelChoiceField(
        label=_("Territory"),
        queryset=Territory.objects.none(),
        required=False,
        empty_label=_("All territories"),
        to_field_name="slug",
    )
    axis = forms.ModelChoiceField(
        label=_("Axis"),
        queryset=Axis.objects.order_by("number"),
        required=False,
        empty_label=_("All axes"),
        to_field_name="number",
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *SiteAction.Status.choices],
        required=False,
    )
    lead_organisation = OrganisationChoiceField(
        label=_("Lead organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All organisations"),
    )
    starts_after = forms.DateField(
        label=_("Running after"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ends_before = forms.DateField(
        label=_("Running before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, with_territory=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_territory:
            territories = Territory.objects.select_related("parent")
            self.fields["territory"].queryset = territories.order_by(
                "kind", French("parent__name"), French("name")
            )
            self.fields["territory"].label_from_instance = territory_label
        else:
            del self.fields["territory"]
        self.fields["lead_organisation"].queryset = (
            Organisation.objects.filter(led_site_actions__isnull=False)
            .distinct()
            .order_by(French("name"))
        )
        self.fields["axis"].label_from_instance = lambda axis: str(axis)

    @property
    def filters(self) -> dict:
        """The valid filters: a wrong value drops that filter only."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
