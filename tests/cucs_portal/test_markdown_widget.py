"""Every long text written in Markdown has the same widget
(``cucs_portal.widgets.MarkdownTextarea``: the toolbar and the live preview of
static/js/markdown-editor.js, the character counter), and each form says how
to format once, above its first Markdown field, rather than under each."""

import re

import pytest
from crispy_forms.utils import render_crispy_form
from django import forms

from ateliers import forms as ateliers_forms
from capitalisation import forms as capitalisation_forms
from cucs_portal.widgets import MarkdownTextarea, first_markdown_field
from declinaison import forms as declinaison_forms
from referentiel import forms as referentiel_forms
from referentiel.models import Edition
from seminaire import forms as seminaire_forms
from seminaire.models import Event
from tests import factories as f

# The texts the portal shows through the ``markdown`` filter, by form.
MARKDOWN_FIELDS = [
    (
        ateliers_forms.ProposalForm,
        ["summary", "description", "actions", "timetable", "means", "indicators"],
    ),
    (ateliers_forms.CommentForm, ["body"]),
    (ateliers_forms.SessionPlanForm, ["agenda"]),
    (ateliers_forms.SessionRecordForm, ["minutes"]),
    (ateliers_forms.EnjeuForm, ["description"]),
    (capitalisation_forms.SheetForm, ["what_was_done", "results", "lessons"]),
    (declinaison_forms.SiteActionForm, ["description"]),
    (declinaison_forms.ProgressForm, ["body"]),
    (referentiel_forms.EditionForm, ["introduction"]),
    (referentiel_forms.CommentForm, ["body"]),
    (referentiel_forms.AnswerForm, ["body"]),
    (seminaire_forms.EventForm, ["description"]),
]

# What the old hint said under every field.
MARKDOWN_SYNTAX = re.compile(r"Markdown|\*\*bold\*\*|\*italics\*")


@pytest.mark.parametrize(
    ("form_class", "names"),
    MARKDOWN_FIELDS,
    ids=[f"{form.__module__}.{form.__name__}" for form, _ in MARKDOWN_FIELDS],
)
def test_every_markdown_field_has_the_markdown_widget(form_class, names):
    widgets = {
        name: type(field.widget)
        for name, field in form_class.base_fields.items()
        if isinstance(field.widget, forms.Textarea)
    }

    assert {name: widgets.get(name) for name in names} == dict.fromkeys(
        names, MarkdownTextarea
    )


@pytest.mark.parametrize(
    "form_class", [form for form, _ in MARKDOWN_FIELDS], ids=lambda form: form.__name__
)
def test_no_field_repeats_the_markdown_hint(form_class):
    """The help under a field says what is particular to it; how to format is
    said once per form (the widget's hint)."""
    repeated = {
        name: str(field.help_text)
        for name, field in form_class.base_fields.items()
        if MARKDOWN_SYNTAX.search(str(field.help_text))
    }

    assert repeated == {}


@pytest.mark.parametrize("field_name", ["description", "summary", "indicators"])
def test_a_suggestion_on_a_long_text_is_written_with_the_markdown_widget(field_name):
    form = ateliers_forms.SuggestionForm(field_name=field_name)

    assert isinstance(form.fields["text"].widget, MarkdownTextarea)
    assert not MARKDOWN_SYNTAX.search(str(form.fields["text"].help_text))


def test_a_suggested_title_stays_one_line():
    form = ateliers_forms.SuggestionForm(field_name="title")

    assert isinstance(form.fields["text"].widget, forms.TextInput)


def test_the_models_help_texts_keep_only_what_is_particular_to_the_field():
    introduction = Edition._meta.get_field("introduction").help_text
    programme = Event._meta.get_field("description").help_text

    assert not MARKDOWN_SYNTAX.search(str(introduction))
    assert "###" in str(introduction)  # headings: the introduction's own
    assert not MARKDOWN_SYNTAX.search(str(programme))


@pytest.mark.django_db
def test_the_proposal_form_says_the_hint_once_above_its_first_long_text():
    """Six Markdown fields, one hint: above the summary's textarea, which it
    describes; every field has its toolbar template, its preview address and
    its counter."""
    atelier = f.AtelierFactory()
    form = ateliers_forms.ProposalForm(atelier=atelier)

    html = render_crispy_form(form)

    assert first_markdown_field(form) == "summary"
    assert html.count('class="form-text markdown-hint"') == 1
    hint = html.index('id="id_summary_markdown_hint"')
    assert html.index('for="id_summary"') < hint < html.index('id="id_summary"')
    summary = re.search(r"<textarea [^>]*id=\"id_summary\"[^>]*>", html).group()
    assert 'aria-describedby="id_summary_markdown_hint' in summary
    for name in MARKDOWN_FIELDS[0][1]:
        textarea = re.search(rf"<textarea [^>]*id=\"id_{name}\"[^>]*>", html).group()
        assert 'data-markdown-preview="/apercu-markdown/"' in textarea
        assert f'<template data-markdown-for="id_{name}">' in html
        assert f'data-char-count-for="id_{name}"' in html
    assert "markdown_hint" not in summary.replace("id_summary_markdown_hint", "")


def test_a_form_of_one_text_has_its_hint_with_it():
    form = referentiel_forms.AnswerForm()

    html = str(form["body"])

    assert html.count("markdown-hint") == 1


def test_a_form_without_markdown_has_no_hint():
    form = ateliers_forms.SuggestionDeclineForm()

    assert first_markdown_field(form) is None
    assert "markdown-hint" not in str(form["reason"])


def test_the_toolbar_buttons_are_buttons_with_their_names():
    """Real buttons (type="button": they never submit the form), each named
    by its text; the shortcuts are declared."""
    html = str(referentiel_forms.AnswerForm()["body"])

    buttons = re.findall(r"<button[^>]*>.*?</button>", html, flags=re.S)
    assert len(buttons) == 4
    assert all('type="button"' in button for button in buttons)
    assert 'aria-keyshortcuts="Control+B"' in buttons[0]
    assert 'aria-keyshortcuts="Control+I"' in buttons[1]
    assert [b.split('data-action="')[1].split('"')[0] for b in buttons] == [
        "bold",
        "italic",
        "list",
        "link",
    ]
    assert 'aria-live="polite"' in html
