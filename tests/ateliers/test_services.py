"""The writes of the atelier workspace (ateliers/services.py): numbering,
versions and revisions, the optimistic check against lost edits, status
transitions, membership and enjeux."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ateliers import services
from ateliers.models import (
    Atelier,
    AtelierMembership,
    Proposal,
    ProposalComment,
    ProposalRevision,
    Session,
)
from ateliers.verbs import AteliersVerb
from audit.models import AuditEvent
from axes.models import Enjeu
from cucs_portal.records import EditConflict
from people.models import Organisation, Territory
from tests import factories as f

S = Proposal.Status
pytestmark = pytest.mark.django_db


def atelier_of_axis(number: int) -> Atelier:
    """An atelier of the world without proposals (axes 3 to 6)."""
    return Atelier.objects.select_related("axis").get(axis__number=number)


def content(atelier, **overrides) -> dict:
    """What the proposal form hands to the services (its cleaned_data)."""
    enjeu = overrides.pop("enjeu", None) or f.EnjeuFactory(
        axis=atelier.axis, title="Associer les amicales de locataires"
    )
    return {
        "title": "Des diagnostics en marchant avec les locataires",
        "summary": "Parcourir les résidences avec les locataires.",
        "description": "Une marche par trimestre.",
        "actions": "- repérer\n- signaler",
        "timetable": "2007–2008",
        "means": "Temps de gardien.",
        "enjeu": enjeu,
        "lead_organisation": Organisation.objects.get(short_name="SEM"),
        "partner_organisations": Organisation.objects.filter(
            short_name__in=["DDE", "Région"]
        ),
        "territories": Territory.objects.filter(slug__in=["gier", "grand-pont"]),
        "indicators": "Nombre de marches.",
        "priority": Proposal.Priority.HIGH,
        **overrides,
    }


def database_copy(proposal) -> tuple:
    proposal = Proposal.objects.get(pk=proposal.pk)
    return (
        proposal.title,
        proposal.status,
        proposal.version,
        sorted(proposal.partner_organisations.values_list("pk", flat=True)),
        proposal.revisions.count(),
    )


@pytest.fixture
def author(world):
    return world.people["member"]


@pytest.fixture
def draft(world, author):
    """A draft of atelier 3 created through the service: version 1, one revision."""
    atelier = atelier_of_axis(3)
    return services.proposal_create(
        atelier=atelier, author=author, data=content(atelier)
    )


class TestProposalCreate:
    def test_proposals_are_numbered_from_1_within_their_atelier(self, world, author):
        """Each atelier numbers its proposals 1, 2, 3…, independently of the
        others."""
        third, fourth = atelier_of_axis(3), atelier_of_axis(4)
        enjeu_3 = f.EnjeuFactory(axis=third.axis)
        enjeu_4 = f.EnjeuFactory(axis=fourth.axis)

        numbers = [
            services.proposal_create(
                atelier=atelier,
                author=author,
                data=content(atelier, enjeu=enjeu, title=f"Proposition {i}"),
            ).number
            for i, (atelier, enjeu) in enumerate(
                [
                    (third, enjeu_3),
                    (third, enjeu_3),
                    (fourth, enjeu_4),
                    (third, enjeu_3),
                ]
            )
        ]

        assert numbers == [1, 2, 1, 3]

    def test_numbering_continues_after_the_highest_number(self, world, author):
        """A gap (a deleted proposal) is not reused: the next is highest + 1."""
        atelier = atelier_of_axis(5)
        enjeu = f.EnjeuFactory(axis=atelier.axis)
        f.ProposalFactory(atelier=atelier, enjeu=enjeu, number=7)

        proposal = services.proposal_create(
            atelier=atelier, author=author, data=content(atelier, enjeu=enjeu)
        )

        assert proposal.number == 8

    def test_a_new_proposal_is_a_draft_at_version_1_by_its_author(self, draft, author):
        """The author is recorded as creator and first author; the status and
        the version are the service's, whatever the data says."""
        draft.refresh_from_db()

        assert (draft.status, draft.version, draft.created_by) == (S.DRAFT, 1, author)
        assert list(draft.authors.all()) == [author]
        assert sorted(
            draft.partner_organisations.values_list("short_name", flat=True)
        ) == [
            "DDE",
            "Région",
        ]

    def test_revision_1_records_every_field_as_people_read_it(self, draft, author):
        """The first revision holds every tracked field as people read it
        (names, a territory with what it is part of), the ids that tell two
        same-named objects apart, and lists every field as changed."""
        revision = draft.revisions.get()

        assert (revision.version, revision.author) == (1, author)
        assert revision.changed_fields == list(services.TRACKED_FIELDS)
        assert set(revision.snapshot) == {*services.TRACKED_FIELDS, "_ids"}
        assert revision.snapshot["title"] == draft.title
        assert revision.snapshot["actions"] == "- repérer\n- signaler"
        assert (
            revision.snapshot["enjeu"] == draft.enjeu.title
        )  # no number: reordering is no change
        assert revision.snapshot["lead_organisation"] == "SEM"
        assert revision.snapshot["partner_organisations"] == ["DDE", "Région"]
        assert revision.snapshot["territories"] == sorted(
            f"{t.name} ({t.parent.name})" if t.parent else t.name
            for t in draft.territories.all()
        )
        assert "Gier" in revision.snapshot["territories"]
        assert revision.snapshot["_ids"]["territories"] == sorted(
            draft.territories.values_list("pk", flat=True)
        )
        assert revision.snapshot["priority"] == "high"
        assert revision.snapshot["status"] == "draft"

    def test_an_enjeu_of_another_axis_is_refused(self, world, author):
        """A proposal answers an enjeu of its own atelier's axis."""
        atelier = atelier_of_axis(3)
        before = Proposal.objects.count()

        with pytest.raises(ValidationError) as refused:
            services.proposal_create(
                atelier=atelier,
                author=author,
                data=content(atelier, enjeu=world.enjeux[world.ours.pk][0]),
            )

        assert "enjeu" in refused.value.message_dict
        assert Proposal.objects.count() == before


