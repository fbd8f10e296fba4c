"""The pages read a fixed number of queries whatever the amount of data: each
test measures a page, grows the data about tenfold, and measures again."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ateliers import services
from ateliers.models import Atelier, Proposal
from axes.models import Axis
from people.models import Territory
from referentiel import services as referentiel_services
from tests import factories as f

pytestmark = pytest.mark.django_db

STATUSES = itertools.cycle(Proposal.Status.values)


class Portal:
    """Six ateliers with their enjeux, co-animators, volunteers and sessions, and
    proposals with partners, territories and authors; grown on demand."""

    def __init__(self):
        self.ateliers = [f.AtelierFactory(axis=axis) for axis in Axis.objects.all()]
        self.enjeux = {
            atelier.pk: f.EnjeuFactory.create_batch(2, axis=atelier.axis)
            for atelier in self.ateliers
        }
        self.ours = self.ateliers[0]
        for atelier in self.ateliers:
            f.AtelierMembershipFactory(atelier=atelier, landlord_referent=True)
            f.AtelierMembershipFactory(atelier=atelier, public_coanimator=True)
        self.viewers = {
            "member": f.AtelierMembershipFactory(atelier=self.ours).user,
            "secretariat": f.UserFactory(secretariat=True),
            "partner": f.UserFactory(partner=True),
            "coanimator": self.ours.memberships.get(role="landlord_referent").user,
        }
        # Pools to draw from: each proposal links different rows, cheaply.
        self.organisations = f.OrganisationFactory.create_batch(10)
        self.territories = f.NeighbourhoodFactory.create_batch(5) + [
            f.CommuneFactory(parent=bassin)
            for bassin in Territory.objects.filter(kind=Territory.Kind.BASSIN)
        ]
        self.authors = f.UserFactory.create_batch(10, landlord_staff=True)
        self.proposal_count = 0

    def pick(self, pool, k=2):
        start = (self.proposal_count * k) % len(pool)
        return [pool[(start + i) % len(pool)] for i in range(k)]

    def add_proposals(self, n):
        for _ in range(n):
            atelier = self.ateliers[self.proposal_count % len(self.ateliers)]
            self.proposal_count += 1
            f.ProposalFactory(
                atelier=atelier,
                enjeu=self.enjeux[atelier.pk][self.proposal_count % 2],
                # Validated ones too, so partners have rows to render.
                status=Proposal.Status.VALIDATED
                if self.proposal_count % 3 == 0
                else next(STATUSES),
                lead_organisation=self.pick(self.organisations, 1)[0],
                partner_organisations=self.pick(self.organisations),
                territories=self.pick(self.territories),
                authors=self.pick(self.authors),
            )

    def add_people(self, volunteers, sessions):
        for atelier in self.ateliers:
            people = f.AtelierMembershipFactory.create_batch(
                volunteers, atelier=atelier
            )
            for _ in range(sessions):
                f.SessionFactory(
                    atelier=atelier, attendees=[m.user for m in people], minutes="CR"
                )

    def add_comments(self, proposal, n):
        """``n`` comments on ``proposal``, each by a different person of a
        different organisation."""
        for author in f.UserFactory.create_batch(n, landlord_staff=True):
            services.proposal_comment(proposal=proposal, author=author, body="Oui.")

    def add_revisions(self, proposal, n):
        """``n`` saves of ``proposal``, each by a different person, each
        changing the title and the partners."""
        authors = f.UserFactory.create_batch(n, landlord_staff=True)
        for i, author in enumerate(authors):
            proposal = services.proposal_update(
                proposal=proposal,
                editor=author,
                data={
                    "title": f"{proposal.title} +",
                    "partner_organisations": [
                        self.organisations[i % len(self.organisations)]
                    ],
                },
                base_version=proposal.version,
            )

    def add_to_proposal(self, proposal, n):
        proposal.partner_organisations.add(*f.OrganisationFactory.create_batch(n))
        proposal.territories.add(
            *f.NeighbourhoodFactory.create_batch(n), *f.CommuneFactory.create_batch(n)
        )
        proposal.authors.add(*f.UserFactory.create_batch(n, landlord_staff=True))


@pytest.fixture
def portal(reference_data):
    portal = Portal()
    portal.add_proposals(5)
    portal.add_people(volunteers=1, sessions=1)
    return portal


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def assert_same_queries_after_growing(client, url, grow):
    queries(client, url)  # warm caches (content types, sessions)
    few = queries(client, url)

    grow()
    many = queries(client, url)

    added = [sql for sql in many if sql not in few]
    assert len(many) == len(few), "\n".join(["Queries added:", *added[:10]])


# The secretariat reads every proposal; a member reads through their membership.
VIEWERS = ["member", "secretariat"]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_dashboard_queries_do_not_grow(client, portal, viewer):
    """The dashboard counts per axis and status in one query: no query per axis,
    per atelier or per proposal."""
    client.force_login(portal.viewers[viewer])

    assert_same_queries_after_growing(
        client, reverse("dashboard"), lambda: portal.add_proposals(45)
    )


@pytest.mark.parametrize("viewer", VIEWERS)
def test_axis_page_queries_do_not_grow(client, portal, viewer):
    """An axis lists its diagnosis, enjeux and proposals without a query per
    proposal (atelier, enjeu, lead organisation) or per diagnosis finding."""
    client.force_login(portal.viewers[viewer])

    def grow():
        portal.add_proposals(45)
        f.DiagnosisElementFactory.create_batch(10, axis=portal.ours.axis)

    assert_same_queries_after_growing(client, portal.ours.axis.get_absolute_url(), grow)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_atelier_page_queries_do_not_grow(client, portal, viewer):
    """An atelier shows its people, sessions with attendance and proposals
    without a query per membership (person, organisation), per session
    (attendees) or per proposal."""
    client.force_login(portal.viewers[viewer])

    def grow():
        portal.add_proposals(45)
        portal.add_people(volunteers=3, sessions=4)

    assert_same_queries_after_growing(client, portal.ours.get_absolute_url(), grow)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_atelier_list_queries_do_not_grow(client, portal, viewer):
    """The list of ateliers shows their people and counts without a query per
    atelier, per membership or per session."""
    client.force_login(portal.viewers[viewer])

    def grow():
        portal.add_proposals(45)
        portal.add_people(volunteers=3, sessions=4)

    assert_same_queries_after_growing(client, reverse("ateliers:list"), grow)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_proposal_page_queries_do_not_grow(client, portal, viewer):
    """A proposal shows its partners, territories (with their parent) and
    authors (with their organisation) without a query per item."""
    proposal = f.ProposalFactory(
        atelier=portal.ours,
        enjeu=portal.enjeux[portal.ours.pk][0],
        status=Proposal.Status.VALIDATED,
        lead_organisation=f.OrganisationFactory(),
    )
    portal.add_to_proposal(proposal, 2)
    client.force_login(portal.viewers[viewer])

    assert_same_queries_after_growing(
        client,
        proposal.get_absolute_url(),
        lambda: portal.add_to_proposal(proposal, 10),
    )


@pytest.mark.parametrize("viewer", [*VIEWERS, "partner"])
def test_proposal_list_queries_do_not_grow(client, portal, viewer):
    """The proposals list reads its rows (atelier, axis, enjeu, lead
    organisation), the counts per status and the filter choices without a query
    per proposal; from 5 to 50 proposals (two pages) the count stays."""
    client.force_login(portal.viewers[viewer])

    assert_same_queries_after_growing(
        client, reverse("ateliers:proposal_list"), lambda: portal.add_proposals(45)
    )


def test_filtered_proposal_list_queries_do_not_grow(client, portal):
    """Filtering by territory or organisation (joins made distinct) and sorting
    by priority add no query per proposal."""
    client.force_login(portal.viewers["secretariat"])
    bassin = Territory.objects.filter(kind=Territory.Kind.BASSIN).first()
    url = reverse("ateliers:proposal_list") + f"?territory={bassin.pk}&sort=priority"

    assert_same_queries_after_growing(client, url, lambda: portal.add_proposals(45))


def download_queries(client, url):
    """The queries of a download, its streamed content read within."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("export_format", ["csv", "xlsx", "ods"])
