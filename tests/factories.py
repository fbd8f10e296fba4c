"""factory_boy factories for the portal's models.

Axes are the six of the fixtures: ``AxisFactory(number=n)`` returns the existing
axis n when the fixtures are loaded, and creates a stand-in otherwise. Roles are
traits (``UserFactory(secretariat=True)``) or memberships
(``AtelierMembershipFactory(atelier=a, public_coanimator=True)``).
"""

import datetime

import factory
from django.utils import timezone

from ateliers.models import Atelier, AtelierMembership, Proposal, Session
from axes.models import AXIS_COUNT, Axis, DiagnosisElement, Enjeu
from people.models import Organisation, Territory, User
from referentiel.models import Edition

PASSWORD = "mot-de-passe-de-test"


class BassinFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Bassin {n}")
    slug = factory.Sequence(lambda n: f"bassin-{n}")
    kind = Territory.Kind.BASSIN
    parent = None


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory

    name = factory.Sequence(lambda n: f"Commune {n}")
    slug = factory.Sequence(lambda n: f"commune-{n}")
    kind = Territory.Kind.COMMUNE
    parent = factory.SubFactory(BassinFactory)


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory

    name = factory.Sequence(lambda n: f"Quartier {n}")
    slug = factory.Sequence(lambda n: f"quartier-{n}")
    kind = Territory.Kind.NEIGHBOURHOOD
    parent = factory.SubFactory(CommuneFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    """A social landlord unless told otherwise."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Office HLM n°{n}")
    short_name = factory.Sequence(lambda n: f"OPH{n}")
    kind = Organisation.Kind.LANDLORD

    class Params:
        commission_member = factory.Trait(is_commission_member=True)
        commune = factory.Trait(
            kind=Organisation.Kind.COMMUNE,
            name=factory.Sequence(lambda n: f"Ville n°{n}"),
            territory=factory.SubFactory(CommuneFactory),
        )
        agglomeration = factory.Trait(
            kind=Organisation.Kind.AGGLOMERATION,
            name=factory.Sequence(lambda n: f"Agglomération n°{n}"),
        )
        state = factory.Trait(
            kind=Organisation.Kind.STATE,
            name=factory.Sequence(lambda n: f"Service de l’État n°{n}"),
        )


class UserFactory(factory.django.DjangoModelFactory):
    """A person with no portal-wide role and no organisation; traits add a role."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"personne{n}")
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)
    organisation = None

    class Params:
        landlord_staff = factory.Trait(
            organisation=factory.SubFactory(OrganisationFactory)
        )
        public_staff = factory.Trait(
            organisation=factory.SubFactory(OrganisationFactory, agglomeration=True)
        )
        commission = factory.Trait(
            organisation=factory.SubFactory(
                OrganisationFactory, commission_member=True
            ),
            is_commission_delegate=True,
        )
        secretariat = factory.Trait(is_secretariat=True)
        partner = factory.Trait(
            organisation=factory.SubFactory(OrganisationFactory, state=True),
            is_partner=True,
        )
        superuser = factory.Trait(is_superuser=True, is_staff=True)


class AxisFactory(factory.django.DjangoModelFactory):
    """One of the six axes; reuses the fixture's axis of the same number."""

    class Meta:
        model = Axis
        django_get_or_create = ("number",)

    number = factory.Iterator(range(1, AXIS_COUNT + 1))
    title = factory.LazyAttribute(lambda a: f"Axe de test {a.number}")
    short_label = factory.LazyAttribute(lambda a: f"Axe {a.number}")


class DiagnosisElementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiagnosisElement

    axis = factory.SubFactory(AxisFactory)
    bassin = factory.SubFactory(BassinFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Constat du diagnostic n°{n}")


class EnjeuFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enjeu

    axis = factory.SubFactory(AxisFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Enjeu n°{n}")


class AtelierFactory(factory.django.DjangoModelFactory):
    """The atelier of an axis; reuses the axis's atelier when it exists."""

    class Meta:
        model = Atelier
        django_get_or_create = ("axis",)

    axis = factory.SubFactory(AxisFactory)
    name = factory.LazyAttribute(lambda a: f"Atelier {a.axis.number}")
    period_start = datetime.date(2007, 2, 1)
    period_end = datetime.date(2007, 4, 30)


class AtelierMembershipFactory(factory.django.DjangoModelFactory):
    """A volunteer member from a landlord, unless a co-animator trait is given."""

    class Meta:
        model = AtelierMembership

    atelier = factory.SubFactory(AtelierFactory)
    user = factory.SubFactory(UserFactory, landlord_staff=True)
    role = AtelierMembership.Role.MEMBER
    joined_on = datetime.date(2007, 2, 1)

    class Params:
        landlord_referent = factory.Trait(role=AtelierMembership.Role.LANDLORD_REFERENT)
        public_coanimator = factory.Trait(
            role=AtelierMembership.Role.PUBLIC_COANIMATOR,
            user=factory.SubFactory(UserFactory, public_staff=True),
        )


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    atelier = factory.SubFactory(AtelierFactory)
    starts_at = factory.Sequence(
        lambda n: (
            timezone.make_aware(datetime.datetime(2007, 2, 1, 14))
            + datetime.timedelta(days=7 * n)
        )
    )
    place = "Maison de l’habitat, Saint-Étienne"
    agenda = "Tour de table ; enjeux ; propositions."

    @factory.post_generation
    def attendees(self, create, extracted, **kwargs):
        if create and extracted:
            self.attendees.set(extracted)


class ProposalFactory(factory.django.DjangoModelFactory):
    """A draft of an atelier, under an enjeu of that atelier's axis."""

    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    atelier = factory.SubFactory(AtelierFactory)
    enjeu = factory.SubFactory(
        EnjeuFactory, axis=factory.SelfAttribute("..atelier.axis")
    )
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Proposition n°{n}")
    summary = "Une proposition de l’atelier."
    created_by = factory.SubFactory(UserFactory, landlord_staff=True)
    status = Proposal.Status.DRAFT

    @factory.post_generation
    def partner_organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.partner_organisations.set(extracted)

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if create and extracted:
            self.territories.set(extracted)

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            self.authors.set(extracted)


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    title = factory.Sequence(lambda n: f"Référentiel, édition {n}")
    place = "Saint-Étienne"
    event_date = datetime.date(2007, 5, 10)
    created_by = factory.SubFactory(UserFactory, secretariat=True)
