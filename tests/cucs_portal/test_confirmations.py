"""Irreversible actions ask first (cucs_portal.mixins.ConfirmMixin): the page
says what will happen, only its button (``confirmed=1``) acts, what the person
typed survives it, and a page left open while someone else acted sends the
person to the object with the reason. Moving an enjeu asks only when a
published edition printed proposals under the enjeux it renumbers, and names
the references that change (cucs_portal.printed, answered by referentiel).

The texts are compared with the page's own ``confirmation`` (context), so
that the tests hold in French and in English."""

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from ateliers import services as atelier_services
from ateliers.models import Proposal
from audit.models import AuditEvent
from axes.models import Enjeu
from commission.models import CommissionSession, ValidationRound
from cucs_portal.printed import renumbering_printed
from declinaison.models import SiteAction
from tests.declinaison.support import extend_world, form_data
from tests.matrix import CONFIRMED

S = Proposal.Status
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(world, django_db_blocker):
    """The shared world, plus a published edition holding the validated
    proposals of ``ours`` (under the first enjeu of axis 1) and ``theirs``."""
    with django_db_blocker.unblock():
        extend_world(world)
    return world


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def info(response) -> list[str]:
    return [
        str(m) for m in get_messages(response.wsgi_request) if m.level == messages.INFO
    ]


def assert_asks(response):
    """The confirmation page, every consequence on it, and its button posting
    ``confirmed=1`` back to the same address."""
    assert response.status_code == 200
    assert response.templates[0].name == "confirm.html"
    html = response.content.decode()
    confirmation = response.context["confirmation"]
    assert confirmation.consequences
    for consequence in confirmation.consequences:
        assert escape(str(consequence)) in html
    assert f'action="{response.wsgi_request.path}"' in html
    assert '<input type="hidden" name="confirmed" value="1">' in html
    assert f'href="{confirmation.cancel_url}"' in html
    return confirmation


def submit_url(proposal):
    return reverse("ateliers:proposal_submit", kwargs={"pk": proposal.pk})


# --- Submitting to the commission ---------------------------------------------


def test_the_submit_page_says_who_is_told_and_what_can_no_longer_change(world):
    proposal = world.proposals[S.DRAFT]
    events = AuditEvent.objects.count()

    response = signed_in(world.people["public_coanimator"]).get(submit_url(proposal))

    confirmation = assert_asks(response)
    assert proposal.reference in confirmation.title
    assert proposal.reference in confirmation.consequences[0]
    assert confirmation.cancel_url == proposal.get_absolute_url()
    assert Proposal.objects.get(pk=proposal.pk).status == S.DRAFT
    assert AuditEvent.objects.count() == events


def test_the_old_button_without_confirmed_only_shows_the_page(world):
    """A POST from the proposal's page (or a reloaded form) asks; nothing is
    submitted, nobody told."""
    proposal = world.proposals[S.DRAFT]

    response = signed_in(world.people["landlord_referent"]).post(submit_url(proposal))

    assert_asks(response)
    assert Proposal.objects.get(pk=proposal.pk).status == S.DRAFT


def test_confirming_submits(world):
    proposal = world.proposals[S.DRAFT]

    response = signed_in(world.people["landlord_referent"]).post(
        submit_url(proposal), CONFIRMED
    )

    assert (response.status_code, response.url) == (302, proposal.get_absolute_url())
    assert Proposal.objects.get(pk=proposal.pk).status == S.SUBMITTED


def test_a_confirmation_left_open_while_a_colleague_submitted(world):
    """The second co-animator's confirmation goes to the proposal with the
    reason, not to a refusal; it stays submitted once."""
    proposal = world.proposals[S.DRAFT]
    page = signed_in(world.people["public_coanimator"]).get(submit_url(proposal))
    assert page.status_code == 200
    signed_in(world.people["landlord_referent"]).post(submit_url(proposal), CONFIRMED)
    events = AuditEvent.objects.count()

    late = signed_in(world.people["public_coanimator"]).post(
        submit_url(proposal), CONFIRMED
    )

    assert (late.status_code, late.url) == (302, proposal.get_absolute_url())
    (reason,) = info(late)
    assert proposal.reference in reason
    assert AuditEvent.objects.count() == events


# --- Closing a round, a session; publishing ------------------------------------


def test_closing_a_round_asks_and_a_closed_one_says_so(world):
    url = reverse("commission:round_close", kwargs={"pk": world.rounds["open"].pk})
    client = signed_in(world.people["secretariat"])

    confirmation = assert_asks(client.get(url))
    assert confirmation.danger
    assert ValidationRound.objects.get(pk=world.rounds["open"].pk).is_open

    assert client.post(url, CONFIRMED).status_code == 302
    again = client.post(url, CONFIRMED)
    assert (again.status_code, again.url) == (
        302,
        world.rounds["open"].get_absolute_url(),
    )
    assert info(again)


def test_the_session_close_page_shows_what_each_item_will_get(world):
    session = world.sessions["convened"]
    url = reverse("commission:session_close", kwargs={"pk": session.pk})

    response = signed_in(world.people["secretariat"]).post(url)

    assert_asks(response)
    assert len(response.context["groups"]) == 1
    assert CommissionSession.objects.get(pk=session.pk).is_convened