class TestProposalUpdate:
    def test_a_change_bumps_the_version_and_records_what_changed(self, draft, world):
        """Version 2 lists exactly the fields that changed, by whom."""
        editor = world.people["landlord_referent"]

        updated = services.proposal_update(
            proposal=draft,
            editor=editor,
            data={"title": "Un titre plus clair", "priority": Proposal.Priority.LOW},
            base_version=1,
        )

        latest = updated.revisions.get(version=2)
        assert updated.version == Proposal.objects.get(pk=draft.pk).version == 2
        assert (latest.author, latest.changed_fields) == (editor, ["title", "priority"])
        assert latest.snapshot["title"] == "Un titre plus clair"
        assert editor in updated.authors.all()

    def test_the_older_revision_is_kept_as_it_was(self, draft, world):
        """Saving again adds a revision; revision 1 still reads the first text."""
        services.proposal_update(
            proposal=draft,
            editor=world.people["member"],
            data={"title": "Un titre plus clair"},
            base_version=1,
        )

        first = draft.revisions.get(version=1)
        assert list(draft.revisions.values_list("version", flat=True)) == [2, 1]
        assert first.snapshot["title"] == draft.title

    def test_lists_count_as_changes(self, draft, world):
        """Removing a partner organisation is a change of that field."""
        updated = services.proposal_update(
            proposal=draft,
            editor=world.people["member"],
            data={
                "partner_organisations": Organisation.objects.filter(short_name="DDE")
            },
            base_version=1,
        )

        assert updated.revisions.get(version=2).changed_fields == [
            "partner_organisations"
        ]
        assert updated.revisions.get(version=2).snapshot["partner_organisations"] == [
            "DDE"
        ]

    def test_an_unchanged_save_neither_bumps_the_version_nor_adds_a_revision(
        self, draft, world
    ):
        """Saving the form as it was opened leaves the history alone."""
        atelier = draft.atelier
        data = content(atelier, enjeu=draft.enjeu)

        updated = services.proposal_update(
            proposal=draft, editor=world.people["member"], data=data, base_version=1
        )

        assert updated.version == Proposal.objects.get(pk=draft.pk).version == 1
        assert draft.revisions.count() == 1

    @pytest.mark.parametrize(
        "base_version",
        [
            pytest.param(1, id="the-version-opened-before-the-other-save"),
            pytest.param(0, id="forged-lower"),
            pytest.param(99, id="forged-higher"),
        ],
    )
    def test_a_stale_base_version_raises_edit_conflict_and_changes_nothing(
        self, draft, world, base_version
    ):
        """Someone who opened another version than the current one cannot
        overwrite it: nothing is saved, and the conflict carries the current
        proposal."""
        services.proposal_update(
            proposal=draft,
            editor=world.people["landlord_referent"],
            data={"title": "Version de Camille"},
            base_version=1,
        )
        before = database_copy(draft)

        with pytest.raises(EditConflict) as conflict:
            services.proposal_update(
                proposal=draft,
                editor=world.people["member"],
                data={
                    "title": "Version de Dominique",
                    "partner_organisations": Organisation.objects.none(),
                },
                base_version=base_version,
            )

        assert conflict.value.current.version == 2
        assert conflict.value.current.title == "Version de Camille"
        assert conflict.value.base_version == base_version
        assert database_copy(draft) == before

    @pytest.mark.parametrize(
        "status", [S.SUBMITTED, S.VALIDATED, S.REJECTED, S.WITHDRAWN]
    )
    def test_a_frozen_proposal_cannot_be_edited(self, world, status):
        """Only drafts and proposals sent back for changes are edited."""
        proposal = world.proposals[status]
        before = database_copy(proposal)

        with pytest.raises(services.TransitionNotAllowed):
            services.proposal_update(
                proposal=proposal,
                editor=world.people["superuser"],
                data={"title": "Réécrite après coup"},
                base_version=proposal.version,
            )

        assert database_copy(proposal) == before

    def test_a_proposal_sent_back_for_changes_is_edited(self, world):
        """The commission asked for changes: the atelier edits it again."""
        proposal = world.proposals[S.CHANGES_REQUESTED]

        updated = services.proposal_update(
            proposal=proposal,
            editor=world.people["member"],
            data={"title": "Corrigée selon l’avis de la commission"},
            base_version=proposal.version,
        )

        assert updated.version == proposal.version + 1
        assert updated.status == S.CHANGES_REQUESTED


