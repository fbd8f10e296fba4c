"""A small, complete portal shared by the tests of one module (see conftest.world).

Atelier ``ours`` (axis 1) has one proposal in every status, and so has atelier
``theirs`` (axis 2). ``people`` holds one person per role, named after the role;
roles are relative to ``ours``: ``other_member`` and ``other_coanimator`` are a
volunteer and the landlord referent of ``theirs``. Axis 1 has two enjeux, so
that they can be reordered; the proposals answer the first.

The CUCS commission has two member landlords: ``commission`` is the delegate of
the first; the second has no delegate and never answers. Through the services
(so with their audit entries), a closed round decided axis 1 (validated: its
submitted proposals can be validated) and a round still open has axes 2 and 3
on its agenda, where the commission's organisation answered on axis 2 only.
Axis 2 stays proposed: its proposals cannot be validated yet.

The commission's sessions (``sessions``, built the same way): a convened one
has the submitted proposal of ``ours`` on its agenda, on which the delegate's
organisation validated with reservations; a closed one examined a seventh
proposal of ``theirs`` (``examined``), on which the delegate's organisation
asked for changes: one answer of two members meets the quorum, so closing sent
it back to the atelier (changes requested). The world's other proposals are on
no session.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import timezone

from ateliers.models import Atelier, Proposal
from axes.models import Axis
from commission import services as commission_services
from commission.models import (
    AxisPosition,
    CommissionSession,
    ItemPosition,
    ValidationRound,
)
from people.models import Organisation, Territory

from . import factories as f

ROLES = (
    "anonymous",
    "member",
    "other_member",
    "landlord_referent",
    "public_coanimator",
    "other_coanimator",
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
    # atelier pk → its axis's enjeux, by position
    enjeux: dict = field(default_factory=dict)
    # "open" and "closed" → ValidationRound
    rounds: dict = field(default_factory=dict)
    # the commission's member organisations: the delegate's first
    commission_members: list = field(default_factory=list)
    # "convened" and "closed" → CommissionSession
    sessions: dict = field(default_factory=dict)
    # the proposal of ``theirs`` the closed session decided
    examined: Proposal | None = None

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

    delegates = f.OrganisationFactory(
        name="Loire Habitat", short_name="LH", commission_member=True
    )
    silent = f.OrganisationFactory(
        name="Métropole Habitat Saint-Étienne",
        short_name="MHSE",
        commission_member=True,
    )

    def person(username, **traits):
        return f.UserFactory(username=username, **traits)

    people = {
        "anonymous": AnonymousUser(),
        "member": person("membre", organisation=landlord),
        "other_member": person("membre-autre", organisation=landlord),
        "landlord_referent": person("referent", organisation=landlord),
        "public_coanimator": person("animateur", organisation=sem),
        "other_coanimator": person("referent-autre", organisation=landlord),
        "commission": person(
            "commission", organisation=delegates, is_commission_delegate=True
        ),
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
    f.AtelierMembershipFactory(
        atelier=theirs, user=people["other_coanimator"], landlord_referent=True
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
        enjeu = f.EnjeuFactory(axis=atelier.axis, position=1, title=f"Enjeu {label}")
        world.enjeux[atelier.pk] = [enjeu]
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
    world.enjeux[ours.pk].append(
        f.EnjeuFactory(axis=ours.axis, position=2, title="Second enjeu de l’atelier")
    )
    world.commission_members = [delegates, silent]
    build_rounds(world)
    build_sessions(world)
    return world


def build_rounds(world: World) -> None:
    secretariat, delegate = world.people["secretariat"], world.people["commission"]
    axes = {axis.number: axis for axis in Axis.objects.all()}
    closed = commission_services.round_open(
        title="Commission CUCS, décembre 2006", axes=[axes[1]], acting_user=secretariat
    )
    commission_services.position_record(
        validation_round=closed,
        axis=axes[1],
        organisation=delegate.organisation,
        position=AxisPosition.Position.APPROVE,
        comment="",
        acting_user=delegate,
    )
    world.rounds["closed"] = commission_services.round_close(
        validation_round=closed, acting_user=secretariat
    )
    opened = commission_services.round_open(
        title="Commission CUCS, mars 2007",
        axes=[axes[2], axes[3]],
        acting_user=secretariat,
    )
    commission_services.position_record(
        validation_round=opened,
        axis=axes[2],
        organisation=delegate.organisation,
        position=AxisPosition.Position.APPROVE_WITH_RESERVATIONS,
        comment="Préciser le calendrier des relogements.",
        acting_user=delegate,
    )
    world.rounds["open"] = ValidationRound.objects.get(pk=opened.pk)
    world.ours.axis.refresh_from_db()


def build_sessions(world: World) -> None:
    secretariat, delegate = world.people["secretariat"], world.people["commission"]
    Position = ItemPosition.Position
    world.examined = f.ProposalFactory(
        atelier=world.theirs,
        enjeu=world.enjeux[world.theirs.pk][0],
        status=Proposal.Status.SUBMITTED,
        title="Proposition examinée d’un autre atelier",
        created_by=world.people["other_member"],
        lead_organisation=world.people["member"].organisation,
        authors=[world.people["other_member"]],
    )
    closed = commission_services.session_convene(
        starts_at=timezone.make_aware(datetime.datetime(2007, 2, 15, 14, 0)),
        place="Siège d’AMO2SM, Saint-Étienne",
        proposals=[world.examined],
        axes=[],
        acting_user=secretariat,
    )
    commission_services.item_position_record(
        item=closed.items.get(),
        organisation=delegate.organisation,
        position=Position.REQUEST_CHANGES,
        comment="Chiffrer les moyens, commune par commune.",
        base_version=0,
        acting_user=delegate,
    )
    world.sessions["closed"] = commission_services.session_close(
        session=closed, acting_user=secretariat
    )
    world.examined.refresh_from_db()
    convened = commission_services.session_convene(
        starts_at=timezone.make_aware(datetime.datetime(2030, 6, 14, 14, 0)),
        place="Mairie de Firminy",
        proposals=[world.proposals[Proposal.Status.SUBMITTED]],
        axes=[],
        acting_user=secretariat,
    )
    commission_services.item_position_record(
        item=convened.items.get(),
        organisation=delegate.organisation,
        position=Position.APPROVE_WITH_RESERVATIONS,
        comment="Préciser le calendrier.",
        base_version=0,
        acting_user=delegate,
    )
    world.sessions["convened"] = CommissionSession.objects.get(pk=convened.pk)


def add_after_seminar_rows(world: World) -> None:
    """A row of each model of the apps that come after the seminar, written
    through their services (so with their audit entries): an event and a guest,
    a site action of a published edition with a progress note, a published
    experience sheet. For the tests that need every model to have rows (the
    admin's pages); it leaves the world's attributes as they were."""
    from decimal import Decimal

    from declinaison import services as declinaison_services
    from referentiel import services as referentiel_services
    from seminaire import services as seminaire_services
    from tests.capitalisation.factories import ExperienceSheetFactory

    secretariat, member = world.people["secretariat"], world.people["member"]
    event = seminaire_services.event_create(
        user=secretariat,
        data={
            "title": "Séminaire",
            "starts_at": timezone.now(),
            "place": "Musée d’art moderne",
        },
    )
    seminaire_services.invitation_add(
        user=secretariat,
        event=event,
        data={
            "full_name": "Alain Sureau",
            "category": "elected",
            "email": "a.sureau@example.org",
        },
    )
    edition = referentiel_services.edition_publish(
        user=secretariat,
        edition=referentiel_services.edition_create(
            user=secretariat,
            data={"title": "Référentiel, édition pour la déclinaison"},
        ),
    )
    action = declinaison_services.action_create(
        proposal=world.proposals[Proposal.Status.VALIDATED],
        edition=edition,
        data={
            "title": "Médiation de proximité au Grand Pont",
            "description": "",
            "territory": Territory.objects.get(slug="grand-pont"),
            "lead_organisation": member.organisation,
            "partner_organisations": [Organisation.objects.get(short_name="SEM")],
            "starts_on": datetime.date(2007, 7, 1),
            "ends_on": datetime.date(2007, 10, 31),
            "budget": Decimal("12000"),
        },
        funding=[{"source": "cucs", "amount": Decimal("12000"), "note": ""}],
        acting_user=member,
    )
    declinaison_services.action_progress(
        action=action,
        status="in_progress",
        progress=20,
        body="Lancement.",
        base_version=action.version,
        acting_user=member,
    )
    ExperienceSheetFactory(author=member, status="published")
