"""Territories, organisations and people: what the database and clean() refuse."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from people.models import Organisation, Territory, User
from tests import factories as f


def refused_by_the_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


class TestTerritory:
    def test_a_commune_needs_a_parent(self, db):
        """A commune at the root is refused by the database."""
        refused_by_the_database(
            lambda: Territory.objects.create(
                name="Firminy", slug="firminy", kind=Territory.Kind.COMMUNE
            )
        )

    def test_a_bassin_has_no_parent(self, db):
        """A bassin is a root: one placed under another bassin is refused."""
        gier = f.BassinFactory()
        refused_by_the_database(
            lambda: Territory.objects.create(
                name="Sous-bassin",
                slug="sous-bassin",
                kind=Territory.Kind.BASSIN,
                parent=gier,
            )
        )

    def test_an_unknown_kind_is_refused(self, db):
        """Only bassin, commune and neighbourhood are kinds of territory."""
        gier = f.BassinFactory()
        refused_by_the_database(
            lambda: Territory.objects.create(
                name="Canton", slug="canton", kind="canton", parent=gier
            )
        )

    def test_two_places_of_the_same_name_under_one_parent_are_refused(self, db):
        """A name is unique within its parent."""
        commune = f.CommuneFactory(name="Firminy")
        refused_by_the_database(
            lambda: f.CommuneFactory(name="Firminy", parent=commune.parent)
        )

    @pytest.mark.parametrize(
        ("kind", "parent_kind"),
        [
            (Territory.Kind.COMMUNE, Territory.Kind.COMMUNE),
            (Territory.Kind.COMMUNE, Territory.Kind.NEIGHBOURHOOD),
            (Territory.Kind.NEIGHBOURHOOD, Territory.Kind.BASSIN),
            (Territory.Kind.NEIGHBOURHOOD, Territory.Kind.NEIGHBOURHOOD),
        ],
    )
    def test_a_place_sits_under_the_level_just_above_it(self, db, kind, parent_kind):
        """A commune sits under a bassin, a neighbourhood under a commune."""
        parents = {
            Territory.Kind.BASSIN: f.BassinFactory,
            Territory.Kind.COMMUNE: f.CommuneFactory,
            Territory.Kind.NEIGHBOURHOOD: f.NeighbourhoodFactory,
        }
        territory = Territory(
            name="Lieu", slug="lieu", kind=kind, parent=parents[parent_kind]()
        )

        with pytest.raises(ValidationError) as refused:
            territory.full_clean()

        assert "parent" in refused.value.message_dict

    @pytest.mark.parametrize(
        ("kind", "parent_factory"),
        [
            (Territory.Kind.COMMUNE, f.BassinFactory),
            (Territory.Kind.NEIGHBOURHOOD, f.CommuneFactory),
        ],
    )
    def test_a_place_under_the_right_level_is_valid(self, db, kind, parent_factory):
        """The expected hierarchy passes clean()."""
        Territory(
            name="Lieu", slug="lieu", kind=kind, parent=parent_factory()
        ).full_clean()


class TestOrganisation:
    @pytest.mark.parametrize(
        "kind",
        [kind for kind in Organisation.Kind.values if kind != "landlord"],
    )
    def test_only_landlords_sit_on_the_commission(self, db, kind):
        """The CUCS commission is inter-landlord: any other member is refused."""
        refused_by_the_database(
            lambda: Organisation.objects.create(
                name="Organisme", kind=kind, is_commission_member=True
            )
        )

    def test_a_landlord_may_sit_on_the_commission(self, db):
        """A landlord member of the commission is stored."""
        Organisation.objects.create(
            name="OPH", kind=Organisation.Kind.LANDLORD, is_commission_member=True
        )

        assert Organisation.objects.filter(is_commission_member=True).count() == 1

    def test_an_unknown_kind_is_refused(self, db):
        """The kind of an organisation is one of the listed kinds."""
        refused_by_the_database(
            lambda: Organisation.objects.create(name="Club", kind="club")
        )


class TestUser:
    def test_a_commission_delegate_belongs_to_an_organisation(self, db):
        """The database refuses a delegate who represents no organisation."""
        refused_by_the_database(
            lambda: User.objects.create(username="delegue", is_commission_delegate=True)
        )

    @pytest.mark.parametrize(
        "organisation",
        [
            pytest.param({}, id="landlord-not-on-the-commission"),
            pytest.param({"agglomeration": True}, id="agglomeration"),
        ],
    )
    def test_a_delegate_represents_an_organisation_of_the_commission(
        self, db, organisation
    ):
        """Only someone from a member organisation can be a commission delegate."""
        user = f.UserFactory.build(
            organisation=f.OrganisationFactory(**organisation),
            is_commission_delegate=True,
        )

        with pytest.raises(ValidationError) as refused:
            user.full_clean()

        assert "is_commission_delegate" in refused.value.message_dict

    def test_a_delegate_of_a_member_landlord_is_valid(self, db):
        """A delegate of a commission member passes clean()."""
        f.UserFactory.build(
            organisation=f.OrganisationFactory(commission_member=True),
            is_commission_delegate=True,
        ).full_clean()

    def test_one_person_may_hold_several_portal_roles(self, db):
        """The roles are flags, not exclusive: a delegate can also be secretariat."""
        user = f.UserFactory(commission=True, secretariat=True)

        user.full_clean()
