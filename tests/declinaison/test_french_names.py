"""The programming in French order of its places: bassins, then communes
(« Épicéa » before « Verveine »), in the page and in the selectors the
exports share."""

import pytest
from django.urls import reverse

from ateliers.models import Proposal
from declinaison import selectors, services
from tests import factories as f
from tests.choices import FRENCH_ORDER, SHUFFLED

from .support import extend_world, service_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(world, django_db_blocker):
    with django_db_blocker.unblock():
        extend_world(world)
    return world


@pytest.fixture
def actions(world):
    """An action in a commune of each of seven bassins named after trees."""
    created = []
    for name in SHUFFLED:
        commune = f.CommuneFactory(
            name=f"{name}-le-Bourg", parent=f.BassinFactory(name=name)
        )
        created.append(
            services.action_create(
                proposal=world.proposals[Proposal.Status.VALIDATED],
                edition=world.editions["published"],
                data=service_data(territory=commune, title=f"Action à {name}"),
                funding=[],
                acting_user=world.people["secretariat"],
            )
        )
    return created


def test_the_programming_order_is_french(world, actions):
    ordered = selectors.programming_order(
        selectors.actions_for_listing().filter(pk__in=[a.pk for a in actions])
    )
    assert [a.bassin_name for a in ordered] == FRENCH_ORDER
    assert [a.commune_name for a in ordered] == [f"{n}-le-Bourg" for n in FRENCH_ORDER]


def test_the_programming_page_lists_the_bassins_in_french_order(client, world, actions):
    client.force_login(world.people["secretariat"])
    response = client.get(reverse("declinaison:programming"))

    bassins = [b.name for b in response.context["bassins"] if b.name in FRENCH_ORDER]
    assert bassins == FRENCH_ORDER
    html = response.content.decode()
    positions = [html.index(f"Action à {name}") for name in FRENCH_ORDER]
    assert positions == sorted(positions)
