"""Ateliers, memberships and proposals: what the database and clean() refuse."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ateliers.models import Atelier, AtelierMembership, Proposal
from tests import factories as f


def refused_by_the_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def field_errors(instance) -> dict:
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    return refused.value.message_dict


class TestAtelier:
    def test_an_axis_has_one_atelier(self, db):
        """A second atelier on the same axis is refused."""
        atelier = f.AtelierFactory()

        refused_by_the_database(
            lambda: Atelier.objects.create(
                axis=atelier.axis,
                name="Doublon",
                period_start=datetime.date(2007, 2, 1),
                period_end=datetime.date(2007, 4, 30),
            )
        )

    def test_the_period_ends_after_it_starts(self, db):
        """An atelier cannot end before it starts."""
        refused_by_the_database(
            lambda: f.AtelierFactory(
                period_start=datetime.date(2007, 4, 30),
                period_end=datetime.date(2007, 2, 1),
            )
        )

    def test_a_one_day_atelier_is_allowed(self, db):
        """Start and end may be the same day."""
        day = datetime.date(2007, 3, 1)

        atelier = f.AtelierFactory(period_start=day, period_end=day)

        assert atelier.pk


class TestMembership:
    def test_an_atelier_has_one_landlord_referent(self, db):
        """A second landlord referent in the same atelier is refused."""
        referent = f.AtelierMembershipFactory(landlord_referent=True)

        refused_by_the_database(
            lambda: f.AtelierMembershipFactory(
                atelier=referent.atelier, landlord_referent=True
            )
        )

    def test_an_atelier_has_one_public_coanimator(self, db):
        """A second commune or SEM co-animator in the same atelier is refused."""
        coanimator = f.AtelierMembershipFactory(public_coanimator=True)

        refused_by_the_database(
            lambda: f.AtelierMembershipFactory(
                atelier=coanimator.atelier, public_coanimator=True
            )
        )

    def test_an_atelier_has_many_volunteers(self, db):
        """Several volunteer members may join the same atelier."""
        atelier = f.AtelierFactory()

        f.AtelierMembershipFactory.create_batch(4, atelier=atelier)

        assert atelier.memberships.count() == 4

    def test_a_person_holds_one_role_in_an_atelier(self, db):
        """The same person cannot join an atelier twice, even in another role."""
        member = f.AtelierMembershipFactory()

        refused_by_the_database(
            lambda: f.AtelierMembershipFactory(
                atelier=member.atelier, user=member.user, landlord_referent=True
            )
        )

    def test_a_person_may_join_several_ateliers(self, db):
        """Membership is per atelier."""
        member = f.AtelierMembershipFactory(atelier__axis=f.AxisFactory(number=1))

        f.AtelierMembershipFactory(
            atelier__axis=f.AxisFactory(number=2), user=member.user
        )

        assert member.user.atelier_memberships.count() == 2

    def test_an_unknown_role_is_refused(self, db):
        """Roles are member, landlord referent and public co-animator."""
        refused_by_the_database(lambda: f.AtelierMembershipFactory(role="observer"))

    @pytest.mark.parametrize(
        ("role", "organisation"),
        [
            pytest.param("member", None, id="volunteer-without-organisation"),
            pytest.param("member", {"agglomeration": True}, id="volunteer-from-sem"),
            pytest.param("member", {"state": True}, id="volunteer-from-the-state"),
            pytest.param(
                "landlord_referent", {"commune": True}, id="referent-from-a-commune"
            ),
            pytest.param("public_coanimator", {}, id="public-coanimator-landlord"),
            pytest.param(
                "public_coanimator", {"state": True}, id="public-coanimator-state"
            ),
            pytest.param("public_coanimator", None, id="public-coanimator-alone"),
        ],
    )
    def test_a_role_goes_with_a_kind_of_organisation(self, db, role, organisation):
        """Volunteers and the referent work for a landlord; the other co-animator
        for a commune or Saint-Étienne Métropole."""
        user = f.UserFactory(
            organisation=(
                None if organisation is None else f.OrganisationFactory(**organisation)
            )
        )
        membership = AtelierMembership(atelier=f.AtelierFactory(), user=user, role=role)

        assert "user" in field_errors(membership)

    @pytest.mark.parametrize(
        ("role", "organisation"),
        [
            pytest.param("member", {}, id="volunteer-from-a-landlord"),
            pytest.param("landlord_referent", {}, id="referent-from-a-landlord"),
            pytest.param("public_coanimator", {"commune": True}, id="commune"),
            pytest.param("public_coanimator", {"agglomeration": True}, id="sem"),
        ],
    )
    def test_the_expected_organisation_is_valid(self, db, role, organisation):
        """Each role with its kind of organisation passes clean()."""
        user = f.UserFactory(organisation=f.OrganisationFactory(**organisation))

        AtelierMembership(atelier=f.AtelierFactory(), user=user, role=role).full_clean()


class TestProposal:
    @pytest.mark.parametrize(
        "fields",
        [
            pytest.param({"status": "archived"}, id="unknown-status"),
            pytest.param({"priority": "urgent"}, id="unknown-priority"),
            pytest.param({"title": ""}, id="empty-title"),
            pytest.param({"version": 0}, id="version-0"),
            pytest.param({"number": 0}, id="number-0"),
        ],
    )
    def test_the_database_refuses_an_invalid_value(self, db, fields):
        """Status, priority, title, version and number are checked by the
        database, whatever code writes them."""
        refused_by_the_database(lambda: f.ProposalFactory(**fields))

    def test_a_number_is_used_once_per_atelier(self, db):
        """Two proposals of one atelier cannot share a number."""
        proposal = f.ProposalFactory(number=7)

        refused_by_the_database(
            lambda: f.ProposalFactory(
                atelier=proposal.atelier, enjeu=proposal.enjeu, number=7
            )
        )

    def test_two_ateliers_may_use_the_same_number(self, db):
        """Numbers are per atelier."""
        f.ProposalFactory(atelier__axis=f.AxisFactory(number=1), number=1)
        f.ProposalFactory(atelier__axis=f.AxisFactory(number=2), number=1)

        assert Proposal.objects.filter(number=1).count() == 2

    def test_the_enjeu_belongs_to_the_axis_of_the_atelier(self, db):
        """An enjeu of another axis is refused by clean()."""
        proposal = f.ProposalFactory.build(
            atelier=f.AtelierFactory(axis=f.AxisFactory(number=1)),
            enjeu=f.EnjeuFactory(axis=f.AxisFactory(number=2)),
            created_by=f.UserFactory(),
        )

        assert "enjeu" in field_errors(proposal)

    def test_an_enjeu_of_the_atelier_axis_is_valid(self, db):
        """A proposal under an enjeu of its own axis passes clean()."""
        atelier = f.AtelierFactory()
        f.ProposalFactory.build(
            atelier=atelier,
            enjeu=f.EnjeuFactory(axis=atelier.axis),
            created_by=f.UserFactory(),
        ).full_clean()

    def test_a_new_proposal_is_a_medium_priority_draft_at_version_1(self, db):
        """The defaults of a proposal."""
        proposal = f.ProposalFactory()

        assert (proposal.status, proposal.priority, proposal.version) == (
            Proposal.Status.DRAFT,
            Proposal.Priority.MEDIUM,
            1,
        )

    def test_the_reference_names_the_axis_and_the_number(self, db):
        """Proposal 7 of the atelier of axis 3 is P3.07."""
        proposal = f.ProposalFactory(atelier__axis=f.AxisFactory(number=3), number=7)

        assert proposal.reference == "P3.07"