@pytest.mark.parametrize("viewer", [*VIEWERS, "partner"])
def test_proposal_export_queries_do_not_grow(client, portal, viewer, export_format):
    """The proposals export reads every row with its atelier, axis, enjeu, lead
    organisation, partners, territories and authors without a query per
    proposal; from 5 to 50 proposals, and more partners, territories and
    authors on one, the count stays, filtered and sorted too."""
    client.force_login(portal.viewers[viewer])
    url = reverse(f"ateliers:proposal_export_{export_format}") + "?q=Prop&sort=priority"
    download_queries(client, url)  # warm caches (content types, sessions)
    few = download_queries(client, url)

    portal.add_proposals(45)
    portal.add_to_proposal(Proposal.objects.visible_to(portal.viewers[viewer])[0], 5)
    many = download_queries(client, url)

    assert len(many) == len(few), "\n".join(sql for sql in many if sql not in few)


@pytest.fixture
def written(portal):
    """A draft of ``ours`` written through the services: two versions."""
    proposal = services.proposal_create(
        atelier=portal.ours,
        author=portal.viewers["member"],
        data={
            "title": "Proposition suivie",
            "summary": "Résumé.",
            "enjeu": portal.enjeux[portal.ours.pk][0],
            "priority": Proposal.Priority.HIGH,
            "partner_organisations": portal.pick(portal.organisations),
        },
    )
    portal.add_revisions(proposal, 1)
    return proposal


