import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from axes.models import Axis
from cucs_portal import texts
from cucs_portal.fields import BaseVersionField
from cucs_portal.texts import LongTextFormField

from .models import AxisPosition, ItemPosition


class RoundOpenForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example: Commission CUCS, décembre 2006."),
    )
    axes = forms.ModelMultipleChoiceField(
        label=_("Axes on the agenda"),
        # A round validates axes still proposed; a validated axis is settled.
        queryset=Axis.objects.filter(status=Axis.Status.PROPOSED).order_by("number"),
        widget=forms.CheckboxSelectMultiple,
    )


class PositionForm(forms.Form):
    """One organisation's position on one axis of the round."""

    axis = forms.ModelChoiceField(
        queryset=Axis.objects.none(), widget=forms.HiddenInput
    )
    position = forms.ChoiceField(
        label=_("Position of your organisation"),
        choices=AxisPosition.Position.choices,
        widget=forms.RadioSelect,
    )
    comment = LongTextFormField(
        label=_("Comment"),
        required=False,
        max_length=texts.SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you approve with reservations or oppose."),
    )

    def __init__(self, *args, validation_round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["axis"].queryset = validation_round.axes.all()

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("comment") or "").strip():
            position = cleaned.get("position")
            if position == AxisPosition.Position.APPROVE_WITH_RESERVATIONS:
                self.add_error(
                    "comment", _("Say what your organisation's reservations are.")
                )
            elif position == AxisPosition.Position.OPPOSE:
                self.add_error(
                    "comment", _("Say why your organisation opposes this axis.")
                )
        return cleaned


class SessionForm(forms.Form):
    """Convene a commission session, or change it while it is convened: its
    date, time and place, and its agenda (submitted proposals, proposed axes)."""

    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    time = forms.TimeField(
        label=_("Time"),
        initial=datetime.time(14, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=texts.TITLE,
        help_text=_("For example: Siège d’AMO2SM, Saint-Étienne."),
    )
    proposals = forms.ModelMultipleChoiceField(
        label=_("Proposals on the agenda"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The proposals submitted by the ateliers and not on the agenda of "
            "another session."
        ),
    )
    axes = forms.ModelMultipleChoiceField(
        label=_("Axes on the agenda"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The axes still awaiting the commission's validation."),
    )
    base_version = BaseVersionField()

    #: The years a session can be held in: past them a date is a typing slip
    #: (and year 1 does not even convert to UTC for the database).
    YEARS = (2000, 2100)

    def __init__(self, *args, proposals, axes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = proposals
        self.fields["axes"].queryset = axes
        self.fields["proposals"].widget.attrs["class"] = "form-check-input"
        self.fields["proposals"].label_from_instance = lambda proposal: (
            f"{proposal.reference} {proposal.title}"
        )

    def clean_date(self):
        date = self.cleaned_data["date"]
        first, last = self.YEARS
        if not first <= date.year <= last:
            raise forms.ValidationError(
                _("Choose a date between %(first)s and %(last)s."),
                params={"first": first, "last": last},
            )
        return date

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("proposals") and not cleaned.get("axes"):
            raise forms.ValidationError(
                _("Put at least one proposal or axis on the agenda.")
            )
        return cleaned

    @property
    def starts_at(self):
        return timezone.make_aware(
            datetime.datetime.combine(
                self.cleaned_data["date"], self.cleaned_data["time"]
            )
        )


class ItemPositionForm(forms.Form):
    """One organisation's position on one item of a session's agenda."""

    position = forms.ChoiceField(
        label=_("Position of your organisation"),
        choices=ItemPosition.Position.choices,
        widget=forms.RadioSelect,
    )
    comment = LongTextFormField(
        label=_("Comment"),
        required=False,
        max_length=texts.COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required unless you validate: your reservations, the changes you "
            "ask for, or the reason for the rejection. The atelier reads it."
        ),
    )
    base_version = BaseVersionField()

    MESSAGES = {
        ItemPosition.Position.APPROVE_WITH_RESERVATIONS: _(
            "Say what your organisation's reservations are."
        ),
        ItemPosition.Position.REQUEST_CHANGES: _("Say what the atelier should change."),
        ItemPosition.Position.OPPOSE: _("Give the reason for the rejection."),
    }

    def __init__(self, *args, on_axis=False, **kwargs):
        super().__init__(*args, **kwargs)
        if on_axis:
            # An axis is validated or stays proposed: no changes to ask for.
            self.fields["position"].choices = [
                choice
                for choice in ItemPosition.Position.choices
                if choice[0] != ItemPosition.Position.REQUEST_CHANGES
            ]

    def clean(self):
        cleaned = super().clean()
        position = cleaned.get("position")
        if position in self.MESSAGES and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", self.MESSAGES[position])
        return cleaned


class MinutesForm(forms.Form):
    """The tally of a decision taken in the meeting room, from the minutes."""

    recorded = forms.BooleanField(
        label=_("Decided in the meeting room: count this tally, not the positions"),
        required=False,
        initial=True,
    )
    approve = forms.IntegerField(label=_("For"), min_value=0, max_value=999, initial=0)
    reservations = forms.IntegerField(
        label=_("For, with reservations"), min_value=0, max_value=999, initial=0
    )
    changes = forms.IntegerField(
        label=_("Changes requested"), min_value=0, max_value=999, initial=0
    )
    oppose = forms.IntegerField(
        label=_("Against"), min_value=0, max_value=999, initial=0
    )
    abstain = forms.IntegerField(
        label=_("Abstentions"), min_value=0, max_value=999, initial=0
    )
    comments = LongTextFormField(
        label=_("Comments in the minutes"),
        required=False,
        max_length=texts.COMMENT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "The reservations, the changes asked for or the reasons given in the "
            "session, as the minutes record them. The atelier reads them."
        ),
    )