TRANSITIONS = {
    # service, the statuses it starts from, the status it leads to
    "submit": (services.proposal_submit, {S.DRAFT, S.CHANGES_REQUESTED}, S.SUBMITTED),
    "withdraw": (services.proposal_withdraw, {S.DRAFT}, S.WITHDRAWN),
}


@pytest.mark.parametrize("status", S.values)
@pytest.mark.parametrize("action", TRANSITIONS)
def test_transitions(world, action, status):
    """A draft or a proposal sent back is submitted; only a draft is withdrawn.
    Each transition bumps the version and records a revision in which the
    status changed; from any other status it raises TransitionNotAllowed and
    changes nothing."""
    service, allowed_from, to = TRANSITIONS[action]
    proposal = world.proposals[status]
    acting_user = world.people["landlord_referent"]
    before = database_copy(proposal)

    if status not in allowed_from:
        with pytest.raises(services.TransitionNotAllowed) as refused:
            service(proposal=proposal, acting_user=acting_user)
        assert (refused.value.status, refused.value.action) == (status, action)
        assert refused.value.message  # a sentence for the person, in French
        assert database_copy(proposal) == before
        return

    done = service(proposal=proposal, acting_user=acting_user)

    saved = Proposal.objects.get(pk=proposal.pk)
    revision = saved.revisions.get()
    assert (saved.status, saved.version) == (to, proposal.version + 1)
    assert saved.status_changed_at is not None
    assert done.status == to
    assert (revision.version, revision.author) == (saved.version, acting_user)
    assert revision.changed_fields == ["status"]
    assert revision.snapshot["status"] == to


def test_a_submitted_draft_keeps_its_whole_history(draft, world):
    """Create, edit, submit: three revisions, the last one submitted."""
    services.proposal_update(
        proposal=draft,
        editor=world.people["member"],
        data={"title": "Plus clair"},
        base_version=1,
    )

    services.proposal_submit(
        proposal=draft, acting_user=world.people["public_coanimator"]
    )

    assert list(
        ProposalRevision.objects.filter(proposal=draft).values_list(
            "version", "snapshot__status"
        )
    ) == [(3, "submitted"), (2, "draft"), (1, "draft")]


class TestProposalComment:
    def test_a_comment_is_saved_trimmed(self, world):
        """Surrounding blank lines are not kept."""
        proposal = world.proposals[S.SUBMITTED]

        comment = services.proposal_comment(
            proposal=proposal,
            author=world.people["commission"],
            body="\n  D’accord.  \n",
        )

        assert ProposalComment.objects.get(pk=comment.pk).body == "D’accord."

    @pytest.mark.parametrize("body", ["", "   \n  "])
    def test_an_empty_comment_is_refused(self, world, body):
        """A comment says something."""
        with pytest.raises(ValidationError):
            services.proposal_comment(
                proposal=world.proposals[S.DRAFT],
                author=world.people["member"],
                body=body,
            )

        assert not ProposalComment.objects.exists()


