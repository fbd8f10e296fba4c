"""Markdown typed by people is rendered, then sanitised: formatting survives,
scripts do not."""

import re

import pytest

from cucs_portal.markdown import render_markdown


def test_a_script_tag_never_reaches_the_page():
    """<script> is removed or escaped, never emitted as a tag."""
    html = render_markdown("Avant <script>alert(1)</script> après")

    assert "<script" not in html.lower()
    assert "Avant" in html
    assert "après" in html


def test_html_typed_in_a_text_is_shown_as_text():
    """HTML typed in a text is never a tag: an image with an event handler
    shows as the characters typed, escaped."""
    html = render_markdown("Voir <img src=x onerror=alert(1)> ici")

    assert "<img" not in html.lower()
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("Le dispositif <<Bien vieillir>> chez soi", "&lt;&lt;Bien vieillir&gt;&gt;"),
        ("Des logements <T3> et <T4>", "&lt;T3&gt; et &lt;T4&gt;"),
    ],
)
def test_angle_brackets_keep_their_words(typed, shown):
    """What looks like a tag is text people wrote (guillemets typed as << >>,
    a flat type): its words stay on the page."""
    assert shown in render_markdown(typed)


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ],
)
def test_a_link_keeps_only_safe_schemes(text):
    """javascript: and data: links never become a link (the text may stay as
    text, which is harmless)."""
    html = render_markdown(text).lower()

    hrefs = re.findall(r'<a\s[^>]*href="([^"]*)"', html)
    assert not [href for href in hrefs if href.startswith(("javascript", "data"))]


def test_bold_lists_and_web_links_survive():
    """The formatting people use in proposals is kept."""
    html = render_markdown(
        "**Priorité** au partenariat :\n\n"
        "- repérer les impayés\n"
        "- saisir la commission\n\n"
        "Voir [le site](https://www.example.org/cucs)."
    )

    assert "<strong>Priorité</strong>" in html
    assert "<ul>" in html
    assert html.count("<li>") == 2
    assert 'href="https://www.example.org/cucs"' in html


def test_links_do_not_leak_the_portal_to_other_sites():
    """External links carry rel="noopener noreferrer nofollow"."""
    html = render_markdown("[site](http://www.example.org)")

    assert 'rel="noopener noreferrer nofollow"' in html


@pytest.mark.parametrize("text", [None, ""])
def test_nothing_renders_as_nothing(text):
    """An empty field renders as an empty string."""
    assert render_markdown(text) == ""


def test_the_template_filter_renders_the_same_html():
    """Templates use the filter {{ text|markdown }} from the portal tags."""
    from django.template import Context, Template

    template = Template("{% load portal %}{{ text|markdown }}")

    rendered = template.render(Context({"text": "**gras** <script>x</script>"}))

    assert rendered == render_markdown("**gras** <script>x</script>")
    assert "<strong>gras</strong>" in rendered


def test_a_list_may_start_right_after_a_sentence():
    """As the help text says, a line starting with "- " makes a list, even with
    no blank line before it (and with a browser's \\r\\n line breaks)."""
    html = render_markdown("Objectifs :\r\n- un lieu\r\n- une fréquence")

    assert "<p>Objectifs&nbsp;:</p>" in html  # a no-break space before ":"
    assert "<li>un lieu</li>" in html
    assert "<li>une fréquence</li>" in html