@pytest.mark.parametrize("viewer", ["member", "secretariat"])
def test_history_page_queries_do_not_grow(client, portal, written, viewer):
    """The history lists each version with its author and their organisation,
    and compares two, without a query per version (author, organisation):
    from 2 to 20 versions the count stays."""
    client.force_login(portal.viewers[viewer])
    url = reverse("ateliers:proposal_history", kwargs={"pk": written.pk})

    def grow():
        portal.add_revisions(Proposal.objects.get(pk=written.pk), 18)

    assert_same_queries_after_growing(client, url, grow)
    assert written.revisions.count() == 20


@pytest.mark.parametrize("viewer", ["member", "secretariat", "coanimator"])
def test_proposal_page_with_discussion_queries_do_not_grow(
    client, portal, written, viewer
):
    """The discussion shows each comment with its author and their
    organisation without a query per comment: from 2 to 20 comments."""
    portal.add_comments(written, 2)
    client.force_login(portal.viewers[viewer])

    assert_same_queries_after_growing(
        client, written.get_absolute_url(), lambda: portal.add_comments(written, 18)
    )


@pytest.mark.parametrize("viewer", ["member", "coanimator"])
def test_atelier_page_with_comments_and_history_queries_do_not_grow(
    client, portal, written, viewer
):
    """The atelier page does not read the comments or revisions of its
    proposals one by one, nor check a permission per session or proposal with
    a query: comments, versions, sessions and proposals grow, the count stays."""
    client.force_login(portal.viewers[viewer])

    def grow():
        portal.add_proposals(45)
        portal.add_people(volunteers=3, sessions=4)
        portal.add_comments(written, 10)
        portal.add_revisions(Proposal.objects.get(pk=written.pk), 10)

    assert_same_queries_after_growing(client, portal.ours.get_absolute_url(), grow)


def test_members_page_queries_do_not_grow(client, portal):
    """The members page lists volunteers and co-animators with their
    organisation, and the people who may join, without a query per person."""
    client.force_login(portal.viewers["coanimator"])
    url = reverse("ateliers:members", kwargs={"pk": portal.ours.pk})

    def grow():
        portal.add_people(volunteers=3, sessions=2)
        f.UserFactory.create_batch(10, landlord_staff=True)

    assert_same_queries_after_growing(client, url, grow)


def test_enjeux_page_queries_do_not_grow(client, portal):
    """The enjeux page counts the proposals of each enjeu in the same query:
    no query per enjeu."""
    client.force_login(portal.viewers["coanimator"])
    url = reverse("ateliers:enjeux", kwargs={"pk": portal.ours.pk})

    def grow():
        f.EnjeuFactory.create_batch(10, axis=portal.ours.axis)
        portal.add_proposals(45)

    assert_same_queries_after_growing(client, url, grow)


def test_session_record_queries_do_not_grow(client, portal):
    """The attendance form lists the people of the atelier with their
    organisation without a query per person."""
    client.force_login(portal.viewers["coanimator"])
    session = portal.ours.sessions.first()
    url = reverse(
        "ateliers:session_record",
        kwargs={"pk": portal.ours.pk, "session_pk": session.pk},
    )

    assert_same_queries_after_growing(
        client, url, lambda: portal.add_people(volunteers=5, sessions=0)
    )