def test_publishing_a_sheet_asks_first(world):
    from capitalisation.models import ExperienceSheet
    from tests.capitalisation.factories import ExperienceSheetFactory

    sheet = ExperienceSheetFactory(
        author=world.people["member"], status=ExperienceSheet.Status.SUBMITTED
    )
    url = reverse("capitalisation:publish", kwargs={"pk": sheet.pk})
    client = signed_in(world.people["secretariat"])

    assert_asks(client.post(url))
    assert ExperienceSheet.objects.get(pk=sheet.pk).status == "submitted"
    client.post(url, CONFIRMED)
    assert ExperienceSheet.objects.get(pk=sheet.pk).status == "published"


# --- Declining into a site action: nothing typed is lost -------------------------


def test_the_declined_action_is_confirmed_with_everything_typed(world):
    """The filled form answers the confirmation, every field (funding lines
    included) carried as hidden inputs; « back to the form » shows it as
    typed; confirming creates the action."""
    proposal = world.proposals[S.VALIDATED]
    url = reverse("declinaison:action_create", kwargs={"pk": proposal.pk})
    client = signed_in(world.people["member"])
    typed = form_data(world, confirmed="", title="Chantier « jeunes » au Grand Pont")
    actions = SiteAction.objects.count()

    asked = client.post(url, typed)

    confirmation = assert_asks(asked)
    assert confirmation.can_change
    html = asked.content.decode()
    for name, value in typed.items():
        if name == "confirmed":
            continue
        for one in value if isinstance(value, list) else [value]:
            hidden = f'<input type="hidden" name="{name}" value="{escape(one)}">'
            assert hidden in html, name
    assert SiteAction.objects.count() == actions

    back = client.post(url, {**typed, "change": "1"})
    assert back.status_code == 200
    assert back.context["form"]["title"].value() == typed["title"]
    assert back.context["formset"].forms[0]["amount"].value() == "12000"
    assert SiteAction.objects.count() == actions

    done = client.post(url, {**typed, **CONFIRMED})
    assert done.status_code == 302
    assert SiteAction.objects.get(title=typed["title"]).proposal == proposal


def test_a_declined_action_with_a_mistake_shows_the_form_not_the_confirmation(
    world,
):
    proposal = world.proposals[S.VALIDATED]
    url = reverse("declinaison:action_create", kwargs={"pk": proposal.pk})

    response = signed_in(world.people["member"]).post(
        url, form_data(world, confirmed="", ends_on="2007-06-01")
    )

    assert response.status_code == 400
    assert response.templates[0].name == "declinaison/action_form.html"


# --- Moving an enjeu ------------------------------------------------------------


def move_url(world, enjeu, direction="up"):
    name = "ateliers:enjeu_up" if direction == "up" else "ateliers:enjeu_down"
    return reverse(name, kwargs={"pk": world.ours.pk, "enjeu_pk": enjeu.pk})


def positions(world):
    return list(
        Enjeu.objects.filter(axis=world.ours.axis)
        .order_by("position")
        .values_list("pk", flat=True)
    )


def test_the_hook_names_the_printed_references_that_change(world):
    first, second = world.enjeux[world.ours.pk]
    printed = world.proposals[S.VALIDATED]

    (change,) = renumbering_printed({first.pk: "1.2", second.pk: "1.1"})

    assert world.editions["published"].title in change.document
    assert change.url == world.editions["published"].get_absolute_url()
    assert change.headings == (("1.1", "1.2"),)
    assert printed.reference in change.items


def test_moving_an_enjeu_printed_in_a_published_edition_asks_first(world):
    first, second = world.enjeux[world.ours.pk]
    printed = world.proposals[S.VALIDATED]
    before = positions(world)
    client = signed_in(world.people["public_coanimator"])

    response = client.post(move_url(world, second), {"position": "2"})

    confirmation = assert_asks(response)
    said = " ".join(map(str, confirmation.consequences))
    assert "1.1" in said and "1.2" in said
    assert printed.reference in said
    assert world.editions["published"].title in said
    assert '<input type="hidden" name="position" value="2">' in (
        response.content.decode()
    )
    assert positions(world) == before

    done = client.post(move_url(world, second), {"position": "2", **CONFIRMED})
    assert done.status_code == 302
    assert positions(world) == [second.pk, first.pk]


def test_a_move_confirmed_after_the_enjeux_were_reordered_moves_nothing(world):
    first, second = world.enjeux[world.ours.pk]
    client = signed_in(world.people["public_coanimator"])
    client.post(move_url(world, first, "down"), CONFIRMED)
    after = positions(world)

    # The page was opened when ``second`` was at position 2.
    late = client.post(move_url(world, second), {"position": "2", **CONFIRMED})

    assert late.status_code == 302
    assert info(late)
    assert positions(world) == after


def test_moving_enjeux_under_which_nothing_was_printed_is_one_click(world):
    third = atelier_services.enjeu_create(
        axis=world.ours.axis,
        title="Un troisième enjeu",
        description="",
        acting_user=world.people["public_coanimator"],
    )
    first, second = world.enjeux[world.ours.pk]

    response = signed_in(world.people["public_coanimator"]).post(move_url(world, third))

    assert response.status_code == 302
    assert positions(world) == [first.pk, third.pk, second.pk]


def test_the_move_page_without_printed_references_says_only_the_swap(world):
    """Its address opened directly: the page, nothing moved."""
    third = atelier_services.enjeu_create(
        axis=world.ours.axis,
        title="Un troisième enjeu",
        description="",
        acting_user=world.people["public_coanimator"],
    )
    before = positions(world)

    response = signed_in(world.people["public_coanimator"]).get(move_url(world, third))

    confirmation = assert_asks(response)
    assert len(confirmation.consequences) == 1
    assert not confirmation.irreversible
    assert positions(world) == before
