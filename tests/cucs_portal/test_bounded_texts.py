"""What people type costs every reader at most a bounded amount: each text has a
stated maximum that the form shows and enforces (keeping the text), Markdown is
rendered once per text by a parser that is linear in it, and the history's
comparison falls back to lines, then to "replaced", above a fixed budget.

Speed itself is measured by benchmarks/adversarial.py; these tests pin the
behaviour that keeps it bounded, on the inputs known to be slow and on inputs
hypothesis makes up."""

import html
import re

import pytest
from django.core.cache import caches
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ateliers import diff
from ateliers.diff import DIFF_BUDGET, inline_word_diff
from ateliers.models import Proposal
from cucs_portal import texts
from cucs_portal.markdown import (
    ALLOWED_TAGS,
    MAX_NESTING,
    cache_key,
    render_markdown,
)
from tests.ateliers.workspace import form_data, write_proposal

# Characters Markdown gives a meaning to, and a few that HTML does.
MARKUP = "[]()!*_`~<>&#\\|-+.:/\"' \n\t1aé"
markup_text = st.text(alphabet=MARKUP, max_size=400)

TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")


def tags_of(rendered: str) -> list[tuple[str, str]]:
    return [(m.group(1).lower(), m.group(2)) for m in TAG.finditer(rendered)]


def pathological(size: int) -> dict[str, str]:
    def fill(unit: str) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    return {
        "open brackets": fill("["),
        "image brackets": fill("!["),
        "closed at the end": fill("[")[:-1] + "]",
        "link starts": fill("[x]("),
        "emphasis runs": fill("*a **b _c __d "),
        "backtick runs": fill("`a ``b ```c "),
        "deep quotes": "\n".join(">" * d + " x" for d in range(1, 300))[:size],
        "deep lists": "\n".join("  " * d + "- x" for d in range(300))[:size],
        "entities and comments": fill("&amp; <!-- <?x "),
    }


class TestMarkdown:
    @given(markup_text)
    @settings(max_examples=300, deadline=None)
    def test_whatever_is_typed_renders_to_the_allowed_tags_only(self, text):
        """No input raises, and the output holds only the allowed tags, links
        only to http(s) and mailto, and no event handler."""
        rendered = render_markdown(text)

        for tag, attributes in tags_of(rendered):
            assert tag in ALLOWED_TAGS
            assert "on" not in re.findall(r"\s(on)\w+=", attributes)
        for href in re.findall(r'href="([^"]*)"', rendered):
            assert href.split(":")[0].lower() in {"http", "https", "mailto"} or (
                ":" not in href.split("/")[0]
            )

    @pytest.mark.parametrize("name", list(pathological(10)))
    def test_the_known_slow_inputs_render_at_the_largest_size(self, name):
        """The inputs that took Python-Markdown minutes render (at a document's
        maximum, the largest text allowed anywhere), and keep their text."""
        text = pathological(texts.DOCUMENT)[name]

        rendered = render_markdown(text)

        assert rendered
        assert "<script" not in rendered
        assert set(re.findall(r"\w+", text)) <= set(re.findall(r"\w+", rendered))

    def test_nesting_deeper_than_the_limit_is_kept_as_text(self):
        """Quotes nested past MAX_NESTING are not parsed further: the text is
        shown as typed, its words still on the page."""
        text = ">" * (MAX_NESTING * 3) + " au fond"

        rendered = render_markdown(text)

        assert rendered.count("<blockquote>") <= MAX_NESTING
        assert "au fond" in rendered

    def test_a_text_is_rendered_once_then_read_from_the_cache(self):
        """A page view of an unchanged text renders nothing: the HTML is kept
        under the text's digest (here replaced in the cache, and served)."""
        cache = caches["markdown"]
        cache.clear()
        text = "**Une proposition** rendue une fois."
        first = render_markdown(text)
        assert cache.get(cache_key(text)) == first
        cache.set(cache_key(text), "<p>depuis le cache</p>", None)

        assert "<strong>" in first
        assert render_markdown(text) == "<p>depuis le cache</p>"
        assert render_markdown(text + " ") != "<p>depuis le cache</p>"

    def test_an_image_is_not_shown_but_its_link_is_kept(self):
        """Images are not part of the portal's Markdown: the reader gets the
        text and the address as a link rather than nothing."""
        rendered = render_markdown("![plan du quartier](https://example.org/plan)")

        assert "<img" not in rendered
        assert 'href="https://example.org/plan"' in rendered
        assert "plan du quartier" in rendered


def unwrap(rendered: str, keep: str, drop: str) -> str:
    """The text a diff shows with ``drop`` pieces removed and ``keep`` kept."""
    without = re.sub(rf"<{drop}>.*?</{drop}>", "", rendered, flags=re.S)
    return html.unescape(re.sub(rf"</?{keep}>", "", without))


prose = st.text(alphabet="ab \n<&é.;", max_size=300)


