"""The history of a proposal and the differences between two versions."""

import pytest
from django.urls import reverse

from ateliers import services
from ateliers.diff import compare, inline_word_diff
from ateliers.models import Proposal

from .workspace import write_proposal

pytestmark = pytest.mark.django_db


def history_url(proposal, query=""):
    return reverse("ateliers:proposal_history", kwargs={"pk": proposal.pk}) + query


@pytest.fixture
def proposal(world):
    """Three versions: created by the member, retitled by the landlord
    referent, then given a new description by the member."""
    member, referent = world.people["member"], world.people["landlord_referent"]
    proposal = write_proposal(world.ours, member, title="Marches exploratoires")
    services.proposal_update(
        proposal=proposal,
        editor=referent,
        data={"title": "Marches exploratoires trimestrielles"},
        base_version=1,
    )
    services.proposal_update(
        proposal=proposal,
        editor=member,
        data={"description": "Avec les gardiens et les amicales."},
        base_version=2,
    )
    return proposal


@pytest.fixture
def member_client(client, world):
    client.force_login(world.people["member"])
    return client


class TestHistoryPage:
    def test_versions_are_listed_newest_first(self, member_client, proposal):
        """Version 3 comes first, version 1 last, on the page as in the list."""
        response = member_client.get(history_url(proposal))

        html = response.content.decode()
        assert response.status_code == 200
        assert [r.version for r in response.context["revisions"]] == [3, 2, 1]
        sidebar = html.split("version-list", 1)[1]
        positions = [sidebar.index(f"Version {n}") for n in (3, 2, 1)]
        assert positions == sorted(positions)

    def test_without_a_choice_the_last_two_versions_are_compared(
        self, member_client, proposal
    ):
        """Opening the history shows what the last save changed."""
        response = member_client.get(history_url(proposal))

        assert (response.context["old"].version, response.context["new"].version) == (
            2,
            3,
        )
        assert [c.name for c in response.context["changes"]] == ["description"]

    def test_two_chosen_versions_are_compared(self, member_client, proposal):
        """?old=1&new=2 shows the title change of version 2, word by word."""
        response = member_client.get(history_url(proposal, "?old=1&new=2"))

        changes = response.context["changes"]
        assert (response.context["old"].version, response.context["new"].version) == (
            1,
            2,
        )
        assert [(c.name, c.before, c.after) for c in changes] == [
            ("title", "Marches exploratoires", "Marches exploratoires trimestrielles")
        ]
        assert "<ins> trimestrielles</ins>" in response.content.decode()

    def test_versions_far_apart_show_every_field_that_changed(
        self, member_client, proposal
    ):
        """?old=1&new=3 shows the title and the description."""
        response = member_client.get(history_url(proposal, "?old=1&new=3"))

        assert [c.name for c in response.context["changes"]] == [
            "title",
            "description",
        ]

    @pytest.mark.parametrize(
        ("query", "wrong"),
        [
            pytest.param("?old=abc&new=2", {"old"}, id="not-a-number"),
            pytest.param("?old=1&new=9", {"new"}, id="unknown-version"),
            pytest.param("?old=1", {"new"}, id="missing"),
            pytest.param("?old=-1&new=%00", {"old", "new"}, id="garbage"),
            pytest.param("?page=2", {"old", "new"}, id="other-parameter"),
        ],
    )
    def test_a_wrong_choice_is_a_form_error_never_a_500(
        self, member_client, proposal, query, wrong
    ):
        """The compare form reports the wrong field and the page still shows the
        list of versions."""
        response = member_client.get(history_url(proposal, query))

        assert response.status_code == 200
        assert set(response.context["compare_form"].errors) == wrong
        assert "is-invalid" in response.content.decode()
        assert [r.version for r in response.context["revisions"]] == [3, 2, 1]

    def test_a_single_version_has_nothing_to_compare(self, member_client, world):
        """A proposal saved once shows its one version and no differences."""
        proposal = write_proposal(world.ours, world.people["member"])

        response = member_client.get(history_url(proposal))

        assert response.status_code == 200
        assert response.context["changes"] == []
        assert [r.version for r in response.context["revisions"]] == [1]

    def test_a_proposal_without_history_opens(self, member_client, world):
        """Proposals entered before the history existed have no revision; the
        page opens all the same."""
        response = member_client.get(history_url(world.proposals["draft"]))

        assert response.status_code == 200
        assert response.context["revisions"] == []

    def test_a_status_change_is_shown_with_its_french_label(
        self, member_client, proposal, world
    ):
        """Submitting appears as a change of status, in words people read."""
        services.proposal_submit(
            proposal=proposal, acting_user=world.people["landlord_referent"]
        )

        response = member_client.get(history_url(proposal))

        (change,) = response.context["changes"]
        assert (change.name, str(change.before), str(change.after)) == (
            "status",
            "Brouillon",
            "Soumise à la commission",
        )


