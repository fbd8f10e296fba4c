"""The seminar's guests in French order of their names, in the guest list, its
CSV and the attendance list (« Épicéa » before « Verveine »)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.choices import FRENCH_ORDER, SHUFFLED

from .factories import EventFactory, InvitationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(client):
    client.force_login(f.UserFactory(secretariat=True))
    event = EventFactory(title="Séminaire de présentation du référentiel CUCS")
    for name in SHUFFLED:
        InvitationFactory(
            event=event,
            category="partner",
            full_name=name,
            reply="attending",
            replied_at=timezone.now(),
        )
    return event


def csv_names(response) -> list[str]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [line.split(";")[1] for line in text.strip().splitlines()[1:]]


def test_the_guest_list_is_in_french_order(client, event):
    response = client.get(event.get_absolute_url())

    html = response.content.decode()
    positions = [html.index(name) for name in FRENCH_ORDER]
    assert positions == sorted(positions)


@pytest.mark.parametrize("query", [{}, {"list": "attendance"}])
def test_the_guest_csvs_are_in_french_order(client, event, query):
    url = reverse("seminaire:export", kwargs={"pk": event.pk})
    assert csv_names(client.get(url, query)) == FRENCH_ORDER
