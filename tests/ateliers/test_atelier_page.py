"""The atelier page: the size of the group and the next session."""

import datetime

import pytest
from django.utils import timezone

from ateliers.models import Session
from tests import factories as f

pytestmark = pytest.mark.django_db


def atelier_page(client, world):
    client.force_login(world.people["member"])
    response = client.get(world.ours.get_absolute_url())
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("volunteers", "warned"), [(1, True), (2, True), (3, False), (4, False), (5, True)]
)
def test_the_size_warning_outside_3_to_4_volunteers(client, world, volunteers, warned):
    """An atelier works best with 3 to 4 volunteers: with 2 the page warns,
    with 3 it does not. Co-animators do not count."""
    f.AtelierMembershipFactory.create_batch(volunteers - 1, atelier=world.ours)

    response = atelier_page(client, world)

    assert len(response.context["atelier"].volunteer_memberships) == volunteers
    assert response.context["size_warning"] is warned
    assert ("notice-warning" in response.content.decode()) is warned


def in_days(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def test_the_next_session_is_the_first_one_to_come(client, world):
    """Of sessions in a month, in a week and yesterday (created in that
    order), the next one is in a week."""
    Session.objects.filter(atelier=world.ours).delete()
    f.SessionFactory(atelier=world.ours, starts_at=in_days(30))
    in_a_week = f.SessionFactory(
        atelier=world.ours, starts_at=in_days(7), place="Salle du Soleil"
    )
    f.SessionFactory(atelier=world.ours, starts_at=in_days(-1))

    response = atelier_page(client, world)

    html = response.content.decode()
    assert response.context["next_session"] == in_a_week
    assert f'href="#session-{in_a_week.pk}"' in html
    assert "Salle du Soleil" in html


def test_without_a_session_to_come_there_is_no_next_session(client, world):
    """Past sessions only: no next session."""
    f.SessionFactory(atelier=world.ours, starts_at=in_days(-7))

    response = atelier_page(client, world)

    assert response.context["next_session"] is None


def test_another_ateliers_session_is_not_ours(client, world):
    """The next session of another atelier is not shown as ours."""
    f.SessionFactory(atelier=world.theirs, starts_at=in_days(2))

    response = atelier_page(client, world)

    assert response.context["next_session"] is None


@pytest.mark.parametrize(
    ("role", "reads"),
    [
        ("partner", False),
        ("member", True),
        ("other_member", True),
        ("commission", True),
        ("secretariat", True),
    ],
)
def test_the_minutes_stay_within_the_working_group(client, world, role, reads):
    """Minutes discuss drafts: partners see that a session took place, not its
    compte rendu; the ateliers, the commission and the secretariat read it."""
    from ateliers.models import Session

    session = Session.objects.filter(
        atelier=world.ours
    ).first() or Session.objects.create(
        atelier=world.ours, starts_at="2007-03-01T14:00+01:00", place="Mairie"
    )
    session.minutes = "Compte rendu confidentiel du brouillon."
    session.save()
    client.force_login(world.people[role])

    html = client.get(world.ours.get_absolute_url()).content.decode()

    assert ("Compte rendu confidentiel du brouillon." in html) is reads