class TestEnjeux:
    @pytest.fixture
    def enjeux(self, world):
        """Three enjeux of axis 6, at positions 1, 2, 3."""
        axis = atelier_of_axis(6).axis
        return [
            f.EnjeuFactory(axis=axis, position=n, title=f"Enjeu {n}") for n in (1, 2, 3)
        ]

    def order(self, enjeux):
        axis = enjeux[0].axis
        return list(
            Enjeu.objects.filter(axis=axis)
            .order_by("position")
            .values_list("title", flat=True)
        )

    def test_moving_up_swaps_with_the_enjeu_above(self, enjeux, world):
        """Enjeu 3 moved up takes position 2; enjeu 2 takes position 3."""
        services.enjeu_move(
            enjeu=enjeux[2], offset=-1, acting_user=world.people["landlord_referent"]
        )

        assert self.order(enjeux) == ["Enjeu 1", "Enjeu 3", "Enjeu 2"]
        assert sorted(
            Enjeu.objects.filter(axis=enjeux[0].axis).values_list("position", flat=True)
        ) == [1, 2, 3]

    def test_moving_down_swaps_with_the_enjeu_below(self, enjeux, world):
        """Enjeu 1 moved down takes position 2."""
        moved = services.enjeu_move(
            enjeu=enjeux[0], offset=1, acting_user=world.people["landlord_referent"]
        )

        assert moved.position == 2
        assert self.order(enjeux) == ["Enjeu 2", "Enjeu 1", "Enjeu 3"]

    @pytest.mark.parametrize(("index", "offset"), [(0, -1), (2, 1)])
    def test_the_first_does_not_move_up_nor_the_last_down(
        self, enjeux, world, index, offset
    ):
        """At either end the order stays as it is, without touching the unique
        position of any enjeu."""
        services.enjeu_move(
            enjeu=enjeux[index],
            offset=offset,
            acting_user=world.people["landlord_referent"],
        )

        assert self.order(enjeux) == ["Enjeu 1", "Enjeu 2", "Enjeu 3"]

    def test_moves_can_follow_one_another(self, enjeux, world):
        """Moving the last to the top in two steps keeps positions 1, 2, 3."""
        user = world.people["landlord_referent"]

        services.enjeu_move(enjeu=enjeux[2], offset=-1, acting_user=user)
        services.enjeu_move(enjeu=enjeux[2], offset=-1, acting_user=user)

        assert self.order(enjeux) == ["Enjeu 3", "Enjeu 1", "Enjeu 2"]
        assert list(
            Enjeu.objects.filter(axis=enjeux[0].axis)
            .order_by("position")
            .values_list("position", flat=True)
        ) == [1, 2, 3]

    def test_a_new_enjeu_comes_last(self, enjeux, world):
        """Enjeux are numbered in the order they are added."""
        enjeu = services.enjeu_create(
            axis=enjeux[0].axis,
            title="Un quatrième enjeu",
            description="",
            acting_user=world.people["secretariat"],
        )

        assert enjeu.position == 4


