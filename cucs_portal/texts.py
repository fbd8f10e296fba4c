"""The texts people type: every one has a stated maximum, here.

A maximum is what keeps one person's text from costing every reader: a page
renders the Markdown of all its texts (once per text, cucs_portal/markdown.py)
and the history compares them (ateliers/diff.py), both linear in the length, so
the longest proposal allowed renders within the second that
``benchmarks/adversarial.py`` measures. The figures fit what the 2007
référentiel holds with room to spare: its longest proposal is about 3,000
characters in all.

``LongTextField`` is a ``TextField`` whose form field counts what the person
sees: a browser sends each line break as CR LF, which Python would count twice
(and a text at its maximum with line breaks would be refused although the
counter said it fits), so line breaks are stored as LF.

Forms show the maximum under every multi-line field and count down as the
person types (templates/django/forms/widgets/textarea.html, static/js/
char-count.js): past it, the form says by how much, and the text is kept.
"""

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models

#: A title or a name typed on one line.
TITLE = 200
#: A proposal's or a sheet's summary.
SUMMARY = 1_000
#: A comment, a reason, a review, a note on progress.
COMMENT = 5_000
#: A short part of a proposal (timetable, means, indicators), a finding.
SHORT_TEXT = 2_000
#: The main parts of a proposal or a sheet, a description.
LONG_TEXT = 6_000
#: A document of its own on its page: an atelier session's minutes, an
#: edition's introduction, the seminar's programme.
DOCUMENT = 20_000


def normalise_newlines(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


class LongTextFormField(forms.CharField):
    """A multi-line text: line breaks as LF before the length is checked."""

    widget = forms.Textarea

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_newlines(value) if isinstance(value, str) else value


class LongTextField(models.TextField):
    """A ``TextField`` with a maximum (required) and ``LongTextFormField``."""

    def __init__(self, *args, max_length: int | None = None, **kwargs):
        if max_length is None:
            raise TypeError("LongTextField needs a max_length (cucs_portal.texts)")
        super().__init__(*args, max_length=max_length, **kwargs)
        # Also checked by full_clean(), which the services call before saving.
        self.validators.append(MaxLengthValidator(max_length))

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": LongTextFormField, **kwargs})
