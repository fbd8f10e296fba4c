import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cucs_portal import texts
from cucs_portal.collation import French
from cucs_portal.texts import LongTextFormField
from cucs_portal.widgets import MarkdownTextarea
from people.forms import person_with_organisation
from people.models import User

from .models import Edition, Review, ShareLink


class EditionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Edition
        fields = ["title", "place", "event_date", "introduction"]
        widgets = {
            "event_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "introduction": MarkdownTextarea(attrs={"rows": 14}),
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


class PartnerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        return person_with_organisation(person)


class ReviewForm(forms.ModelForm):
    partners = PartnerChoiceField(
        label=_("Partners invited to comment"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Every commission member is invited. The partners ticked here also "
            "read the draft and comment on it; each sees only their own "
            "comments and the secretariat’s answers."
        ),
    )

    class Meta:
        model = Review
        fields = ["closes_on", "partners", "message"]
        widgets = {
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "message": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = (
            User.objects.filter(is_partner=True, is_active=True)
            .select_related("organisation")
            .order_by(
                French("organisation__name"), French("last_name"), French("first_name")
            )
        )

    def clean_closes_on(self):
        day = self.cleaned_data["closes_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."))
        return day


class CommentForm(forms.Form):
    section = forms.ChoiceField(
        label=_("Part of the document"),
        error_messages={
            "invalid_choice": _(
                "This part is not in the edition (any more): choose one of the list."
            ),
            "required": _("Choose the part of the document you comment on."),
        },
    )
    body = LongTextFormField(
        label=_("Your comment"),
        max_length=texts.COMMENT,
        widget=MarkdownTextarea(attrs={"rows": 8}),
        error_messages={"required": _("Write your comment.")},
    )

    def __init__(self, *args, sections: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", "—"), *sections.items()]


class AnswerForm(forms.Form):
    body = LongTextFormField(
        label=_("Your answer"),
        max_length=texts.COMMENT,
        widget=MarkdownTextarea(attrs={"rows": 3}),
        error_messages={"required": _("Write your answer.")},
    )


class PublishForm(forms.Form):
    """Publishing with comments still open asks to tick a box saying so.
    ``open_comments`` is how many the page showed: more open meanwhile asks
    again."""

    confirm = forms.BooleanField(required=False)
    open_comments = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0
    )

    def __init__(self, *args, open_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.open_count = open_count
        self.initial.setdefault("open_comments", open_count)
        if not open_count:
            # Nothing to acknowledge: the page shows no box.
            del self.fields["confirm"]
            return
        self.fields["confirm"].label = ngettext(
            "Publish despite %(count)s open comment",
            "Publish despite %(count)s open comments",
            open_count,
        ) % {"count": open_count}

    def clean(self):
        cleaned = super().clean()
        if not self.open_count:
            return cleaned
        shown = cleaned.get("open_comments") or 0
        if not cleaned.get("confirm"):
            self.add_error(
                "confirm",
                ngettext(
                    "%(count)s comment is still open: tick the box to publish "
                    "anyway, or resolve it first.",
                    "%(count)s comments are still open: tick the box to publish "
                    "anyway, or resolve them first.",
                    self.open_count,
                )
                % {"count": self.open_count},
            )
        elif shown < self.open_count:
            self.add_error(
                "confirm",
                ngettext(
                    "Comments were left since this page was opened: %(count)s is "
                    "open now. Read it, then tick the box again.",
                    "Comments were left since this page was opened: %(count)s are "
                    "open now. Read them, then tick the box again.",
                    self.open_count,
                )
                % {"count": self.open_count},
            )
        return cleaned

    @property
    def accepted(self) -> int:
        return self.cleaned_data.get("open_comments") or 0 if self.open_count else 0
