from django import forms
from django.utils.translation import gettext_lazy as _

from axes.models import Axis
from cucs_portal import texts
from cucs_portal.texts import LongTextFormField

from .models import AxisPosition


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


class DecisionForm(forms.Form):
    VALIDATE = "validate"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (VALIDATE, _("Validate")),
            (REQUEST_CHANGES, _("Request changes (back to the atelier)")),
            (REJECT, _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    comment = LongTextFormField(
        label=_("Comment"),
        required=False,
        max_length=texts.COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Required to request changes (say what to change) or to reject (give "
            "the reason). The atelier reads it."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") == self.REQUEST_CHANGES
            and not (cleaned.get("comment") or "").strip()
        ):
            self.add_error("comment", _("Say what the atelier should change."))
        if (
            cleaned.get("decision") == self.REJECT
            and not (cleaned.get("comment") or "").strip()
        ):
            self.add_error("comment", _("Give the reason for the rejection."))
        return cleaned