class TestMembership:
    def test_a_landlord_employee_joins_as_a_volunteer_today(self, world):
        """The new membership is a volunteer's, dated today."""
        person = f.UserFactory(landlord_staff=True)

        membership = services.membership_add(
            atelier=world.ours, user=person, acting_user=world.people["secretariat"]
        )

        assert membership.role == AtelierMembership.Role.MEMBER
        assert membership.joined_on == timezone.localdate()
        assert world.ours.memberships.filter(user=person).exists()

    @pytest.mark.parametrize(
        "traits",
        [
            pytest.param({}, id="no-organisation"),
            pytest.param({"public_staff": True}, id="public-body"),
            pytest.param({"partner": True}, id="partner"),
        ],
    )
    def test_only_landlord_staff_are_volunteers(self, world, traits):
        """Volunteers work for a social landlord; anyone else is refused with a
        sentence the co-animator can read."""
        person = f.UserFactory(**traits)

        with pytest.raises(services.MembershipNotAllowed) as refused:
            services.membership_add(
                atelier=world.ours, user=person, acting_user=world.people["secretariat"]
            )

        assert refused.value.message
        assert not AtelierMembership.objects.filter(user=person).exists()

    @pytest.mark.parametrize(
        "role", ["member", "landlord_referent", "public_coanimator"]
    )
    def test_someone_already_in_the_atelier_is_refused(self, world, role):
        """A volunteer or a co-animator is not added a second time."""
        person = world.people[role]
        before = AtelierMembership.objects.filter(atelier=world.ours).count()

        with pytest.raises(services.MembershipNotAllowed):
            services.membership_add(
                atelier=world.ours, user=person, acting_user=world.people["secretariat"]
            )

        assert AtelierMembership.objects.filter(atelier=world.ours).count() == before

    def test_the_volunteer_of_another_atelier_may_join_this_one_too(self, world):
        """Belonging to one atelier does not prevent joining another."""
        membership = services.membership_add(
            atelier=world.ours,
            user=world.people["other_member"],
            acting_user=world.people["landlord_referent"],
        )

        assert membership.pk

    def test_a_volunteer_is_removed(self, world):
        """Removing a volunteer deletes their membership only."""
        membership = AtelierMembership.objects.get(
            atelier=world.ours, user=world.people["member"]
        )

        services.membership_remove(
            membership=membership, acting_user=world.people["landlord_referent"]
        )

        assert not AtelierMembership.objects.filter(pk=membership.pk).exists()
        assert AtelierMembership.objects.filter(atelier=world.ours).count() == 2

    @pytest.mark.parametrize("role", ["landlord_referent", "public_coanimator"])
    def test_a_co_animator_is_not_removed_here(self, world, role):
        """Co-animators are changed by the secretariat, not through this page."""
        membership = AtelierMembership.objects.get(
            atelier=world.ours, user=world.people[role]
        )

        with pytest.raises(services.MembershipNotAllowed) as refused:
            services.membership_remove(
                membership=membership, acting_user=world.people["secretariat"]
            )

        assert refused.value.message
        assert AtelierMembership.objects.filter(pk=membership.pk).exists()

    def test_volunteer_count_counts_volunteers_only(self, world):
        """The recommended size (3–4) is about volunteers, not co-animators."""
        assert services.volunteer_count(world.ours) == 1


class TestRunningTheAtelierIsAudited:
    """Who changed the atelier's people, sessions and enjeux, and when, is in
    the journal like the proposals' and the commission's changes."""

    @staticmethod
    def events(target, action):
        return list(AuditEvent.for_object(target).filter(action=action))

    def test_members_joining_and_leaving(self, world):
        coanimator = world.people["landlord_referent"]
        person = f.UserFactory(landlord_staff=True)

        membership = services.membership_add(
            atelier=world.ours, user=person, acting_user=coanimator
        )
        services.membership_remove(membership=membership, acting_user=coanimator)

        added = self.events(world.ours, AteliersVerb.MEMBER_ADD)
        removed = self.events(world.ours, AteliersVerb.MEMBER_REMOVE)
        assert [(e.actor, e.comment) for e in added] == [(coanimator, str(person))]
        assert [(e.actor, e.comment) for e in removed] == [(coanimator, str(person))]

    def test_sessions_planned_changed_and_recorded(self, world):
        coanimator = world.people["landlord_referent"]
        session = Session(
            atelier=world.ours,
            starts_at=timezone.now(),
            place="Mairie de Firminy",
        )

        services.session_save(session=session, acting_user=coanimator)
        session.place = "Centre social"
        services.session_save(session=session, acting_user=coanimator)
        services.session_save(
            session=session,
            acting_user=coanimator,
            attendees=[world.people["member"]],
        )

        actions = [
            e.action
            for e in AuditEvent.for_object(world.ours).order_by("created_at", "pk")
            if e.action.startswith("session")
        ]
        assert actions == ["session_plan", "session_change", "session_record"]
        assert list(session.attendees.all()) == [world.people["member"]]

    def test_enjeux_added_reworded_and_moved(self, world):
        coanimator = world.people["landlord_referent"]
        axis = world.ours.axis
        enjeu = services.enjeu_create(
            axis=axis, title="Nouvel enjeu", description="", acting_user=coanimator
        )
        services.enjeu_update(
            enjeu=enjeu, title="Enjeu reformulé", description="", acting_user=coanimator
        )
        services.enjeu_move(enjeu=enjeu, offset=-1, acting_user=coanimator)

        comments = {
            e.action: e.comment
            for e in AuditEvent.for_object(axis)
            if "enjeu" in e.action
        }
        assert comments["enjeu_add"] == "Nouvel enjeu"
        assert comments["enjeu_change"] == "Nouvel enjeu → Enjeu reformulé"
        assert comments["enjeu_move"].startswith("Enjeu reformulé (")