class TestDiff:
    @given(prose, prose)
    @settings(max_examples=300, deadline=None)
    def test_a_diff_holds_both_texts_exactly(self, before, after):
        """Whatever the texts, the deletions and the unchanged parts give the
        old text, the insertions and the unchanged parts the new one."""
        rendered = inline_word_diff(before, after)

        assert unwrap(rendered, keep="del", drop="ins") == before
        assert unwrap(rendered, keep="ins", drop="del") == after

    @given(prose, prose)
    @settings(
        max_examples=100,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    def test_the_line_and_replaced_paths_hold_both_texts_too(
        self, monkeypatch, before, after
    ):
        """With a budget so small that every comparison goes through lines and
        sentences or is shown as replaced, both texts are still there, whole."""
        monkeypatch.setattr(diff, "DIFF_BUDGET", 4)

        rendered = inline_word_diff(before, after)

        assert unwrap(rendered, keep="del", drop="ins") == before
        assert unwrap(rendered, keep="ins", drop="del") == after

    def test_two_long_texts_with_nothing_in_common_are_shown_as_replaced(self):
        """Above the budget, with one line each, the old text is struck out and
        the new one inserted, whole: no word-by-word matching is attempted."""
        before, after = "a " * 3000, "b " * 3000
        assert (len(before.split()) * 2) ** 2 > DIFF_BUDGET

        rendered = inline_word_diff(before, after)

        assert rendered == f"<del>{before}</del><ins>{after}</ins>"

    def test_one_word_changed_in_a_long_paragraph_reads_as_one_word(self):
        """A paragraph at a description's maximum, on one line, with one word
        changed: the sentences are matched, then that sentence word by word."""
        before = "".join(
            f"Le gardien tient la permanence n° {n} dans le hall le mardi. "
            for n in range(90)
        )
        after = before.replace(
            "n° 40 dans le hall le mardi", "n° 40 dans le hall le jeudi"
        )
        assert len(before.split()) ** 2 > DIFF_BUDGET and "\n" not in before

        rendered = inline_word_diff(before, after)

        assert rendered.count("<del>") == rendered.count("<ins>") == 1
        assert "<del>mardi.</del><ins>jeudi.</ins>" in rendered

    def test_a_long_text_with_one_line_changed_is_compared_on_that_line(self):
        """Above the budget, lines are matched first: the unchanged lines stay
        as they are, and only the changed one is compared word by word."""
        lines = [f"Ligne {n} du compte rendu de l'atelier." for n in range(400)]
        before = "\n".join(lines)
        lines[200] = "Ligne 200 du compte rendu de la commission."
        after = "\n".join(lines)

        rendered = inline_word_diff(before, after)

        assert rendered.count("<del>") == rendered.count("<ins>") == 1
        assert "<del>l&#x27;atelier.</del><ins>la commission.</ins>" in rendered


@pytest.mark.django_db
class TestTheFormStatesAndKeepsTheMaximum:
    @pytest.fixture
    def proposal(self, world):
        return write_proposal(world.ours, world.people["member"], title="Borne")

    @pytest.fixture
    def client(self, client, world):
        client.force_login(world.people["member"])
        return client

    def test_every_multi_line_field_states_its_maximum(self, client, proposal):
        """Under each text of the form: its maximum in French, tied to the
        field for the counter (static/js/char-count.js)."""
        page = client.get(reverse("ateliers:proposal_update", args=[proposal.pk]))
        content = page.content.decode()

        assert 'data-char-count-for="id_description"' in content
        assert 'data-maxlength="6000"' in content
        assert "6\u00a0000 caractères au plus." in content
        assert "Caractères restants\u00a0: __N__" in content

    def test_a_text_over_its_maximum_is_refused_and_kept(self, client, proposal):
        """One character too many: the form says so next to the field and
        shows the whole text again; nothing is saved."""
        url = reverse("ateliers:proposal_update", args=[proposal.pk])
        page = client.get(url)
        too_long = "é" * texts.LONG_TEXT + "!"

        response = client.post(
            url, {**form_data(page.context["form"]), "description": too_long}
        )

        assert response.status_code == 200
        assert "Assurez-vous que cette valeur comporte au plus 6" in (
            response.content.decode()
        )
        assert too_long in response.content.decode()
        proposal.refresh_from_db()
        assert proposal.description != too_long

    def test_line_breaks_count_once_as_the_counter_counts_them(self, client, proposal):
        """A browser sends each line break as CR LF: a text at its maximum with
        line breaks fits, and is stored with LF."""
        url = reverse("ateliers:proposal_update", args=[proposal.pk])
        page = client.get(url)
        lines = "a\r\n" * (texts.SHORT_TEXT // 2)

        response = client.post(
            url, {**form_data(page.context["form"]), "timetable": lines}
        )

        assert response.status_code == 302
        proposal.refresh_from_db()
        assert proposal.timetable == "a\n" * (texts.SHORT_TEXT // 2 - 1) + "a"

    def test_the_services_refuse_a_text_over_its_maximum_too(self, world, proposal):
        """full_clean() knows the maximum: a write that bypasses the form is
        refused as well."""
        from django.core.exceptions import ValidationError

        from ateliers import services

        with pytest.raises(ValidationError):
            services.proposal_update(
                proposal=proposal,
                editor=world.people["member"],
                data={"description": "x" * (texts.LONG_TEXT + 1)},
                base_version=proposal.version,
            )
        assert Proposal.objects.get(pk=proposal.pk).description != "x" * (
            texts.LONG_TEXT + 1
        )
