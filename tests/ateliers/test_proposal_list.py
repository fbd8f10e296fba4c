"""The proposals list: only what the person may read, filtered, searched,
sorted, paginated and counted per status."""

import datetime
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ateliers.models import Atelier, Proposal
from ateliers.selectors import SEARCHED_FIELDS
from cucs_portal.search import matching
from people.models import Territory
from tests import factories as f

S = Proposal.Status
pytestmark = pytest.mark.django_db


class Catalogue:
    """Four proposals of ateliers 3 and 5, apart from the world's twelve.

    a: atelier 3, enjeu 3.1, validated, high, in the Firminy-Vert neighbourhood,
       led by the association;
    b: atelier 3, enjeu 3.2, submitted, low, in the commune of Firminy, with the
       association as partner, "tranquillité" in its description;
    c: atelier 5, draft, medium, in the Gier bassin, the association both lead
       and partner, "SENIORS" in its actions;
    d: atelier 5, validated, medium, nowhere, nobody, "reposer" in its summary.
    """

    def __init__(self):
        third = Atelier.objects.get(axis__number=3)
        fifth = Atelier.objects.get(axis__number=5)
        self.third, self.fifth = third, fifth
        self.enjeu_3a = f.EnjeuFactory(axis=third.axis, position=1)
        self.enjeu_3b = f.EnjeuFactory(axis=third.axis, position=2)
        enjeu_5 = f.EnjeuFactory(axis=fifth.axis, position=1)
        self.ondaine = Territory.objects.get(slug="ondaine")
        self.firminy = f.CommuneFactory(name="Firminy", parent=self.ondaine)
        self.firminy_vert = f.NeighbourhoodFactory(
            name="Firminy-Vert", parent=self.firminy
        )
        self.association = f.OrganisationFactory(
            name="Association Habitat Solidaire", short_name=""
        )
        gier = Territory.objects.get(slug="gier")
        self.a = f.ProposalFactory(
            atelier=third,
            enjeu=self.enjeu_3a,
            number=1,
            status=S.VALIDATED,
            priority=Proposal.Priority.HIGH,
            title="Jardins partagés au pied des tours",
            territories=[self.firminy_vert],
            lead_organisation=self.association,
        )
        self.b = f.ProposalFactory(
            atelier=third,
            enjeu=self.enjeu_3b,
            number=2,
            status=S.SUBMITTED,
            priority=Proposal.Priority.LOW,
            title="Médiation de nuit",
            description="Pour la tranquillité résidentielle.",
            territories=[self.firminy],
            partner_organisations=[self.association],
        )
        self.c = f.ProposalFactory(
            atelier=fifth,
            enjeu=enjeu_5,
            number=1,
            status=S.DRAFT,
            priority=Proposal.Priority.MEDIUM,
            title="Aide au déménagement",
            actions="Accompagner les SENIORS",
            territories=[gier],
            lead_organisation=self.association,
            partner_organisations=[self.association],
        )
        self.d = f.ProposalFactory(
            atelier=fifth,
            enjeu=enjeu_5,
            number=2,
            status=S.VALIDATED,
            priority=Proposal.Priority.MEDIUM,
            title="Bancs publics",
            summary="Des bancs pour se reposer.",
        )
        start = timezone.make_aware(datetime.datetime(2007, 3, 1))
        for days, proposal in enumerate([self.a, self.c, self.b]):
            Proposal.objects.filter(pk=proposal.pk).update(
                updated_at=start + datetime.timedelta(days=days)
            )


@pytest.fixture
def catalogue(world):
    return Catalogue()


def listing(client, user, query=""):
    client.force_login(user)
    response = client.get(reverse("ateliers:proposal_list") + query)
    assert response.status_code == 200
    return response


def listed(response) -> list:
    return list(response.context["proposals"])


class TestWhoSeesWhat:
    def test_partners_see_validated_proposals_only(self, client, world):
        """Nothing but validated proposals, and no other title on the page."""
        response = listing(client, world.people["partner"])

        html = response.content.decode()
        assert {p.status for p in listed(response)} == {S.VALIDATED}
        assert response.context["total"] == 2
        for status in set(S.values) - {S.VALIDATED}:
            assert world.proposals[status].title not in html
            assert world.their_proposals[status].title not in html

    def test_a_draft_of_another_atelier_is_absent(self, client, world):
        """The volunteer of another atelier does not read our draft; they read
        their own."""
        response = listing(client, world.people["other_member"])

        html = response.content.decode()
        assert world.proposals[S.DRAFT].title not in html
        assert world.proposals[S.WITHDRAWN].title not in html
        assert world.their_proposals[S.DRAFT].title in html

    def test_someone_without_a_role_sees_an_empty_list(self, client, world):
        """A signed-in person without a role reads no proposal."""
        response = listing(client, world.people["plain"])

        assert listed(response) == []
        assert response.context["total"] == 0

    @pytest.mark.parametrize(
        "role", ["member", "other_member", "commission", "partner", "secretariat"]
    )
    def test_the_list_is_what_visible_to_allows(self, client, world, role):
        """The list holds exactly Proposal.objects.visible_to(user)."""
        user = world.people[role]

        response = listing(client, user)

        assert set(listed(response)) == set(Proposal.objects.visible_to(user))

    def test_filtering_on_a_status_one_may_not_read_finds_nothing(self, client, world):
        """A partner asking for drafts gets none."""
        response = listing(client, world.people["partner"], "?status=draft")

        assert listed(response) == []


