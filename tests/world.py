"""A small, complete portal shared by the tests of one module (see conftest.world).

Atelier ``ours`` (axis 1) has one proposal in every status, and so has atelier
``theirs`` (axis 2). ``people`` holds one person per role, named after the role;
roles are relative to ``ours``.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from ateliers.models import Atelier, Proposal
from axes.models import Axis
from people.models import Organisation, Territory

from . import factories as f

ROLES = (
    "anonymous",
    "member",
    "other_member",
    "landlord_referent",
    "public_coanimator",
    "commission",
    "secretariat",
    "partner",
    "plain",
    "superuser",
)


def load_reference_fixtures() -> None:
    call_command("loaddata", "axes", "territories", "organisations", verbosity=0)


@dataclass
class World:
    ours: Atelier
    theirs: Atelier
    people: dict = field(default_factory=dict)
    # status → proposal, in ``ours`` and in ``theirs``
    proposals: dict = field(default_factory=dict)
    their_proposals: dict = field(default_factory=dict)

    def proposal_title(self, status: str) -> str:
        return self.proposals[status].title


def build_world() -> World:
    load_reference_fixtures()
    ateliers = {axis.number: f.AtelierFactory(axis=axis) for axis in Axis.objects.all()}
    ours, theirs = ateliers[1], ateliers[2]
    gier = Territory.objects.get(slug="gier")
    commune = f.CommuneFactory(name="Rive-de-Gier", slug="rive-de-gier", parent=gier)
    quartier = f.NeighbourhoodFactory(
        name="Quartier du Grand Pont", slug="grand-pont", parent=commune
    )
    landlord = f.OrganisationFactory(name="OPAC de la Loire", short_name="OPAC")
    sem = Organisation.objects.get(short_name="SEM")
    dde = Organisation.objects.get(short_name="DDE")

    def person(username, **traits):
        return f.UserFactory(username=username, **traits)

    people = {
        "anonymous": AnonymousUser(),
        "member": person("membre", organisation=landlord),
        "other_member": person("membre-autre", organisation=landlord),
        "landlord_referent": person("referent", organisation=landlord),
        "public_coanimator": person("animateur", organisation=sem),
        "commission": person("commission", commission=True),
        "secretariat": person("secretariat", secretariat=True),
        "partner": person("partenaire", organisation=dde, is_partner=True),
        "plain": person("sans-role"),
        "superuser": person("admin", superuser=True),
    }
    f.AtelierMembershipFactory(atelier=ours, user=people["member"])
    f.AtelierMembershipFactory(atelier=theirs, user=people["other_member"])
    f.AtelierMembershipFactory(
        atelier=ours, user=people["landlord_referent"], landlord_referent=True
    )
    f.AtelierMembershipFactory(
        atelier=ours, user=people["public_coanimator"], public_coanimator=True
    )
    f.SessionFactory(
        atelier=ours,
        attendees=[people["member"], people["landlord_referent"]],
        minutes="**Relevé de décisions** : trois propositions retenues.",
    )

    world = World(ours=ours, theirs=theirs, people=people)
    for atelier, by_status, label in (
        (ours, world.proposals, "de l’atelier"),
        (theirs, world.their_proposals, "d’un autre atelier"),
    ):
        enjeu = f.EnjeuFactory(axis=atelier.axis, title=f"Enjeu {label}")
        for status in Proposal.Status.values:
            by_status[status] = f.ProposalFactory(
                atelier=atelier,
                enjeu=enjeu,
                status=status,
                title=f"Proposition {status} {label}",
                created_by=people["member"],
                lead_organisation=landlord,
                partner_organisations=[sem, dde],
                territories=[gier, quartier],
                authors=[people["member"], people["landlord_referent"]],
            )
    return world