class Editions:
    """Editions of the référentiel over the portal's proposals: drafts with
    proposals left out and moved, published ones with share links (some
    downloaded, one revoked); grown on demand."""

    def __init__(self, portal):
        self.portal = portal
        self.secretariat = portal.viewers["secretariat"]
        self.count = 0

    def validated(self):
        return list(Proposal.objects.validated().order_by("pk"))

    def draft(self):
        self.count += 1
        edition = referentiel_services.edition_create(
            user=self.secretariat, data={"title": f"Édition {self.count}"}
        )
        validated = self.validated()
        referentiel_services.entry_set_included(
            user=self.secretariat,
            edition=edition,
            proposal=validated[self.count % len(validated)],
            included=False,
        )
        referentiel_services.entry_move(
            user=self.secretariat, edition=edition, proposal=validated[-1], offset=-1
        )
        return edition

    def published(self, links=2):
        edition = referentiel_services.edition_publish(
            user=self.secretariat, edition=self.draft()
        )
        self.add_links(edition, links)
        return edition

    def add_links(self, edition, n):
        for i in range(n):
            link = referentiel_services.share_link_create(
                user=self.secretariat, edition=edition, label=f"Partenaire {i}"
            )
            referentiel_services.share_link_count_download(link)
            if i == 0:
                referentiel_services.share_link_revoke(user=self.secretariat, link=link)

    def add(self, drafts, published):
        for _ in range(drafts):
            self.draft()
        for _ in range(published):
            self.published()


@pytest.fixture
def editions(portal):
    # Validated proposals in three axes, whatever the portal drew.
    for atelier in portal.ateliers[:3]:
        f.ProposalFactory(
            atelier=atelier,
            enjeu=portal.enjeux[atelier.pk][0],
            status=Proposal.Status.VALIDATED,
            partner_organisations=portal.pick(portal.organisations),
            territories=portal.pick(portal.territories),
        )
    editions = Editions(portal)
    editions.add(drafts=1, published=2)
    return editions


@pytest.mark.parametrize("viewer", [*VIEWERS, "partner"])
def test_edition_list_queries_do_not_grow(client, portal, editions, viewer):
    """The list of editions reads their PDFs, download counts and active links
    and compares each published edition with the previous one without a
    query per edition or per share link: from 3 to 23 editions."""
    client.force_login(portal.viewers[viewer])

    def grow():
        portal.add_proposals(45)
        editions.add(drafts=8, published=12)

    assert_same_queries_after_growing(client, reverse("referentiel:list"), grow)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_draft_edition_page_queries_do_not_grow(client, portal, editions, viewer):
    """A draft lists every validated proposal (atelier, axis, enjeu) with its
    entry, and checks whether its PDF is current, without a query per
    proposal or per entry: from ~2 to ~20 validated proposals, more left out."""
    edition = editions.draft()
    client.force_login(portal.viewers[viewer])

    def grow():
        portal.add_proposals(45)
        for proposal in editions.validated()[::3]:
            referentiel_services.entry_set_included(
                user=editions.secretariat,
                edition=edition,
                proposal=proposal,
                included=False,
            )

    assert_same_queries_after_growing(client, edition.get_absolute_url(), grow)


@pytest.mark.parametrize("viewer", [*VIEWERS, "partner"])
def test_published_edition_page_queries_do_not_grow(client, portal, editions, viewer):
    """A published edition shows its frozen content and, to the secretariat,
    its share links with their authors, without a query per link."""
    edition = editions.published(links=2)
    client.force_login(portal.viewers[viewer])

    def grow():
        portal.add_proposals(45)
        editions.add_links(edition, 10)

    assert_same_queries_after_growing(client, edition.get_absolute_url(), grow)


@pytest.mark.parametrize("viewer", ["member", "partner"])
def test_edition_preview_queries_do_not_grow(client, portal, editions, viewer):
    """The preview assembles the document (axes, diagnosis, enjeux, ateliers
    and their people, proposals with partners and territories) in a fixed
    number of queries."""
    edition = editions.published() if viewer == "partner" else editions.draft()
    client.force_login(portal.viewers[viewer])
    url = reverse("referentiel:preview", kwargs={"pk": edition.pk})

    def grow():
        portal.add_proposals(45)
        portal.add_people(volunteers=3, sessions=0)

    assert_same_queries_after_growing(client, url, grow)


def test_the_editions_grow_as_the_tests_assume(portal, editions):
    """Growing adds editions of both kinds, their entries and share links; the
    validated proposals are many more after the portal grows."""
    validated_before = len(editions.validated())
    editions.add(drafts=8, published=12)
    portal.add_proposals(45)

    from referentiel.models import Edition, ShareLink

    assert Edition.objects.filter(status="draft").count() == 9
    assert Edition.objects.filter(status="published").count() == 14
    assert ShareLink.objects.count() == 28
    assert len(editions.validated()) >= validated_before + 15


