"""Editions of the référentiel, from the services to the pages: assembled from
the validated proposals (axis → enjeu → proposal), proposals left out, put
back and reordered, published (frozen), started from another, compared; the
edit form's conflicts and errors; who reads what. No PDF is rendered here (see
test_pdf.py).

Built on tests/world.py: ``ours`` (axis 1) has the world's validated proposal
and, added here, ``after`` (same enjeu, a later number) and ``second`` (the
second enjeu); ``theirs`` (axis 2) has the world's validated proposal.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from ateliers import services as atelier_services
from ateliers.models import Proposal
from audit.models import AuditEvent
from axes.models import Enjeu
from referentiel import content as edition_content
from referentiel import services
from referentiel.models import Edition, EditionEntry, Rendition
from referentiel.verbs import ReferentielVerb
from tests import factories as f
from tests.matrix import CONFIRMED
from tests.referentiel.support import (
    included,
    new_edition,
    publish,
    references,
    validated_proposal,
)

pytestmark = pytest.mark.django_db

S = Proposal.Status


@pytest.fixture(scope="module")
def editions_world(world, django_db_blocker):
    with django_db_blocker.unblock():
        first_enjeu, second_enjeu = world.enjeux[world.ours.pk]
        world.after = validated_proposal(
            world.ours, first_enjeu, "Une proposition validée plus tard"
        )
        world.second = validated_proposal(
            world.ours, second_enjeu, "Une proposition du second enjeu"
        )
    return world


@pytest.fixture
def w(editions_world):
    """The world, with short names for the proposals of the edition."""
    world = editions_world
    return SimpleNamespace(
        world=world,
        secretariat=world.people["secretariat"],
        ours=world.proposals[S.VALIDATED],
        after=world.after,
        second=world.second,
        theirs=world.their_proposals[S.VALIDATED],
    )


def refs(*proposals) -> list[str]:
    return [p.reference for p in proposals]


def message_texts(response, level) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == level]


def entry(client, edition, proposal, action):
    return client.post(
        reverse(
            "referentiel:entry", kwargs={"pk": edition.pk, "proposal_pk": proposal.pk}
        ),
        {"action": action},
    )


def exclude(w, edition, proposal):
    services.entry_set_included(
        user=w.secretariat, edition=edition, proposal=proposal, included=False
    )


def events(edition, action) -> int:
    return AuditEvent.objects.filter(target_id=edition.pk, action=action).count()


# --- Assembling --------------------------------------------------------------


def test_a_new_edition_holds_every_validated_proposal_in_order(w):
    """Axis by axis, enjeu by enjeu (their positions), then by number: and only
    validated proposals, of every atelier."""
    edition = new_edition(w.world)

    content = edition_content.assemble(edition)

    assert references(content) == refs(w.ours, w.after, w.second, w.theirs)
    assert [axis["number"] for axis in content["axes"]] == [1, 2, 3, 4, 5, 6]
    assert [e["reference"] for e in content["axes"][0]["enjeux"]] == ["1.1", "1.2"]
    assert {p["id"] for p in included(content)} == set(
        Proposal.objects.validated().values_list("pk", flat=True)
    )
    proposal = included(content)[0]
    assert proposal["title"] == w.ours.title
    assert proposal["lead_organisation"] == "OPAC de la Loire"
    assert proposal["territories"] == sorted(t.name for t in w.ours.territories.all())


def test_every_other_status_is_left_out(w):
    content = edition_content.assemble(new_edition(w.world))
    titles = {p["title"] for p in included(content)}

    for status in set(S.values) - {S.VALIDATED}:
        assert w.world.proposals[status].title not in titles
        assert w.world.their_proposals[status].title not in titles


def test_the_content_describes_the_edition_and_the_ateliers(w):
    edition = new_edition(
        w.world,
        title="Séminaire",
        place="Saint-Étienne",
        event_date=datetime.date(2007, 5, 10),
        introduction="Les constats.",
    )

    content = edition_content.assemble(edition)

    assert content["edition"] == {
        "title": "Séminaire",
        "place": "Saint-Étienne",
        "event_date": "2007-05-10",
        "introduction": "Les constats.",
    }
    (atelier,) = [a for a in content["ateliers"] if a["axis_number"] == 1]
    assert atelier["landlord_referent"]["name"] == (
        w.world.people["landlord_referent"].get_full_name()
    )
    assert [m["name"] for m in atelier["members"]] == [
        w.world.people["member"].get_full_name()
    ]
    assert "OPAC de la Loire" in content["organisations"]


def test_creating_an_edition_from_its_page(w, client):
    client.force_login(w.secretariat)

    response = client.post(
        reverse("referentiel:create"),
        {
            "title": "  Référentiel du séminaire  ",
            "place": "Musée d’art moderne",
            "event_date": "2007-05-10",
            "introduction": "Les **constats** préalables.",
        },
    )

    edition = Edition.objects.latest("pk")
    assert (response.status_code, response.url) == (302, edition.get_absolute_url())
    assert edition.title == "Référentiel du séminaire"
    assert edition.event_date == datetime.date(2007, 5, 10)
    assert (edition.status, edition.version, edition.created_by) == (
        "draft",
        1,
        w.secretariat,
    )
    assert events(edition, ReferentielVerb.EDITION_CREATE) == 1
    detail = client.get(edition.get_absolute_url())
    rows = [row for g in detail.context["groups"] for row in g["rows"]]
    assert [row["proposal"] for row in rows] == [w.ours, w.after, w.second, w.theirs]
    assert all(row["included"] for row in rows)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "Séminaire", "event_date": "2007-13-45"}, "event_date"),
        ({"title": "Séminaire", "event_date": "le dix mai"}, "event_date"),
        ({"title": "x" * 256}, "title"),
    ],
)
def test_bad_input_gives_form_errors(w, client, data, field):
    """On creating and on editing: the form again with the error, nothing saved."""
    client.force_login(w.secretariat)
    edition = new_edition(w.world, title="Titre d’origine")
    count = Edition.objects.count()

    created = client.post(reverse("referentiel:create"), data)
    edited = client.post(
        reverse("referentiel:update", kwargs={"pk": edition.pk}),
        {"version": edition.version, **data},
    )

    for response in (created, edited):
        assert response.status_code == 200
        assert list(response.context["form"].errors) == [field]
    assert Edition.objects.count() == count
    edition.refresh_from_db()
    assert (edition.title, edition.version) == ("Titre d’origine", 1)


# --- Leaving out, putting back, reordering -----------------------------------


def test_leaving_a_proposal_out_and_putting_it_back(w, client):
    client.force_login(w.secretariat)
    edition = new_edition(w.world)
    detail = edition.get_absolute_url()

    response = entry(client, edition, w.after, "exclude")

    assert (response.status_code, response.url) == (
        302,
        f"{detail}#proposition-{w.after.pk}",
    )
    assert references(edition_content.assemble(edition)) == refs(
        w.ours, w.second, w.theirs
    )
    page = client.get(detail)
    assert page.context["excluded_count"] == 1
    (row,) = [r for g in page.context["groups"] for r in g["rows"] if not r["included"]]
    assert row["proposal"] == w.after

    entry(client, edition, w.after, "exclude")  # again: nothing more to do
    assert events(edition, ReferentielVerb.EDITION_EXCLUDE) == 1

    entry(client, edition, w.after, "include")
    assert references(edition_content.assemble(edition)) == refs(
        w.ours, w.after, w.second, w.theirs
    )
    assert events(edition, ReferentielVerb.EDITION_INCLUDE) == 1


def test_moving_a_proposal_within_its_enjeu(w, client):
    """Up and down among the proposals of its enjeu only; at either end it stays."""
    client.force_login(w.secretariat)
    edition = new_edition(w.world)

    entry(client, edition, w.after, "up")
    assert references(edition_content.assemble(edition)) == refs(
        w.after, w.ours, w.second, w.theirs
    )

    assert not services.entry_move(
        user=w.secretariat, edition=edition, proposal=w.after, offset=-1
    )
    assert not services.entry_move(
        user=w.secretariat, edition=edition, proposal=w.ours, offset=1
    )
    # Alone in its enjeu: it cannot move into the first one.
    assert not services.entry_move(
        user=w.secretariat, edition=edition, proposal=w.second, offset=-1
    )
    assert references(edition_content.assemble(edition)) == refs(
        w.after, w.ours, w.second, w.theirs
    )

    entry(client, edition, w.after, "down")
    assert references(edition_content.assemble(edition)) == refs(
        w.ours, w.after, w.second, w.theirs
    )
    assert events(edition, ReferentielVerb.EDITION_MOVE) == 2


def test_a_proposal_validated_after_a_move_lands_where_its_number_puts_it(w):
    """Moving swaps two places; the others keep their numbers as places, so a
    proposal validated later lands by its number, not at one end of its enjeu."""
    enjeu = w.second.enjeu
    # Above every number of the atelier: the factory's sequence runs on over
    # the whole process, so the module's world may already hold 205.
    base = w.world.ours.proposals.aggregate(top=Max("number"))["top"] + 100
    x = validated_proposal(w.world.ours, enjeu, "Proposition x", number=base)
    y = validated_proposal(w.world.ours, enjeu, "Proposition y", number=base + 10)
    edition = new_edition(w.world)
    services.entry_move(user=w.secretariat, edition=edition, proposal=y, offset=-1)

    z = validated_proposal(w.world.ours, enjeu, "Proposition z", number=base + 5)

    order = [
        p["reference"]
        for p in included(edition_content.assemble(edition))
        if p["id"] in (x.pk, y.pk, z.pk)
    ]
    assert order == refs(y, z, x)


def test_the_order_of_one_edition_is_not_that_of_another(w):
    moved = new_edition(w.world, title="Réordonnée")
    services.entry_move(user=w.secretariat, edition=moved, proposal=w.after, offset=-1)

    other = new_edition(w.world, title="Autre")

    assert references(edition_content.assemble(moved))[:2] == refs(w.after, w.ours)
    assert references(edition_content.assemble(other))[:2] == refs(w.ours, w.after)


def test_a_proposal_left_out_keeps_its_place_when_put_back(w):
    edition = new_edition(w.world)
    services.entry_move(
        user=w.secretariat, edition=edition, proposal=w.after, offset=-1
    )
    exclude(w, edition, w.after)
    services.entry_set_included(
        user=w.secretariat, edition=edition, proposal=w.after, included=True
    )

    assert references(edition_content.assemble(edition))[:2] == refs(w.after, w.ours)


@pytest.mark.parametrize(
    "action, proposal, status",
    [
        ("jump", "ours", 302),
        ("exclude", "draft", 404),
        ("exclude", "missing", 404),
    ],
)
def test_entry_actions_that_make_no_sense(w, client, action, proposal, status):
    """An unknown action: back with an error; a proposal that is not validated
    (or does not exist): 404. Nothing changes."""
    client.force_login(w.secretariat)
    edition = new_edition(w.world)
    pk = {
        "ours": w.ours.pk,
        "draft": w.world.proposals[S.DRAFT].pk,
        "missing": 987654,
    }[proposal]

    response = client.post(
        reverse("referentiel:entry", kwargs={"pk": edition.pk, "proposal_pk": pk}),
        {"action": action},
    )

    assert response.status_code == status
    if status == 302:
        assert message_texts(response, messages.ERROR) != []
    assert not EditionEntry.objects.filter(edition=edition).exists()


def test_a_proposal_no_longer_validated_cannot_be_moved(w):
    edition = new_edition(w.world)
    Proposal.objects.filter(pk=w.after.pk).update(status=S.WITHDRAWN)

    with pytest.raises(ValidationError):
        services.entry_move(
            user=w.secretariat, edition=edition, proposal=w.after, offset=-1
        )


# --- Publishing --------------------------------------------------------------


def test_publishing_freezes_the_content(w, client):
    client.force_login(w.secretariat)
    edition = new_edition(w.world)
    exclude(w, edition, w.theirs)
    expected = edition_content.assemble(edition)

    response = client.post(
        reverse("referentiel:publish", kwargs={"pk": edition.pk}), CONFIRMED
    )

    assert (response.status_code, response.url) == (302, edition.get_absolute_url())
    edition.refresh_from_db()
    assert edition.status == "published"
    assert edition.snapshot == expected
    assert edition.content_hash == edition_content.content_hash(expected)
    assert edition.published_by == w.secretariat
    assert edition.published_at is not None
    assert edition.version == 2
    # Its PDF is asked for at once, with the day it was published (its colophon).
    assert edition.rendition.content == {
        **expected,
        "published": True,
        "published_on": timezone.localdate(edition.published_at).isoformat(),
    }
    assert edition.rendition.status == Rendition.Status.QUEUED
    assert events(edition, ReferentielVerb.EDITION_PUBLISH) == 1


def test_an_edition_published_at_a_given_moment_prints_that_day(w):
    """The moment given to the service (the demo's 10 May 2007) is the one
    recorded and the one frozen into the document, whatever the day it runs."""
    edition = new_edition(w.world)
    moment = datetime.datetime(2007, 5, 10, 8, 15, tzinfo=datetime.UTC)

    services.edition_publish(user=w.secretariat, edition=edition, published_at=moment)

    edition.refresh_from_db()
    assert edition.published_at == moment
    assert edition.rendition.content["published_on"] == "2007-05-10"
    assert edition_content.document_content(edition)["published_on"] == "2007-05-10"


def test_a_published_edition_is_read_only(w, client):
    """The services refuse every change; the pages refuse the secretariat
    (403) and the publish page says it is already published."""
    edition = publish(w.world, new_edition(w.world))
    snapshot, version = edition.snapshot, edition.version

    with pytest.raises(services.EditionNotDraft):
        services.edition_update(
            user=w.secretariat,
            edition=edition,
            data={
                "title": "Autre",
                "place": "",
                "event_date": None,
                "introduction": "",
            },
            base_version=edition.version,
        )
    with pytest.raises(services.EditionNotDraft):
        exclude(w, edition, w.ours)
    with pytest.raises(services.EditionNotDraft):
        services.entry_move(
            user=w.secretariat, edition=edition, proposal=w.after, offset=-1
        )
    with pytest.raises(services.EditionNotDraft):
        publish(w.world, edition)

    client.force_login(w.secretariat)
    update = reverse("referentiel:update", kwargs={"pk": edition.pk})
    assert client.get(update).status_code == 403
    assert client.post(update, {"title": "Autre", "version": version}).status_code == (
        403
    )
    assert entry(client, edition, w.ours, "exclude").status_code == 403
    response = client.get(reverse("referentiel:publish", kwargs={"pk": edition.pk}))
    assert (response.status_code, response.url) == (302, edition.get_absolute_url())
    assert message_texts(response, messages.INFO) != []

    edition.refresh_from_db()
    assert (edition.snapshot, edition.version) == (snapshot, version)
    assert not edition.entries.exists()


def test_an_edition_without_proposals_cannot_be_published(w, client):
    client.force_login(w.secretariat)
    edition = new_edition(w.world)
    for proposal in (w.ours, w.after, w.second, w.theirs):
        exclude(w, edition, proposal)

    with pytest.raises(ValidationError):
        publish(w.world, edition)
    response = client.post(
        reverse("referentiel:publish", kwargs={"pk": edition.pk}), CONFIRMED
    )

    assert (response.status_code, response.url) == (302, edition.get_absolute_url())
    assert message_texts(response, messages.ERROR) != []
    edition.refresh_from_db()
    assert (edition.status, edition.snapshot, edition.rendition) == (
        "draft",
        None,
        None,
    )
    assert not Rendition.objects.filter(requested_by=w.secretariat).exists()


def test_the_publish_page_says_how_many_proposals_it_will_hold(w, client):
    client.force_login(w.secretariat)
    edition = new_edition(w.world)
    exclude(w, edition, w.second)

    response = client.get(reverse("referentiel:publish", kwargs={"pk": edition.pk}))

    assert response.status_code == 200
    assert response.context["proposal_total"] == 3
    assert Edition.objects.get(pk=edition.pk).is_draft


# --- Starting from another edition -------------------------------------------


def test_starting_from_an_edition_copies_its_choices(w, client):
    """Left out and order are kept; a proposal validated since is included."""
    source = new_edition(w.world, title="Séminaire de mai", place="Firminy")
    services.entry_move(user=w.secretariat, edition=source, proposal=w.after, offset=-1)
    exclude(w, source, w.theirs)
    source = publish(w.world, source)
    submitted = w.world.proposals[S.SUBMITTED]
    atelier_services.proposal_validate(
        proposal=submitted, acting_user=w.world.people["commission"]
    )
    client.force_login(w.secretariat)

    response = client.post(reverse("referentiel:start_from", kwargs={"pk": source.pk}))

    edition = Edition.objects.latest("pk")
    assert (response.status_code, response.url) == (302, edition.get_absolute_url())
    assert (edition.based_on, edition.status, edition.place) == (
        source,
        "draft",
        "Firminy",
    )
    assert source.title in edition.title and edition.title != source.title

    def choices(e):
        return set(e.entries.values_list("proposal_id", "included", "position"))

    assert choices(edition) == choices(source) != set()
    order = references(edition_content.assemble(edition))
    assert order.index(w.after.reference) < order.index(w.ours.reference)
    assert w.theirs.reference not in order
    assert submitted.reference in order
    assert submitted.reference not in references(source.snapshot)
    assert order[-1] == w.second.reference  # the second enjeu of axis 1


# --- Comparing ---------------------------------------------------------------


@pytest.fixture
def two_published(w):
    """May's edition, then September's: ``after`` left out, ``ours`` retitled,
    ``second`` moved to the first enjeu, a submitted proposal validated, the
    introduction rewritten."""
    may = publish(
        w.world,
        new_edition(w.world, title="Mai", event_date=datetime.date(2007, 5, 10)),
    )
    Proposal.objects.filter(pk=w.ours.pk).update(
        title="Un titre précisé", version=w.ours.version + 1
    )
    Proposal.objects.filter(pk=w.second.pk).update(enjeu=w.ours.enjeu)
    added = w.world.proposals[S.SUBMITTED]
    atelier_services.proposal_validate(
        proposal=added, acting_user=w.world.people["commission"]
    )
    september = services.edition_start_from(user=w.secretariat, source=may)
    september = services.edition_update(
        user=w.secretariat,
        edition=september,
        data={
            "title": "Septembre",
            "place": "",
            "event_date": datetime.date(2007, 9, 20),
            "introduction": "Une introduction nouvelle.",
        },
        base_version=september.version,
    )
    exclude(w, september, w.after)
    september = publish(w.world, september)
    return SimpleNamespace(may=may, september=september, added=added)


def test_compare_reports_added_removed_and_modified(w, two_published):
    changes = edition_content.compare(
        two_published.may.snapshot, two_published.september.snapshot
    )

    assert [p["reference"] for p in changes["added"]] == [two_published.added.reference]
    assert [p["reference"] for p in changes["removed"]] == [w.after.reference]
    modified = {p["reference"]: p["changed_fields"] for p in changes["modified"]}
    # A new version number alone is no change; the title is.
    assert modified == {
        w.ours.reference: ["title"],
        w.second.reference: ["enjeu_reference"],
    }
    labels = {p["reference"]: p["changed_labels"] for p in changes["modified"]}
    assert labels[w.second.reference] == [
        str(Proposal._meta.get_field("enjeu").verbose_name)
    ]
    assert changes["introduction_changed"] is True
    assert changes["unchanged"] is False


def test_compare_of_an_edition_with_itself_is_unchanged(w, two_published):
    snapshot = two_published.may.snapshot

    changes = edition_content.compare(snapshot, snapshot)

    assert changes["unchanged"] is True
    assert changes["added"] == changes["removed"] == changes["modified"] == []


def test_the_list_shows_what_changed_between_published_editions(
    w, client, two_published
):
    draft = new_edition(w.world, title="Brouillon d’après")
    client.force_login(w.world.people["member"])

    response = client.get(reverse("referentiel:list"))

    rows = {e.pk: e for e in response.context["editions"]}
    may, september = two_published.may, two_published.september
    assert rows[may.pk].changes is None
    assert rows[september.pk].previous.pk == may.pk
    assert rows[september.pk].changes == edition_content.compare(
        may.snapshot, september.snapshot
    )
    assert not hasattr(rows[draft.pk], "changes")
    compare_url = (
        f"{reverse('referentiel:compare')}?old={may.pk}&amp;new={september.pk}"
    )
    assert compare_url in response.content.decode()


def test_the_compare_page(w, client, two_published):
    client.force_login(w.world.people["partner"])
    may, september = two_published.may, two_published.september

    response = client.get(
        reverse("referentiel:compare"), {"old": may.pk, "new": september.pk}
    )

    assert response.status_code == 200
    assert response.context["changes"] == edition_content.compare(
        may.snapshot, september.snapshot
    )
    html = response.content.decode()
    assert two_published.added.title in html
    assert w.after.title in html


def test_a_draft_can_be_compared_with_what_was_published(w, client, two_published):
    """The working group sees what the next edition will change."""
    draft = services.edition_start_from(
        user=w.secretariat, source=two_published.september
    )
    exclude(w, draft, w.second)
    client.force_login(w.world.people["member"])

    response = client.get(
        reverse("referentiel:compare"),
        {"old": two_published.september.pk, "new": draft.pk},
    )

    removed = response.context["changes"]["removed"]
    assert [p["reference"] for p in removed] == [w.second.reference]


@pytest.mark.parametrize(
    ("role", "query", "field"),
    [
        ("member", lambda e: {"old": e.may.pk, "new": e.may.pk}, "__all__"),
        ("member", lambda e: {"old": e.may.pk, "new": 987654}, "new"),
        ("member", lambda e: {"old": "abc", "new": e.may.pk}, "old"),
        ("member", lambda e: {"new": e.may.pk}, "old"),
        ("partner", lambda e: {"old": e.may.pk, "new": e.draft.pk}, "new"),
    ],
    ids=["same-edition-twice", "missing", "not-a-number", "one-only", "partner-draft"],
)
def test_the_compare_page_refuses_bad_choices(
    w, client, two_published, role, query, field
):
    """A form error on the page, never a 500; nothing compared."""
    two_published.draft = new_edition(w.world, title="Brouillon")
    client.force_login(w.world.people[role])

    response = client.get(reverse("referentiel:compare"), query(two_published))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert response.context["changes"] is None


# --- Editing: conflicts ------------------------------------------------------


def test_a_stale_save_gets_a_conflict_page_that_loses_nothing(w, client):
    """Claire opens the form; Malik saves; Claire saves: 409, her text is in
    the form, Malik's is shown, nothing of hers is saved. Saving again (the form
    now carries the current version) overwrites knowingly."""
    edition = new_edition(w.world, title="Titre initial")
    url = reverse("referentiel:update", kwargs={"pk": edition.pk})
    client.force_login(w.secretariat)
    opened = client.get(url).context["form"]["version"].value()
    services.edition_update(
        user=f.UserFactory(secretariat=True),
        edition=edition,
        data={
            "title": "Titre de Malik",
            "place": "",
            "event_date": None,
            "introduction": "Introduction de Malik",
        },
        base_version=opened,
    )
    mine = {
        "title": "Titre de Claire",
        "place": "Firminy",
        "event_date": "2007-05-10",
        "introduction": "Introduction de Claire",
        "version": opened,
    }

    response = client.post(url, mine)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Introduction de Claire" in html and "Titre de Claire" in html
    assert "Introduction de Malik" in html and "Titre de Malik" in html
    assert response.context["conflict"].title == "Titre de Malik"
    edition.refresh_from_db()
    assert (edition.title, edition.version) == ("Titre de Malik", 2)

    again = client.post(
        url, {**mine, "version": response.context["form"]["version"].value()}
    )

    assert (again.status_code, again.url) == (302, edition.get_absolute_url())
    edition.refresh_from_db()
    assert (edition.title, edition.introduction, edition.version) == (
        "Titre de Claire",
        "Introduction de Claire",
        3,
    )
    assert events(edition, ReferentielVerb.EDITION_CHANGE) == 2


def test_a_save_without_the_version_it_was_opened_at_is_refused(w, client):
    """No version, no guess: the form says to reload, nothing is saved."""
    edition = new_edition(w.world, title="Titre gardé")
    client.force_login(w.secretariat)

    response = client.post(
        reverse("referentiel:update", kwargs={"pk": edition.pk}),
        {"title": "Titre sans version"},
    )

    assert response.status_code == 200
    assert "version" in response.context["form"].errors
    assert "rechargez la page" in response.content.decode()
    edition.refresh_from_db()
    assert (edition.title, edition.version) == ("Titre gardé", 1)


def test_saving_unchanged_fields_changes_nothing(w, client):
    edition = new_edition(w.world, title="Sans changement")
    client.force_login(w.secretariat)

    response = client.post(
        reverse("referentiel:update", kwargs={"pk": edition.pk}),
        {"title": "Sans changement", "version": 1},
    )

    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.version == 1
    assert events(edition, ReferentielVerb.EDITION_CHANGE) == 0


# --- Who reads what ----------------------------------------------------------


def test_a_draft_refused_to_a_partner_reveals_nothing(w, client):
    edition = new_edition(w.world, title="Un brouillon très confidentiel")
    client.force_login(w.world.people["partner"])

    for name in ("detail", "preview", "update"):
        response = client.get(reverse(f"referentiel:{name}", kwargs={"pk": edition.pk}))
        assert response.status_code == 403
        assert edition.title not in response.content.decode()


@pytest.mark.parametrize(
    ("traits", "reads_drafts"),
    [
        ({"partner": True}, False),
        ({"partner": True, "is_commission_delegate": True}, True),
        ({"partner": True, "secretariat": True}, True),
        ({"partner": True, "member": True}, True),
        ({}, True),
        ({"landlord_staff": True}, True),
    ],
    ids=[
        "partner-only",
        "partner-and-delegate",
        "partner-and-secretariat",
        "partner-in-an-atelier",
        "no-role",
        "landlord-staff",
    ],
)
def test_the_working_group_reads_drafts(w, traits, reads_drafts):
    """Partners read published editions only, unless they are also in the
    working group: a commission delegate, the secretariat, an atelier member."""
    traits = dict(traits)
    member = traits.pop("member", False)
    user = f.UserFactory(**traits)
    if member:
        f.AtelierMembershipFactory(atelier=w.world.theirs, user=user)
    draft = new_edition(w.world)
    published = publish(w.world, new_edition(w.world))

    assert user.has_perm("referentiel.view_edition", draft) is reads_drafts
    assert user.has_perm("referentiel.download_edition", draft) is reads_drafts
    assert user.has_perm("referentiel.view_edition", published)
    assert user.has_perm("referentiel.view_edition_list")


def test_the_list_of_a_partner_holds_published_editions_only(w, client):
    draft = new_edition(w.world, title="Brouillon")
    published = publish(w.world, new_edition(w.world, title="Publiée"))
    client.force_login(w.world.people["partner"])

    response = client.get(reverse("referentiel:list"))

    assert [e.pk for e in response.context["editions"]] == [published.pk]
    assert draft.title not in response.content.decode()
    form = response.context["compare_form"]
    assert list(form.fields["new"].queryset) == [published]


def test_the_draft_preview_follows_the_validated_proposals(w, client):
    edition = new_edition(w.world)
    exclude(w, edition, w.second)
    client.force_login(w.world.people["plain"])

    html = client.get(
        reverse("referentiel:preview", kwargs={"pk": edition.pk})
    ).content.decode()

    for proposal in (w.ours, w.after, w.theirs):
        assert f'id="proposition-{proposal.pk}"' in html
    assert f'id="proposition-{w.second.pk}"' not in html
    for status in set(S.values) - {S.VALIDATED}:
        assert w.world.proposals[status].title not in html
    assert reverse("referentiel:detail", kwargs={"pk": edition.pk}) in html


def test_enjeux_are_ordered_by_their_position(w):
    """Reordering the enjeux of an axis reorders the edition."""
    first, second = w.world.enjeux[w.world.ours.pk]
    Enjeu.objects.filter(pk=first.pk).update(position=3)

    content = edition_content.assemble(new_edition(w.world))

    assert [e["title"] for e in content["axes"][0]["enjeux"]] == [
        second.title,
        first.title,
    ]
    assert references(content)[0] == w.second.reference


def test_the_draft_page_says_whether_its_pdf_is_current(w, client):
    """The PDF asked for is of the content at that moment: once a proposal is
    left out, the page knows the PDF no longer matches."""
    edition = new_edition(w.world)
    client.force_login(w.secretariat)
    assert client.get(edition.get_absolute_url()).context["pdf_is_current"] is False

    services.edition_export(user=w.secretariat, edition=edition)
    assert client.get(edition.get_absolute_url()).context["pdf_is_current"] is True

    exclude(w, edition, w.second)
    assert client.get(edition.get_absolute_url()).context["pdf_is_current"] is False