class TestFilters:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            pytest.param(lambda c: f"?axis={c.third.axis.pk}", "ab", id="axis"),
            pytest.param(lambda c: f"?atelier={c.fifth.pk}", "cd", id="atelier"),
            pytest.param(lambda c: f"?enjeu={c.enjeu_3a.pk}", "a", id="enjeu"),
            pytest.param(
                lambda c: f"?axis={c.third.axis.pk}&status=validated",
                "a",
                id="axis-and-status",
            ),
            pytest.param(
                lambda c: f"?territory={c.firminy_vert.pk}", "a", id="neighbourhood"
            ),
            pytest.param(
                lambda c: f"?territory={c.firminy.pk}",
                "ab",
                id="a-commune-finds-its-neighbourhoods",
            ),
            pytest.param(
                lambda c: f"?territory={c.ondaine.pk}",
                "ab",
                id="a-bassin-finds-its-communes-and-neighbourhoods",
            ),
            pytest.param(
                lambda c: f"?organisation={c.association.pk}",
                "abc",
                id="organisation-lead-or-partner",
            ),
            pytest.param(lambda c: "?q=jardins", "a", id="search-title"),
            pytest.param(lambda c: "?q=reposer", "d", id="search-summary"),
            pytest.param(lambda c: "?q=tranquillité", "b", id="search-description"),
            pytest.param(lambda c: "?q=seniors", "c", id="search-actions"),
            pytest.param(
                lambda c: f"?q=de&atelier={c.third.pk}", "ab", id="search-and-filter"
            ),
        ],
    )
    def test_filters(self, client, world, catalogue, query, expected):
        """Each filter narrows the list to the catalogue's expected proposals,
        each listed once."""
        response = listing(client, world.people["secretariat"], query(catalogue))

        proposals = listed(response)
        assert sorted(p.pk for p in proposals) == sorted(
            getattr(catalogue, name).pk for name in expected
        )
        assert response.context["filter_form"].errors == {}

    def test_the_status_filter(self, client, world, catalogue):
        """?status=validated lists every validated proposal one may read."""
        response = listing(client, world.people["secretariat"], "?status=validated")

        assert set(listed(response)) == set(Proposal.objects.validated())

    @pytest.mark.parametrize(
        ("sort", "order"),
        [
            ("", "abc"),
            ("reference", "abc"),
            ("title", "cab"),
            ("status", "cba"),
            ("-updated", "bca"),
            ("priority", "acb"),
        ],
    )
    def test_sort_options(self, client, world, catalogue, sort, order):
        """By reference (the default), title, status, last update (newest
        first) or priority (high first)."""
        response = listing(
            client,
            world.people["secretariat"],
            f"?organisation={catalogue.association.pk}&sort={sort}",
        )

        assert listed(response) == [getattr(catalogue, name) for name in order]

    def test_status_counts_cover_the_search_whatever_the_status_chosen(
        self, client, world, catalogue
    ):
        """The counts per status are those of the current search; choosing a
        status narrows the list, not the counts."""
        query = f"?organisation={catalogue.association.pk}"
        secretariat = world.people["secretariat"]

        everything = listing(client, secretariat, query)
        drafts = listing(client, secretariat, query + "&status=draft")

        for response in (everything, drafts):
            counts = {s: n for s, _label, n in response.context["status_counts"] if n}
            assert counts == {S.DRAFT: 1, S.SUBMITTED: 1, S.VALIDATED: 1}
            assert response.context["total"] == 3
        assert listed(drafts) == [catalogue.c]

    @pytest.mark.parametrize("role", ["member", "partner", "secretariat"])
    def test_status_counts_match_the_list(self, client, world, catalogue, role):
        """Without a filter, the counts add up to the proposals one may read."""
        user = world.people[role]

        response = listing(client, user)

        readable = Proposal.objects.visible_to(user)
        counts = {s: n for s, _label, n in response.context["status_counts"]}
        assert counts == {s: readable.filter(status=s).count() for s in S.values}
        assert response.context["total"] == readable.count()
        assert response.context["page_obj"].paginator.count == readable.count()