def test_the_portal_grows_as_the_tests_assume(portal):
    """The growth helpers add what the docstrings above say they add."""
    portal.add_proposals(45)
    portal.add_people(volunteers=3, sessions=4)

    assert Proposal.objects.count() == 50
    assert (
        Proposal.objects.filter(partner_organisations__isnull=False).distinct().count()
        == 50
    )
    assert portal.ours.memberships.count() == 2 + 1 + 1 + 3  # +1: the member viewer
    assert portal.ours.sessions.count() == 5
    assert Atelier.objects.count() == 6


def add_suggestions(proposal, n):
    """``n`` open suggestions on ``proposal``, each by a different delegate of
    a different organisation, on the summary and the description in turn."""
    from ateliers.models import ProposalSuggestion

    for i, author in enumerate(f.UserFactory.create_batch(n, commission=True)):
        field = ("summary", "description")[i % 2]
        base = getattr(proposal, field)
        ProposalSuggestion.objects.create(
            proposal=proposal,
            field=field,
            base_version=proposal.version,
            base_text=base,
            text=f"{base} Suggestion {i}.",
            comment="Plus précis.",
            author=author,
        )


@pytest.mark.parametrize("viewer", ["member", "coanimator", "secretariat"])
def test_proposal_page_with_suggestions_queries_do_not_grow(client, portal, viewer):
    """The open suggestions show with their author and organisation, merged
    into and compared with the current text, without a query per suggestion:
    from 2 to 20 suggestions the count stays."""
    proposal = f.ProposalFactory(
        atelier=portal.ours,
        enjeu=portal.enjeux[portal.ours.pk][0],
        status=Proposal.Status.CHANGES_REQUESTED,
        description="Une marche par trimestre.",
    )
    add_suggestions(proposal, 2)
    client.force_login(portal.viewers[viewer])

    assert_same_queries_after_growing(
        client, proposal.get_absolute_url(), lambda: add_suggestions(proposal, 18)
    )


class Reviews:
    """A draft under review, to the commission and an invited partner, with
    comments of both on every kind of part, some answered (twice) and
    resolved; grown on demand."""

    def __init__(self, portal, editions):
        import datetime

        from django.utils import timezone

        self.secretariat = editions.secretariat
        self.partner = portal.viewers["partner"]
        self.commission = f.UserFactory(commission=True)
        portal.viewers["commission"] = self.commission
        self.edition = editions.draft()
        self.review = referentiel_services.review_open(
            user=self.secretariat,
            edition=self.edition,
            closes_on=timezone.localdate() + datetime.timedelta(days=7),
            partners=[self.partner],
        )
        from referentiel import content as edition_content

        self.sections = list(
            edition_content.sections(edition_content.assemble(self.edition))
        )
        self.count = 0

    def add(self, n):
        for _ in range(n):
            self.count += 1
            author = self.partner if self.count % 2 else self.commission
            comment = referentiel_services.comment_create(
                user=author,
                review=self.review,
                section=self.sections[self.count % len(self.sections)],
                body=f"Commentaire {self.count}",
            )
            if self.count % 3 == 0:
                for text in ("Réponse", "Précision"):
                    referentiel_services.comment_answer(
                        user=self.secretariat, comment=comment, body=text
                    )
                referentiel_services.comment_set_resolved(
                    user=self.secretariat, comment=comment, resolved=True
                )


@pytest.fixture
def reviews(portal, editions):
    reviews = Reviews(portal, editions)
    reviews.add(4)
    return reviews


REVIEW_VIEWERS = ["secretariat", "commission", "partner"]


@pytest.mark.parametrize("viewer", REVIEW_VIEWERS)
def test_comment_list_queries_do_not_grow(client, portal, reviews, viewer):
    """The comments of a review, by section, with their authors and their
    organisations, their answers and who resolved them, without a query per
    comment or per answer (the secretariat's answer forms included): from 4
    to 44 comments."""
    client.force_login(portal.viewers[viewer])
    url = reverse("referentiel:comments", kwargs={"pk": reviews.edition.pk})

    assert_same_queries_after_growing(client, url, lambda: reviews.add(40))


@pytest.mark.parametrize("viewer", REVIEW_VIEWERS)
def test_reviewed_edition_pages_queries_do_not_grow(client, portal, reviews, viewer):
    """The edition's page counts the open comments and the preview draws a
    comment button per part in a fixed number of queries."""
    client.force_login(portal.viewers[viewer])

    def grow():
        reviews.add(40)

    for url in (
        reviews.edition.get_absolute_url(),
        reverse("referentiel:preview", kwargs={"pk": reviews.edition.pk}),
    ):
        assert_same_queries_after_growing(client, url, grow)
