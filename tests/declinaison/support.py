"""What the declination's tests build on the shared world: a published edition
holding the validated proposals of ``ours`` and ``theirs``, a validated
proposal published in no edition, and two actions declined through the
services (so with their audit entries)."""

import datetime
from decimal import Decimal

from ateliers.models import Proposal
from declinaison import services
from people.models import Organisation, Territory
from referentiel import services as referentiel_services
from tests import factories as f


def form_data(world, **overrides) -> dict:
    """A complete, valid action form with one funding line, as the
    confirmation page sends it again (``confirmed``) when creating."""
    data = {
        "confirmed": "1",
        "title": "Médiation de proximité au Grand Pont",
        "description": "Des médiateurs dans les halls, le soir.",
        "territory": Territory.objects.get(slug="grand-pont").pk,
        "lead_organisation": Organisation.objects.get(short_name="OPAC").pk,
        "partner_organisations": [Organisation.objects.get(short_name="SEM").pk],
        "starts_on": "2007-07-01",
        "ends_on": "2007-10-31",
        "budget": "12000",
        "funding-TOTAL_FORMS": "2",
        "funding-INITIAL_FORMS": "0",
        "funding-MIN_NUM_FORMS": "0",
        "funding-MAX_NUM_FORMS": "20",
        "funding-0-source": "cucs",
        "funding-0-amount": "12000",
        "funding-0-note": "",
        "funding-1-source": "",
        "funding-1-amount": "",
        "funding-1-note": "",
    }
    if getattr(world, "editions", None):
        data["edition"] = world.editions["published"].pk
    data.update(overrides)
    return data


def service_data(**overrides) -> dict:
    data = {
        "title": "Médiation de proximité au Grand Pont",
        "description": "",
        "territory": Territory.objects.get(slug="grand-pont"),
        "lead_organisation": Organisation.objects.get(short_name="OPAC"),
        "partner_organisations": [Organisation.objects.get(short_name="SEM")],
        "starts_on": datetime.date(2007, 7, 1),
        "ends_on": datetime.date(2007, 10, 31),
        "budget": Decimal("12000"),
    }
    data.update(overrides)
    return data


def extend_world(world) -> None:
    """Adds ``editions``, ``late`` (validated, in no published edition) and
    ``actions`` ("ours": led by the member's landlord and created by them;
    "sem": led by Saint-Étienne Métropole, created by the secretariat)."""
    secretariat = world.people["secretariat"]
    published = referentiel_services.edition_publish(
        user=secretariat,
        edition=referentiel_services.edition_create(
            user=secretariat,
            data={
                "title": "Référentiel, édition du séminaire",
                "event_date": datetime.date(2007, 5, 10),
            },
        ),
    )
    world.editions = {"published": published}
    world.late = f.ProposalFactory(
        atelier=world.ours,
        enjeu=world.enjeux[world.ours.pk][0],
        status=Proposal.Status.VALIDATED,
        title="Proposition validée après le séminaire",
        created_by=world.people["member"],
    )
    validated = world.proposals[Proposal.Status.VALIDATED]
    world.actions = {
        "ours": services.action_create(
            proposal=validated,
            edition=published,
            data=service_data(),
            funding=[{"source": "cucs", "amount": Decimal("8000"), "note": ""}],
            acting_user=world.people["member"],
        ),
        "sem": services.action_create(
            proposal=validated,
            edition=published,
            data=service_data(
                title="Diagnostic en marchant à Rive-de-Gier",
                territory=Territory.objects.get(slug="rive-de-gier"),
                lead_organisation=Organisation.objects.get(short_name="SEM"),
                budget=None,
            ),
            funding=[],
            acting_user=secretariat,
        ),
    }
