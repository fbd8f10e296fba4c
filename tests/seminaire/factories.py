"""Factories of the seminar (the shared ones are in tests/factories.py)."""

import datetime

import factory
from django.utils import timezone

from seminaire.models import Event, Invitation
from tests import factories as f


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Séminaire n° {n}")
    starts_at = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=30)
    )
    place = "Musée d’art moderne de Saint-Étienne"
    created_by = factory.SubFactory(f.UserFactory, secretariat=True)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    event = factory.SubFactory(EventFactory)
    category = Invitation.Category.ELECTED
    full_name = factory.Sequence(lambda n: f"Invité·e {n}")
    email = factory.Sequence(lambda n: f"invite{n}@example.org")
    organisation = factory.SubFactory(f.OrganisationFactory)
