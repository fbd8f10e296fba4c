"""The widget of every long text people write in Markdown, and the form
renderer that says the formatting hint once per form.

``MarkdownTextarea`` is a ``Textarea`` (so the character counter of
templates/django/forms/widgets/textarea.html still counts down under it) that
carries the address of the live preview (``data-markdown-preview``) and the
markup of its toolbar and preview in a ``<template>``: static/js/
markdown-editor.js puts them around the field. Without JavaScript the
``<template>`` shows nothing and the field is the plain textarea.

The hint (« Mise en forme : … ») is shown once, above the first Markdown field
of a form, rather than under every field: ``BoundField`` below marks that
field, and the widget's template writes the hint there. The forms have nothing
to do but use the widget.
"""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.urls import reverse

# Set by BoundField on the first Markdown field of a form; never an attribute
# of the textarea itself (the widget takes it out of its attributes).
HINT = "markdown_hint"


class MarkdownTextarea(forms.Textarea):
    template_name = "django/forms/widgets/markdown_textarea.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["markdown_hint"] = bool(widget["attrs"].pop(HINT, False))
        widget["attrs"]["data-markdown-preview"] = reverse("markdown_preview")
        if widget["markdown_hint"] and widget["attrs"].get("id"):
            described = widget["attrs"].get("aria-describedby", "").split()
            widget["attrs"]["aria-describedby"] = " ".join(
                [f"{widget['attrs']['id']}_markdown_hint", *described]
            )
        return context


def first_markdown_field(form) -> str | None:
    """The name of the form's first field written in Markdown, in the order of
    ``form.fields`` (the order of the page)."""
    return next(
        (
            name
            for name, field in form.fields.items()
            if isinstance(field.widget, MarkdownTextarea)
        ),
        None,
    )


class PortalBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if isinstance(widget or self.field.widget, MarkdownTextarea) and (
            first_markdown_field(self.form) == self.name
        ):
            attrs[HINT] = True
        return attrs


class FormRenderer(TemplatesSetting):
    """Django's ``TemplatesSetting`` (the project's widget templates), with
    the bound field that places the Markdown hint."""

    bound_field_class = PortalBoundField
