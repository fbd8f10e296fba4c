from django import forms
from django.utils.translation import gettext_lazy as _

from cucs_portal import texts
from cucs_portal.collation import French
from cucs_portal.texts import LongTextFormField
from cucs_portal.widgets import MarkdownTextarea
from people.forms import (
    OrganisationChoiceField,
    OrganisationMultipleChoiceField,
    person_with_organisation,
)
from people.models import Organisation, User
from referentiel.models import Edition

from .models import Event, Invitation

INCOMPLETE_FORM = _(
    "This form is incomplete: reload the page and make your changes again."
)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class VersionedForm(forms.ModelForm):
    """A form that carries the version it was opened at: without it a save
    could overwrite another person's, so the form refuses rather than guess."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = INCOMPLETE_FORM
            if not self.is_bound:
                self.initial["version"] = self.instance.version


class EditionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, edition):
        if edition.is_published:
            return edition.title
        return _("%(title)s (draft)") % {"title": edition.title}


class EventForm(VersionedForm):
    edition = EditionChoiceField(
        label=_("Edition presented"),
        queryset=Edition.objects.none(),
        required=False,
        empty_label=_("None yet"),
        help_text=_("The edition of the référentiel handed out at the seminar."),
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "starts_at",
            "ends_at",
            "place",
            "address",
            "edition",
            "reply_by",
            "description",
        ]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            "reply_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": MarkdownTextarea(attrs={"rows": 10}),
        }
        help_texts = {
            "title": _("E.g. “Séminaire de présentation du référentiel CUCS”."),
            "address": _("Street and town, printed on the invitation."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = Edition.objects.only(
            "pk", "title", "status"
        ).order_by("-event_date", "-created_at")

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the seminar a title."))
        return title

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must come after the start."))
        reply_by = cleaned.get("reply_by")
        if starts and reply_by and reply_by > starts.date():
            self.add_error(
                "reply_by", _("Choose a day before the seminar, or the day itself.")
            )
        return cleaned


class InvitationForm(VersionedForm):
    """A guest added or changed by hand; on an existing invitation, also the
    reply they gave by phone or by post."""

    class Meta:
        model = Invitation
        fields = [
            "full_name",
            "category",
            "job_title",
            "organisation",
            "email",
            "reply",
            "reply_comment",
        ]
        widgets = {
            "reply": forms.RadioSelect,
            "reply_comment": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"organisation": OrganisationChoiceField}
        help_texts = {
            "job_title": _("E.g. “Maire adjoint chargé du logement”."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by(
            French("name")
        )
        if not self.instance.pk:
            del self.fields["reply"]
            del self.fields["reply_comment"]
        else:
            self.fields["reply"].help_text = _(
                "A reply received by phone or by post: record it here."
            )

    def clean_full_name(self):
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the guest’s name."))
        return name

    def clean_email(self):
        return self.cleaned_data["email"].strip()


class ImportForm(forms.Form):
    """Whom to invite from the people already in the portal."""

    kinds = forms.MultipleChoiceField(
        label=_("Everyone in organisations of these kinds"),
        choices=Organisation.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisations = OrganisationMultipleChoiceField(
        label=_("Everyone in these organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people = forms.ModelMultipleChoiceField(
        label=_("These people"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.order_by(
            French("name")
        )
        self.fields["people"].queryset = (
            User.objects.filter(is_active=True)
            .select_related("organisation")
            .order_by(French("last_name"), French("first_name"), "username")
        )
        self.fields["people"].label_from_instance = person_with_organisation

    def clean(self):
        cleaned = super().clean()
        if not (
            cleaned.get("kinds")
            or cleaned.get("organisations")
            or cleaned.get("people")
        ):
            raise forms.ValidationError(
                _("Choose at least one kind of organisation, organisation or person.")
            )
        return cleaned


class GuestFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("All categories")), *Invitation.Category.choices],
        required=False,
    )
    reply = forms.ChoiceField(
        label=_("Reply"),
        choices=[("", _("All replies")), *Invitation.Reply.choices],
        required=False,
    )


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(
        choices=[
            (Invitation.Reply.ATTENDING, Invitation.Reply.ATTENDING.label),
            (Invitation.Reply.DECLINED, Invitation.Reply.DECLINED.label),
        ],
        error_messages={
            "required": _("Choose “I will attend” or “I will not attend”.")
        },
    )
    comment = LongTextFormField(
        label=_("A word for the organisers (optional)"),
        required=False,
        max_length=texts.SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. who will come in your place, or a dietary need."),
    )
