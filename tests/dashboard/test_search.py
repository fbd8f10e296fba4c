"""The portal-wide search (dashboard/search.py, ``/recherche/``): what each
person finds, accents and case forgiven, and what it costs."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ateliers.models import Proposal
from dashboard.search import PAGE_SIZE, portal_search
from referentiel import services as referentiel_services
from tests import factories as f
from tests.capitalisation.factories import ExperienceSheetFactory
from tests.world import ROLES, add_after_seminar_rows

pytestmark = pytest.mark.django_db

SIGNED_IN = [role for role in ROLES if role != "anonymous"]


@pytest.fixture(scope="module")
def searched(world, django_db_blocker):
    """The world, with a row of every kind holding « Réhabilitation »: a draft
    and a published sheet, a draft and a published edition, a site action."""
    with django_db_blocker.unblock():
        add_after_seminar_rows(world)
        member, secretariat = world.people["member"], world.people["secretariat"]
        ExperienceSheetFactory(
            author=member, title="Réhabilitation du Grand Pont (brouillon)"
        )
        ExperienceSheetFactory(
            author=member,
            status="published",
            title="Réhabilitation de Montreynaud, publiée",
        )
        draft = referentiel_services.edition_create(
            user=secretariat, data={"title": "Réhabilitation, édition en préparation"}
        )
        published = referentiel_services.edition_publish(
            user=secretariat,
            edition=referentiel_services.edition_create(
                user=secretariat, data={"title": "Réhabilitation, édition publiée"}
            ),
        )
        for proposal in (*world.proposals.values(), *world.their_proposals.values()):
            Proposal.objects.filter(pk=proposal.pk).update(
                summary="Réhabilitation des halls."
            )
        world.search_editions = {"draft": draft, "published": published}
    return world


def titles(groups, key):
    return [str(r.title) for group in groups if group.key == key for r in group.rows]


def result_links(html: str) -> list[str]:
    """The links of the results section of a search page."""
    section = html.split('class="search-results"', 1)[1].split("</main>", 1)[0]
    return re.findall(r'href="(/[^"#?]*)"', section)


def test_accents_and_case_are_ignored(searched):
    """« rehabilitation » finds « Réhabilitation … », and « RÉHABILITATION » too."""
    user = searched.people["secretariat"]
    for text in ("rehabilitation", "RÉHABILITATION", "Réhabilitation"):
        groups = portal_search(user=user, text=text)
        counts = {group.key: group.count for group in groups}
        assert counts["sheets"] == 2
        assert counts["editions"] == 2
        assert counts["proposals"] == 2 * len(Proposal.Status.values)


def test_every_word_must_be_found(searched):
    user = searched.people["secretariat"]
    groups = portal_search(user=user, text="rehabilitation montreynaud")

    assert titles(groups, "sheets") == ["Réhabilitation de Montreynaud, publiée"]
    assert titles(groups, "proposals") == []


def test_another_ateliers_draft_stays_hidden_from_a_member(searched):
    groups = portal_search(user=searched.people["member"], text="proposition draft")
    found = titles(groups, "proposals")
    draft = Proposal.Status.DRAFT

    assert searched.proposals[draft].title in found
    assert searched.their_proposals[draft].title not in found


def test_a_partner_finds_validated_proposals_published_sheets_and_editions(searched):
    """No draft of any kind: not a proposal, sheet or edition in preparation."""
    groups = portal_search(user=searched.people["partner"], text="rehabilitation")

    statuses = {row.status for g in groups if g.key == "proposals" for row in g.rows}
    assert statuses == {Proposal.Status.VALIDATED}
    assert titles(groups, "sheets") == ["Réhabilitation de Montreynaud, publiée"]
    assert titles(groups, "editions") == ["Réhabilitation, édition publiée"]


def test_a_partner_invited_to_an_open_review_finds_that_draft(searched):
    partner = searched.people["partner"]
    referentiel_services.review_open(
        user=searched.people["secretariat"],
        edition=searched.search_editions["draft"],
        closes_on=timezone.localdate() + datetime.timedelta(days=7),
        partners=[partner],
    )

    groups = portal_search(user=partner, text="rehabilitation")

    assert "Réhabilitation, édition en préparation" in titles(groups, "editions")


def test_the_working_group_finds_draft_editions(searched):
    groups = portal_search(user=searched.people["member"], text="rehabilitation")

    assert "Réhabilitation, édition en préparation" in titles(groups, "editions")


def test_people_are_found_by_name_and_organisation_never_by_address(searched):
    user = searched.people["plain"]
    person = f.UserFactory(
        first_name="Élodie",
        last_name="Fréchet",
        email="unique.adresse@example.org",
    )

    by_name = portal_search(user=user, text="elodie frechet")
    by_address = portal_search(user=user, text="unique.adresse")

    assert [r.pk for g in by_name if g.key == "people" for r in g.rows] == [person.pk]
    assert all(g.count == 0 for g in by_address if g.key == "people")


@pytest.mark.parametrize("role", SIGNED_IN)
def test_every_result_opens_for_whoever_found_it(client, searched, role):
    """Never a row that the person cannot open: every link of the results page
    is a 200 for them."""
    client.force_login(searched.people[role])

    response = client.get(reverse("search"), {"q": "rehabilitation"})

    assert response.status_code == 200
    html = response.content.decode()
    for link in set(result_links(html)):
        assert client.get(link).status_code == 200, link


def test_no_email_address_is_shown(client, searched):
    client.force_login(searched.people["partner"])
    person = f.UserFactory(first_name="Rehabilitation", email="cache@example.org")

    response = client.get(reverse("search"), {"q": "rehabilitation"})

    assert person.get_full_name() in response.content.decode()
    assert person.email not in response.content.decode()


def test_signed_out_visitors_are_sent_to_the_login_page(client, searched):
    response = client.get(reverse("search"), {"q": "rehabilitation"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_empty_search_shows_help_and_no_results(client, searched):
    client.force_login(searched.people["member"])

    html = client.get(reverse("search")).content.decode()

    assert 'class="search-help"' in html
    assert 'class="search-results"' not in html


def test_no_match_says_so_and_suggests_fewer_words(client, searched):
    client.force_login(searched.people["member"])

    response = client.get(reverse("search"), {"q": "zzzyx introuvable"})

    assert response.status_code == 200
    assert 'class="empty-state"' in response.content.decode()
    assert 'class="search-results"' not in response.content.decode()


def test_a_huge_text_is_cut_not_an_error(client, searched):
    client.force_login(searched.people["member"])

    response = client.get(reverse("search"), {"q": "réhabilitation " * 700})

    assert response.status_code == 200
    assert response.context["query_cut"] is True
    assert len(response.context["query"]) <= 200
    assert response.context["found"] > 0


@pytest.mark.parametrize(
    "text",
    ["%", "_", "%%%", "<script>alert(1)</script>", "'; DROP TABLE x; --", "\x00"],
)
def test_hostile_text_is_searched_as_text(client, searched, text):
    """``%`` and ``_`` are not wildcards, markup is escaped, NUL is dropped."""
    client.force_login(searched.people["member"])

    response = client.get(reverse("search"), {"q": text})

    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()
    if text == "_":
        # An underscore is a letter of a word, found as itself: not every row.
        everything = client.get(reverse("search"), {"q": "e"}).context["found"]
        assert response.context["found"] < everything
    else:
        assert response.context["found"] == 0


def test_more_matches_than_a_page_link_to_the_kinds_list(searched):
    for n in range(PAGE_SIZE + 2):
        ExperienceSheetFactory(
            author=searched.people["member"],
            status="published",
            title=f"Réhabilitation numéro {n}",
        )

    groups = portal_search(user=searched.people["member"], text="rehabilitation")
    sheets = next(group for group in groups if group.key == "sheets")

    assert len(sheets.rows) == PAGE_SIZE
    assert sheets.has_more
    assert sheets.more_url == reverse("capitalisation:library") + "?q=rehabilitation"


def grow(world, n):
    member = world.people["member"]
    for i in range(n):
        ExperienceSheetFactory(author=member, title=f"Croissance {i}")
        f.ProposalFactory(
            atelier=world.ours,
            enjeu=world.enjeux[world.ours.pk][0],
            title=f"Croissance {i}",
            created_by=member,
        )
        f.UserFactory(first_name="Croissance", last_name=f"N{i}")


@pytest.mark.parametrize("role", ["member", "partner", "secretariat"])
def test_the_number_of_queries_does_not_grow_with_the_matches(
    client, searched, role, django_assert_num_queries
):
    """One count and one page per kind, the people's ateliers prefetched: the
    same number of queries for 3 and for 30 matches of each kind."""
    client.force_login(searched.people[role])
    url = reverse("search")
    grow(searched, 3)
    client.get(url, {"q": "croissance"})  # the session and the user, read once
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url, {"q": "croissance"})
    grow(searched, 27)

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url, {"q": "croissance"})

    assert response.context["found"] >= 30