class TestPagination:
    @pytest.fixture
    def many(self, world):
        """Thirty more proposals in atelier 6: 42 for the secretariat."""
        atelier = Atelier.objects.get(axis__number=6)
        enjeu = f.EnjeuFactory(axis=atelier.axis, position=1)
        f.ProposalFactory.create_batch(30, atelier=atelier, enjeu=enjeu)
        return Proposal.objects.count()

    def test_25_per_page(self, client, world, many):
        """Page 1 holds 25 proposals, page 2 the rest."""
        first = listing(client, world.people["secretariat"])
        second = listing(client, world.people["secretariat"], "?page=2")

        assert len(listed(first)) == 25
        assert len(listed(second)) == many - 25
        assert not set(listed(first)) & set(listed(second))

    @pytest.mark.parametrize("page", ["999", "-1", "abc", "2.5", ""])
    def test_a_page_out_of_range_shows_a_real_page(self, client, world, many, page):
        """A number past the end shows the last page; anything else the
        first; never a 404 or a 500."""
        response = listing(client, world.people["secretariat"], f"?page={page}")

        expected = 2 if page in ("999", "-1") else 1
        assert response.context["page_obj"].number == expected

    def test_page_links_keep_the_filters(self, client, world, many):
        """The query string given to the page links has the filters, not the
        page."""
        atelier = Atelier.objects.get(axis__number=6)

        response = listing(
            client, world.people["secretariat"], f"?atelier={atelier.pk}&page=2"
        )

        assert response.context["query_string"] == f"atelier={atelier.pk}"
        assert len(listed(response)) == 5


class TestWrongFilters:
    def test_wrong_values_are_reported_and_the_page_still_shows(self, client, world):
        """?axis=abc&status=nonsense&page=999: 200, an error at each wrong
        filter, the last page of the unfiltered list."""
        response = listing(
            client, world.people["secretariat"], "?axis=abc&status=nonsense&page=999"
        )

        form = response.context["filter_form"]
        assert set(form.errors) == {"axis", "status"}
        assert response.context["page_obj"].number == (
            response.context["page_obj"].paginator.num_pages
        )
        assert response.context["total"] == Proposal.objects.count()

    @pytest.mark.parametrize(
        "query",
        [
            "?territory=987654",
            "?organisation=-1",
            "?enjeu=1.5",
            "?atelier=%00",
            "?sort=DROP TABLE",
            "?q=" + "x" * 300,
            "?q=%25_%25",
            "?axis=1&axis=abc",
        ],
    )
    def test_no_wrong_value_gives_a_500(self, client, world, query):
        """Every odd query gives the page back."""
        listing(client, world.people["member"], query)

    def test_a_search_with_sql_wildcards_matches_them_literally(self, client, world):
        """'_' in the search is a character, not 'any character' (the world's
        titles hold « changes_requested »); '%' alone holds no word: the list is
        the one without a search, as in the library."""
        response = listing(client, world.people["secretariat"], "?q=s_r")

        assert {p.status for p in listed(response)} == {S.CHANGES_REQUESTED}

        response = listing(client, world.people["secretariat"], "?q=sxr")

        assert listed(response) == []

        response = listing(client, world.people["secretariat"], "?q=%25")

        assert response.context["total"] == Proposal.objects.count()


class TestSearchForgivesAccents:
    """What people type without accents finds the accented proposal (issue 17)."""

    @pytest.fixture
    def proposals(self, world):
        third = Atelier.objects.get(axis__number=3)
        enjeu = f.EnjeuFactory(axis=third.axis, position=1)
        return {
            "idees": f.ProposalFactory(
                atelier=third,
                enjeu=enjeu,
                number=1,
                title="Une « Boîte à idées » dans chaque hall",
            ),
            "jardins": f.ProposalFactory(
                atelier=third,
                enjeu=enjeu,
                number=2,
                title="Développement de jardins partagés au pied des immeubles",
            ),
            "rehabilitation": f.ProposalFactory(
                atelier=third,
                enjeu=enjeu,
                number=3,
                title="Adapter les parties communes",
                actions="- Intégrer des aménagements lors de chaque **réhabilitation**",
            ),
        }

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("boite a idees", "idees"),
            ("Boîte à idées", "idees"),
            ("BOITE A IDEES", "idees"),
            ("jardins partages", "jardins"),
            ("jardins partagés", "jardins"),
            ("rehabilitation", "rehabilitation"),
            ("RÉHABILITATION", "rehabilitation"),
            ("réhabilitation aménagements", "rehabilitation"),
        ],
    )
    def test_without_accents_or_in_capitals(
        self, client, world, proposals, text, expected
    ):
        response = listing(
            client,
            world.people["secretariat"],
            "?" + urlencode({"q": text}),
        )

        assert listed(response) == [proposals[expected]]
        assert proposals[expected].title in response.content.decode()

    @pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="GIN trigram indexes are PostgreSQL's",
    )
    def test_the_search_uses_the_trigram_indexes(self, world, proposals):
        """With sequential and plain index scans disabled, the planner answers
        the list's search condition from the indexes on cucs_fold(column) of
        migration ateliers/0008. (On these few rows it would rather start from
        the status index of the visibility filter; benchmarks/search.py shows
        the whole list's query using them on many rows.)"""
        qs = Proposal.objects.filter(
            matching("jardins partages", *SEARCHED_FIELDS)
        ).only("pk")
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")

        plan = qs.explain()

        for column in SEARCHED_FIELDS:
            assert f"proposal_{column}_fold_trgm" in plan
