import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Edition, ShareLink


class EditionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Edition
        fields = ["title", "place", "event_date", "introduction"]
        widgets = {
            "event_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "introduction": forms.Textarea(attrs={"rows": 14}),
        }
        help_texts = {
            "title": _(
                "As printed on the cover, e.g. “Référentiel CUCS : édition du "
                "séminaire du 10 mai 2007”."
            ),
            "place": _("E.g. “Musée d’art moderne, Saint-Étienne”."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Without the version it was opened at, a save could overwrite
            # another person's: the form refuses rather than guess.
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = _(
                "This form is incomplete: reload the page and make your changes again."
            )
            if not self.is_bound:
                self.initial["version"] = self.instance.version

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the edition a title."))
        return title


class ShareLinkForm(forms.ModelForm):
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "The link stops working at the end of this day. Leave empty for a "
            "link that does not expire (you can still revoke it)."
        ),
    )

    class Meta:
        model = ShareLink
        fields = ["label"]

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        if not label:
            raise forms.ValidationError(_("Say whom the link is for."))
        return label

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day and day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."))
        return day

    @property
    def expires_at(self):
        day = self.cleaned_data.get("expires_on")
        if not day:
            return None
        end = datetime.datetime.combine(day, datetime.time.max)
        return timezone.make_aware(end)


class CompareForm(forms.Form):
    old = forms.ModelChoiceField(
        label=_("From edition"), queryset=Edition.objects.none(), to_field_name="pk"
    )
    new = forms.ModelChoiceField(
        label=_("To edition"), queryset=Edition.objects.none(), to_field_name="pk"
    )

    def __init__(self, *args, editions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = (
            Edition.objects.filter(pk__in=editions.values("pk"))
            .only("pk", "title")
            .order_by("-created_at")
        )
        self.fields["old"].queryset = choices
        self.fields["new"].queryset = choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("old") and cleaned.get("old") == cleaned.get("new"):
            raise forms.ValidationError(_("Choose two different editions."))
        return cleaned
