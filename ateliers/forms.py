from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from axes.models import Axis, Enjeu
from cucs_portal import texts
from cucs_portal.collation import French
from cucs_portal.fields import BaseVersionField
from cucs_portal.texts import LongTextFormField
from cucs_portal.widgets import MarkdownTextarea
from people.forms import (
    OrganisationChoiceField,
    OrganisationMultipleChoiceField,
    person_with_organisation,
)
from people.models import Organisation, Territory, User

from .models import (
    Atelier,
    Proposal,
    ProposalComment,
    ProposalSuggestion,
    Session,
)
from .services import EDITABLE_FIELDS, field_label, field_max_length


class ProposalForm(forms.ModelForm):
    """What an atelier writes, grouped the way a person thinks about a proposal.

    Only the content fields are editable: status, authors, atelier, number and
    version are set by the services, so extra fields in a POST change nothing.
    """

    base_version = BaseVersionField()
    # The order of the layout below, so that the error summary at the top of the
    # page lists the fields in the order people see them.
    field_order = [
        "base_version",
        "title",
        "enjeu",
        "summary",
        "description",
        "actions",
        "timetable",
        "means",
        "lead_organisation",
        "partner_organisations",
        "territories",
        "indicators",
        "priority",
    ]

    class Meta:
        model = Proposal
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "summary": MarkdownTextarea(attrs={"rows": 3}),
            "description": MarkdownTextarea(attrs={"rows": 6}),
            "actions": MarkdownTextarea(attrs={"rows": 6}),
            "timetable": MarkdownTextarea(attrs={"rows": 3}),
            "means": MarkdownTextarea(attrs={"rows": 3}),
            "indicators": MarkdownTextarea(attrs={"rows": 4}),
            "partner_organisations": forms.CheckboxSelectMultiple,
            "territories": forms.CheckboxSelectMultiple,
            "priority": forms.RadioSelect,
        }
        # Organisations by their full names (Organisation.choice_label).
        field_classes = {
            "lead_organisation": OrganisationChoiceField,
            "partner_organisations": OrganisationMultipleChoiceField,
        }
        help_texts = {
            "summary": _(
                "Two or three sentences that a partner can read on their own."
            ),
            "territories": _(
                "A bassin, a commune or a priority neighbourhood; tick as many as "
                "needed."
            ),
        }

    def __init__(self, *args, atelier, **kwargs):
        super().__init__(*args, **kwargs)
        self.atelier = atelier
        # The version this person started from: required to detect that someone
        # else saved in between (see services.proposal_update).
        self.fields["base_version"].required = self.instance.pk is not None
        self.fields["enjeu"].queryset = Enjeu.objects.filter(
            axis_id=atelier.axis_id
        ).select_related("axis")
        self.fields["enjeu"].empty_label = _("Choose the enjeu this proposal answers")
        organisations = Organisation.objects.order_by("kind", French("name"))
        self.fields["lead_organisation"].queryset = organisations
        self.fields["partner_organisations"].queryset = organisations
        self.fields["territories"].queryset = Territory.objects.select_related(
            "parent"
        ).order_by("kind", French("name"))
        self.fields["territories"].label_from_instance = lambda territory: (
            f"{territory.name} ({territory.parent.name})"
            if territory.parent
            else territory.name
        )
        self.fields["lead_organisation"].required = False
        self.fields["lead_organisation"].empty_label = _("Not decided yet")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("base_version"),
            Fieldset(_("What"), "title", "enjeu", "summary", "description"),
            Fieldset(_("How"), "actions", "timetable", "means"),
            Fieldset(_("Who"), "lead_organisation", "partner_organisations"),
            Fieldset(_("Where"), "territories"),
            Fieldset(_("How we will know"), "indicators"),
            Fieldset(_("Priority"), "priority"),
        )

    TEXT_FIELDS = ("summary", "description", "actions", "timetable", "means")

    def clean(self):
        cleaned = super().clean()
        # Browsers send line breaks as \r\n: store \n, as everywhere else, so
        # that a save does not "change" every untouched text.
        for name in (*self.TEXT_FIELDS, "indicators"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = cleaned[name].replace("\r\n", "\n")
        return cleaned

    def clean_enjeu(self):
        enjeu = self.cleaned_data["enjeu"]
        if enjeu and enjeu.axis_id != self.atelier.axis_id:
            raise forms.ValidationError(_("Choose an enjeu of this atelier's axis."))
        return enjeu


class CommentForm(forms.ModelForm):
    class Meta:
        model = ProposalComment
        fields = ["body"]
        widgets = {"body": MarkdownTextarea(attrs={"rows": 3})}
        labels = {"body": _("Your comment")}


class MembershipAddForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Volunteer"),
        queryset=User.objects.none(),
        empty_label=_("Choose a person"),
        help_text=_(
            "Staff of the member social landlords who are not yet in the atelier."
        ),
    )

    def __init__(self, *args, atelier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(
                is_active=True, organisation__kind=Organisation.Kind.LANDLORD
            )
            .exclude(atelier_memberships__atelier=atelier)
            .select_related("organisation")
            .order_by(
                French("organisation__name"), French("last_name"), French("first_name")
            )
        )
        self.fields["user"].label_from_instance = person_with_organisation


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SessionPlanForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["starts_at", "place", "agenda"]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "agenda": MarkdownTextarea(attrs={"rows": 5}),
        }


class SessionRecordForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["attendees", "minutes"]
        widgets = {
            "attendees": forms.CheckboxSelectMultiple,
            "minutes": MarkdownTextarea(attrs={"rows": 12}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Current members, and anyone already recorded as present who has left
        # the atelier since: otherwise saving would silently drop them.
        self.fields["attendees"].queryset = (
            User.objects.filter(
                Q(atelier_memberships__atelier=self.instance.atelier)
                | Q(pk__in=self.instance.attendees.values("pk"))
            )
            .distinct()
            .select_related("organisation")
            .order_by(French("last_name"), French("first_name"))
        )
        self.fields["attendees"].label_from_instance = person_with_organisation


class EnjeuForm(forms.ModelForm):
    class Meta:
        model = Enjeu
        fields = ["title", "description"]
        widgets = {"description": MarkdownTextarea(attrs={"rows": 3})}


class ProposalFilterForm(forms.Form):
    """The filters of the proposals list (GET); every field is optional and a
    wrong value is reported next to its field, never a 500."""

    SORTS = {
        "reference": ("atelier__axis__number", "number"),
        "title": ("title", "pk"),
        "status": ("status", "atelier__axis__number", "number"),
        "-updated": ("-updated_at", "-pk"),
        "priority": ("priority_rank", "atelier__axis__number", "number"),
    }

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    axis = forms.ModelChoiceField(
        label=_("Axis"), queryset=Axis.objects.order_by("number"), required=False
    )
    atelier = forms.ModelChoiceField(
        label=_("Atelier"),
        queryset=Atelier.objects.select_related("axis").order_by("axis__number"),
        required=False,
    )
    enjeu = forms.ModelChoiceField(
        label=_("Enjeu"),
        queryset=Enjeu.objects.select_related("axis").order_by(
            "axis__number", "position"
        ),
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *Proposal.Status.choices],
        required=False,
    )
    territory = forms.ModelChoiceField(
        label=_("Territory"),
        queryset=Territory.objects.select_related("parent").order_by(
            "kind", French("name")
        ),
        required=False,
    )
    organisation = OrganisationChoiceField(
        label=_("Organisation (lead or partner)"),
        queryset=Organisation.objects.order_by(French("name")),
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("reference", _("Reference")),
            ("title", _("Title")),
            ("status", _("Status")),
            ("-updated", _("Last updated")),
            ("priority", _("Priority")),
        ],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("axis", "atelier", "enjeu", "territory", "organisation"):
            self.fields[name].empty_label = _("All")

    def ordering(self) -> tuple[str, ...]:
        self.is_valid()  # fills cleaned_data with the fields that are valid
        sort = getattr(self, "cleaned_data", {}).get("sort") or "reference"
        return self.SORTS[sort]


class RevisionCompareForm(forms.Form):
    old = forms.TypedChoiceField(label=_("From version"), coerce=int)
    new = forms.TypedChoiceField(label=_("To version"), coerce=int)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v, _("Version %(n)s") % {"n": v}) for v in versions]
        self.fields["old"].choices = choices
        self.fields["new"].choices = choices


def suggestable_field_choices() -> list[tuple[str, str]]:
    return [(name, field_label(name)) for name in ProposalSuggestion.FIELDS]


class SuggestionFieldForm(forms.Form):
    """Which text of the proposal the person suggests a change to (a GET form:
    ``?champ=summary``)."""

    champ = forms.ChoiceField(label=_("Text to change"), choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["champ"].choices = suggestable_field_choices()


class SuggestionForm(forms.Form):
    """The suggested text of one field, prefilled with the field as it reads,
    and why. ``base_version`` is the version on screen: a suggestion written
    while someone saved the proposal is merged into their change."""

    field = forms.ChoiceField(widget=forms.HiddenInput, choices=())
    base_version = BaseVersionField(required=True, min_value=1)
    comment = LongTextFormField(
        label=_("Why this change"),
        max_length=texts.COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The atelier reads it before accepting or declining your suggestion."
        ),
    )

    def __init__(self, *args, field_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = suggestable_field_choices()
        # Bounded by the field it would replace (a title: one line).
        self.fields["text"] = LongTextFormField(
            label=_("Your version of the text"),
            max_length=field_max_length(field_name),
            required=False,
            help_text=_(
                "Change the text as you would like it to read: the atelier sees "
                "your changes word by word."
            ),
            widget=forms.TextInput
            if field_name == "title"
            else MarkdownTextarea(attrs={"rows": 10}),
        )
        self.order_fields(["field", "base_version", "text", "comment"])


class SuggestionDeclineForm(forms.Form):
    reason = LongTextFormField(
        label=_("Why the atelier declines it"),
        max_length=texts.COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Its author receives this reason by e-mail."),
        error_messages={
            "required": _("Say why the atelier declines it: its author will read it.")
        },
    )
