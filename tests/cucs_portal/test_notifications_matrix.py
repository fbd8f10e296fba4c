"""The URL × role matrix of notifications: see tests/matrix.py.

Who does what:

- every signed-in person chooses how they are told on « Mes notifications »
  (cucs_portal/rules.py); what is saved is always their own choices;
- the members of a proposal's atelier and its authors who read it signal a
  draft « Prête à soumettre » to the co-animators (ateliers/rules.py); the
  service refuses it on a proposal that is no longer a draft (an error, back
  to the proposal), and a draft signalled already says by whom and when (a
  note, nothing saved). Besides the world, ``ours`` has a second draft,
  signalled already by ``member``.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from ateliers.models import Proposal
from audit.models import AuditEvent
from cucs_portal.models import DigestItem, NotificationPreference
from tests import factories as f
from tests.matrix import (
    NO_SUCH_ID,
    D,
    E,
    L,
    Missing,
    N,
    Page,
    R,
    W,
    Y,
    access_cases,
    assert_csrf_refused,
    assert_no_inline_code,
    assert_outcome,
    csrf_cases,
    request,
)

S = Proposal.Status


def preferences(world):
    return reverse("notification_preferences")


def on_proposal(status):
    return lambda world: {"pk": world.proposals[status].pk}


def proposal_page(status):
    return lambda world: world.proposals[status].get_absolute_url()


def signalled_page(world):
    return world.signalled.get_absolute_url()


PAGES = {
    "my notifications": Page("notification_preferences"),
    "my notifications, save": Page(
        "notification_preferences",
        method="post",
        data={"proposal_decided": "digest", "proposal_ready": "never"},
        done=preferences,
    ),
    **{
        f"{status} proposal, ready": Page(
            "ateliers:proposal_signal_ready",
            on_proposal(status),
            method="post",
            done=proposal_page(status),
        )
        for status in S.values
    },
    "signalled draft, ready again": Page(
        "ateliers:proposal_signal_ready",
        lambda w: {"pk": w.signalled.pk},
        method="post",
        done=signalled_page,
    ),
    "proposal ready, read": Page(
        "ateliers:proposal_signal_ready", on_proposal(S.DRAFT)
    ),
    "proposal ready, missing": Page(
        "ateliers:proposal_signal_ready", lambda w: {"pk": NO_SUCH_ID}, "post"
    ),
}

# fmt: off
# anonymous, member, other_member, landlord_referent, public_coanimator,
# other_coanimator, commission, secretariat, partner, plain, superuser
NOT_A_DRAFT = (L,  E,  D,  E,  E,  D,  D,  D,  D,  D,  E)
EXPECTED = {
    #                                      an  me  ot  re  pu  oc  co  se  pa  pl  su
    "my notifications":                   (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "my notifications, save":             (L,  R,  R,  R,  R,  R,  R,  R,  R,  R,  R),
    "draft proposal, ready":              (L,  R,  D,  R,  R,  D,  D,  D,  D,  D,  R),
    "submitted proposal, ready":          NOT_A_DRAFT,
    "changes_requested proposal, ready":  NOT_A_DRAFT,
    "validated proposal, ready":          NOT_A_DRAFT,
    "rejected proposal, ready":           NOT_A_DRAFT,
    "withdrawn proposal, ready":          NOT_A_DRAFT,
    "signalled draft, ready again":       (L,  W,  D,  W,  W,  D,  D,  D,  D,  D,  W),
    "proposal ready, read":               (L,  N,  D,  N,  N,  D,  D,  D,  D,  D,  N),
    "proposal ready, missing":            Missing(),
}
# fmt: on

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(world, django_db_blocker):
    """The shared world plus a draft of ``ours`` signalled already."""
    member = world.people["member"]
    with django_db_blocker.unblock():
        world.signalled = f.ProposalFactory(
            atelier=world.ours,
            enjeu=world.proposals[S.DRAFT].enjeu,
            number=90,
            title="Brouillon déjà signalé",
            created_by=member,
            authors=[member],
            ready_at=timezone.now(),
            ready_by=member,
        )
    return world


def database_state():
    """What the pages of this matrix can change, in a comparable form."""
    return (
        list(
            NotificationPreference.objects.order_by("pk").values_list(
                "user_id", "kind", "delivery"
            )
        ),
        list(Proposal.objects.order_by("pk").values_list("pk", "ready_at")),
        AuditEvent.objects.count(),
        DigestItem.objects.count(),
    )


@pytest.mark.parametrize(("page", "role", "expected"), access_cases(EXPECTED))
def test_page_access(client, world, page, role, expected):
    """Signed-out visitors are sent to the login page. Everyone signed in
    reads and saves their own choices. A draft is signalled ready by its
    atelier; a proposal that is no longer a draft is refused with a message
    (403 for whoever may not signal it), a second signal is a note; a GET on
    the action is a 405."""
    before = database_state()

    url, response = request(client, world, role, PAGES[page])

    assert_outcome(response, url, world, PAGES[page], expected, database_state, before)


@pytest.mark.parametrize(("page", "role"), csrf_cases(PAGES, EXPECTED))
def test_every_post_that_saves_needs_its_csrf_token(world, page, role):
    assert_csrf_refused(world, PAGES[page], role, database_state)


@pytest.mark.parametrize("role", ["member", "secretariat"])
@pytest.mark.parametrize(
    "page", [name for name, page in PAGES.items() if page.method == "get"]
)
def test_no_page_has_inline_code(client, world, page, role):
    _url, response = request(client, world, role, PAGES[page])

    assert response.status_code in {200, 403, 404, 405}
    assert_no_inline_code(response)