class TestInlineWordDiff:
    def test_removed_words_are_struck_and_added_words_inserted(self):
        """The text after, with <del> for removed and <ins> for added words."""
        assert inline_word_diff("une marche par mois", "une marche par trimestre") == (
            "une marche par <del>mois</del><ins>trimestre</ins>"
        )

    def test_identical_texts_have_no_marks(self):
        """Nothing changed, nothing marked."""
        assert inline_word_diff("même texte", "même texte") == "même texte"

    def test_empty_before_or_after(self):
        """A field filled in, or emptied."""
        assert inline_word_diff("", "nouveau") == "<ins>nouveau</ins>"
        assert inline_word_diff(None, "nouveau") == "<ins>nouveau</ins>"
        assert inline_word_diff("ancien", "") == "<del>ancien</del>"

    @pytest.mark.parametrize(
        ("before", "after"),
        [
            ("Titre", "<script>alert(1)</script> Titre"),
            ("<script>alert(1)</script> Titre", "Titre"),
            ("<b>a</b> & b", "<b>a</b> & c"),
        ],
    )
    def test_html_in_either_version_is_escaped(self, before, after):
        """Whatever was typed, old or new, is shown as text: only the <del> and
        <ins> marks are HTML."""
        html = inline_word_diff(before, after)

        assert "<script>" not in html
        assert "<b>" not in html
        stripped = (
            html.replace("<del>", "")
            .replace("</del>", "")
            .replace("<ins>", "")
            .replace("</ins>", "")
        )
        assert "<" not in stripped and ">" not in stripped

    def test_a_script_title_shows_as_text(self):
        """'<script>' in a title shows as &lt;script&gt;."""
        html = inline_word_diff("Titre", "<script>alert(1)</script>")

        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


class TestCompare:
    def test_only_changed_fields_in_reading_order(self):
        """Unchanged fields are left out; the order is the tracked order."""
        before = {"title": "A", "summary": "S", "priority": "high", "status": "draft"}
        after = {"title": "B", "summary": "S", "priority": "low", "status": "draft"}

        changes = compare(before, after)

        assert [c.name for c in changes] == ["title", "priority"]
        assert [str(c.before) for c in changes] == ["A", "Haute"]

    def test_lists_show_what_was_added_and_removed(self):
        """For partners and territories: the items added and removed."""
        (change,) = compare(
            {"partner_organisations": ["DDE", "SEM"]},
            {"partner_organisations": ["Région", "SEM"]},
        )

        assert (change.added, change.removed, change.inline) == (
            ["Région"],
            ["DDE"],
            None,
        )

    def test_a_field_missing_from_an_old_snapshot_compares_as_empty(self):
        """A snapshot saved before a field was tracked does not break the diff."""
        (change,) = compare({"title": "A"}, {"title": "A", "indicators": "Nombre"})

        assert (change.name, change.before, change.after) == (
            "indicators",
            "",
            "Nombre",
        )

    def test_the_history_page_escapes_a_script_title(self, client, world):
        """A title holding <script> shows as &lt;script&gt; in the differences,
        in the list and in the page title: never as a tag."""
        proposal = write_proposal(world.ours, world.people["member"], title="Titre")
        services.proposal_update(
            proposal=proposal,
            editor=world.people["member"],
            data={"title": "<script>alert(1)</script> Titre"},
            base_version=1,
        )
        client.force_login(world.people["member"])

        html = client.get(history_url(proposal)).content.decode()

        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert Proposal.objects.get(pk=proposal.pk).version == 2
