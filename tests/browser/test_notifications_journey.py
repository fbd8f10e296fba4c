"""Journeys of item 4 (the right people are told), in a real browser.

1. The author hears the decision: a volunteer wrote a proposal; the commission
   session that examines it is closed by the secretariat in the browser; the
   decision lands in the volunteer's mailbox (Django's locmem outbox, the live
   server running in this process), and its link opens the proposal.
2. A person switches to the daily digest on « Mes notifications », reached
   from the header; two events follow (the proposal put on a session's agenda,
   then decided); the digest, sent by ``manage.py send_digests``, is one
   e-mail listing both with their links, and nothing else reached them.
"""

import datetime
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ateliers.models import Proposal
from axes.models import Axis
from commission import services as commission_services
from commission.models import ItemPosition
from tests import factories as f
from tests.world import load_reference_fixtures

pytestmark = pytest.mark.browser

TITLE = "Des boîtes à idées dans les halls"
CHANGES = "Précisez qui relève les boîtes et à quel rythme."


@pytest.fixture
def written(transactional_db):
    """A submitted proposal of atelier 1 written by the volunteer ``membre``
    (not a co-animator); the atelier's co-animator; one member organisation of
    the commission with its delegate; the secretariat."""
    load_reference_fixtures()
    atelier = f.AtelierFactory(axis=Axis.objects.get(number=1))
    enjeu = f.EnjeuFactory(axis=atelier.axis, position=1, title="Des halls vivants")
    f.UserFactory(
        username="commission",
        organisation=f.OrganisationFactory(
            name="Loire Habitat", short_name="LH", commission_member=True
        ),
        is_commission_delegate=True,
    )
    f.UserFactory(username="secretariat", secretariat=True)
    member = f.UserFactory(username="membre", first_name="Lucie", last_name="Martin")
    referent = f.UserFactory(username="referent")
    f.AtelierMembershipFactory(atelier=atelier, user=member)
    f.AtelierMembershipFactory(atelier=atelier, user=referent, landlord_referent=True)
    return f.ProposalFactory(
        atelier=atelier,
        enjeu=enjeu,
        title=TITLE,
        status=Proposal.Status.SUBMITTED,
        created_by=member,
        authors=[member],
    )


def convene(proposal):
    from people.models import User

    return commission_services.session_convene(
        starts_at=timezone.now() + datetime.timedelta(days=7),
        place="Siège d’AMO2SM",
        proposals=[proposal],
        axes=[],
        acting_user=User.objects.get(username="secretariat"),
    )


def changes_requested(session):
    from people.models import User

    delegate = User.objects.get(username="commission")
    commission_services.item_position_record(
        item=session.items.get(),
        organisation=delegate.organisation,
        position=ItemPosition.Position.REQUEST_CHANGES,
        comment=CHANGES,
        base_version=0,
        acting_user=delegate,
    )


def close_in_the_browser(visit, session):
    secretariat = visit()
    secretariat.log_in("secretariat")
    page = secretariat.page
    secretariat.goto(session.get_absolute_url())
    close = reverse("commission:session_close", kwargs={"pk": session.pk})
    secretariat.follow(page.locator(f'main a[href="{close}"]'))
    secretariat.follow(page.locator(f'main form[action="{close}"] button'))
    assert page.locator(".alert-success").is_visible()


def link_in(body: str) -> str:
    """The path of the first portal address in an e-mail's body."""
    for line in body.splitlines():
        if line.startswith("http"):
            return urlsplit(line.strip()).path
    raise AssertionError(body)


def test_the_author_receives_the_decision(visit, a11y, written, settings):
    session = convene(written)
    changes_requested(session)
    mail.outbox.clear()

    close_in_the_browser(visit, session)

    to_author = [m for m in mail.outbox if m.to == [written.created_by.email]]
    (message,) = to_author
    assert written.reference in message.subject
    assert CHANGES in message.body
    # The co-animator hears it too, in an e-mail of their own.
    assert any(m.to == ["referent@example.org"] for m in mail.outbox)

    author = visit()
    author.log_in("membre")
    author.goto(link_in(message.body))
    page = author.page
    assert page.locator("h1").inner_text() == TITLE
    assert page.locator(".page-status .status-badge--changes_requested").is_visible()
    assert page.get_by_text(CHANGES).first.is_visible()
    a11y.assert_clean(minimum_pages=4)


def test_a_person_switches_to_the_digest_and_receives_one_e_mail(visit, a11y, written):
    member = visit()
    member.log_in("membre")
    page = member.page
    member.open_account_menu()
    member.follow(page.locator(".portal-user-actions a", has_text="notifications"))
    assert urlsplit(page.url).path == reverse("notification_preferences")
    for kind in ("proposal_on_agenda", "proposal_decided"):
        page.locator(f'input[name="{kind}"][value="digest"]').check()
    member.follow(page.locator("main form button[type=submit]"))
    assert page.locator(".alert-success").is_visible()
    assert page.locator('input[name="proposal_decided"][value="digest"]').is_checked()

    session = convene(written)  # « put on the agenda »: to the digest
    changes_requested(session)
    close_in_the_browser(visit, session)  # « decided »: to the digest
    assert not [m for m in mail.outbox if m.to == [written.created_by.email]]
    mail.outbox.clear()

    call_command("send_digests", verbosity=0)
    call_command("send_digests", verbosity=0)  # a second run sends nothing

    (digest,) = mail.outbox
    assert digest.to == [written.created_by.email]
    assert digest.body.count(written.reference) >= 2
    assert CHANGES in digest.body
    member.goto(link_in(digest.body))
    assert page.locator("h1").inner_text() == TITLE
    a11y.assert_clean(minimum_pages=5)
