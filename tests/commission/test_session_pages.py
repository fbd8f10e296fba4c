"""The commission's sessions, beyond the URL × role matrix (tests/test_urls.py):
what a refused request says, and what a second closing does. The world's
sessions are those of tests/world.py."""

import pytest
from django.urls import reverse

from ateliers.models import Proposal
from commission.models import AgendaItem, CommissionSession, ItemPosition
from tests.matrix import CONFIRMED

pytestmark = pytest.mark.django_db


def decisions():
    return list(
        AgendaItem.objects.order_by("pk").values_list("pk", "outcome", "comments_sent")
    ) + list(Proposal.objects.order_by("pk").values_list("pk", "status", "version"))


def test_closing_twice_decides_once(client, world):
    """The second closing (a reloaded form, a colleague's) is sent back to
    the session with the reason and changes none of the decisions the first took."""
    session = world.sessions["convened"]
    url = reverse("commission:session_close", kwargs={"pk": session.pk})
    client.force_login(world.people["secretariat"])

    first = client.post(url, CONFIRMED)
    after_first = decisions()
    second = client.post(url, CONFIRMED)

    assert (first.status_code, first.url) == (302, session.get_absolute_url())
    assert CommissionSession.objects.get(pk=session.pk).status == "closed"
    assert Proposal.objects.get(pk=world.proposals["submitted"].pk).status == (
        Proposal.Status.VALIDATED
    )
    # The second is sent back to the session, told it is closed already.
    assert (second.status_code, second.url) == (302, session.get_absolute_url())
    assert decisions() == after_first


def test_a_superuser_position_is_refused(client, world):
    """A superuser passes the permission but answers for no member
    organisation: back to the agenda with the reason, nothing saved."""
    session = world.sessions["convened"]
    item = session.items.get()
    positions = list(ItemPosition.objects.values_list("pk", "position", "version"))
    client.force_login(world.people["superuser"])

    response = client.post(
        reverse(
            "commission:item_position", kwargs={"pk": session.pk, "item_pk": item.pk}
        ),
        {f"item{item.pk}-position": "approve", f"item{item.pk}-base_version": 0},
    )

    assert response.status_code == 302
    page = client.get(response.url)
    assert "délégué" in page.content.decode()
    assert list(ItemPosition.objects.values_list("pk", "position", "version")) == (
        positions
    )


def test_reloading_a_position_address_leads_back_to_the_agenda(client, world):
    """A GET on the form's address (reloaded, bookmarked) changes nothing and
    offers the way back to the session."""
    session = world.sessions["convened"]
    item = session.items.get()
    client.force_login(world.people["commission"])

    response = client.get(
        reverse(
            "commission:item_position", kwargs={"pk": session.pk, "item_pk": item.pk}
        )
    )

    assert response.status_code == 405
    assert response.context["back_url"] == session.get_absolute_url()
