"""Two people saving at the same moment, for real: two threads, two database
connections, committed transactions. Row locks (select_for_update) are what
serialises them, so this runs on PostgreSQL only."""

import threading
import time

import pytest
from django.db import connection, connections

from ateliers import services
from ateliers.models import Proposal, ProposalRevision
from axes.models import Axis
from tests import factories as f
from tests.world import load_reference_fixtures

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite locks the whole database for each writer and has no row "
    "locks: select_for_update is a no-op there, so concurrent saves are only "
    "meaningful on PostgreSQL (run with DATABASE_URL=postgres://…).",
)


@pytest.fixture
def atelier(transactional_db):
    load_reference_fixtures()
    return f.AtelierFactory(axis=Axis.objects.get(number=1))


@pytest.fixture
def people(atelier):
    return [
        f.AtelierMembershipFactory(atelier=atelier).user,
        f.AtelierMembershipFactory(atelier=atelier, landlord_referent=True).user,
    ]


def at_the_same_moment(*calls):
    """Runs each call in its own thread and connection, released together;
    returns, per call, ("ok", value, start, end) or ("error", exception, …)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            start = time.monotonic()
            try:
                value = call()
            except Exception as exc:  # reported to the test below
                results[index] = ("error", exc, start, time.monotonic())
            else:
                results[index] = ("ok", value, start, time.monotonic())
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert all(not thread.is_alive() for thread in threads)
    return results


def slowed(monkeypatch, name, seconds=0.3):
    """Makes services.<name> take ``seconds`` longer, so that the first thread
    still holds its lock when the second one asks for it."""
    original = getattr(services, name)

    def slow(*args, **kwargs):
        time.sleep(seconds)
        return original(*args, **kwargs)

    monkeypatch.setattr(services, name, slow)


def test_two_saves_from_the_same_version_one_wins_the_other_conflicts(
    atelier, people, monkeypatch
):
    """Two people save their edit of version 1 at the same moment: exactly one
    is saved, the other gets EditConflict, and exactly one revision is added."""
    enjeu = f.EnjeuFactory(axis=atelier.axis, position=1)
    proposal = services.proposal_create(
        atelier=atelier,
        author=people[0],
        data={"title": "Version 1", "summary": "Résumé.", "enjeu": enjeu},
    )
    slowed(monkeypatch, "apply_fields")

    def save(person, title):
        return lambda: services.proposal_update(
            proposal=Proposal.objects.get(pk=proposal.pk),
            editor=person,
            data={"title": title},
            base_version=1,
        )

    results = at_the_same_moment(
        save(people[0], "Titre de Camille"), save(people[1], "Titre de Dominique")
    )

    outcomes = sorted(
        (kind, type(value).__name__) for kind, value, _start, _end in results
    )
    assert outcomes == [("error", "EditConflict"), ("ok", "Proposal")]
    (winner,) = [value for kind, value, *_ in results if kind == "ok"]
    (loser,) = [value for kind, value, *_ in results if kind == "error"]
    (_, _, _, winner_end) = next(r for r in results if r[0] == "ok")
    (_, _, loser_start, _) = next(r for r in results if r[0] == "error")
    assert loser_start < winner_end, "the two saves did not overlap"
    assert loser.current.version == 2
    saved = Proposal.objects.get(pk=proposal.pk)
    assert (saved.version, saved.title) == (2, winner.title)
    assert ProposalRevision.objects.filter(proposal=proposal).count() == 2


def test_two_proposals_created_at_the_same_moment_get_two_numbers(
    atelier, people, monkeypatch
):
    """Two drafts started together in one atelier are numbered 1 and 2, never
    twice the same number."""
    enjeu = f.EnjeuFactory(axis=atelier.axis, position=1)
    slowed(monkeypatch, "apply_fields")

    def create(person, title):
        return lambda: (
            services.proposal_create(
                atelier=atelier,
                author=person,
                data={"title": title, "summary": "Résumé.", "enjeu": enjeu},
            ).number
        )

    results = at_the_same_moment(
        create(people[0], "Première"), create(people[1], "Seconde")
    )

    assert sorted((kind, value) for kind, value, *_ in results) == [
        ("ok", 1),
        ("ok", 2),
    ]


def test_two_people_accepting_one_suggestion_make_one_version(
    atelier, people, monkeypatch
):
    """Two members of the atelier accept the same suggestion at the same moment:
    one makes the new version, the other finds it already accepted (the rows
    are locked), and exactly one revision is added."""
    from ateliers.models import ProposalSuggestion

    enjeu = f.EnjeuFactory(axis=atelier.axis, position=1)
    proposal = f.ProposalFactory(
        atelier=atelier,
        enjeu=enjeu,
        status=Proposal.Status.CHANGES_REQUESTED,
        summary="Une marche par trimestre.",
    )
    suggestion = ProposalSuggestion.objects.create(
        proposal=proposal,
        field="summary",
        base_version=proposal.version,
        base_text=proposal.summary,
        text="Une marche par mois.",
        comment="Plus souvent.",
        author=f.UserFactory(commission=True),
    )
    slowed(monkeypatch, "suggestion_result")

    def accept(person):
        return lambda: services.suggestion_accept(
            suggestion=ProposalSuggestion.objects.get(pk=suggestion.pk),
            acting_user=person,
        )

    results = at_the_same_moment(accept(people[0]), accept(people[1]))

    outcomes = sorted(
        (kind, type(value).__name__) for kind, value, _start, _end in results
    )
    assert outcomes == [
        ("error", "SuggestionAlreadyDecided"),
        ("ok", "ProposalSuggestion"),
    ]
    saved = Proposal.objects.get(pk=proposal.pk)
    assert (saved.version, saved.summary) == (
        proposal.version + 1,
        "Une marche par mois.",
    )
    assert ProposalRevision.objects.filter(proposal=proposal).count() == 1
