"""Who is told what, and how each chose (cucs_portal/notifications.py, mail.py,
digests.py, tasks.py): at once, in the daily digest, or never.

In the world, ``ours``'s proposals are written by ``member`` (who created them)
and ``landlord_referent``, and ``ours`` is co-animated by ``landlord_referent``
and ``public_coanimator``; the convened commission session has ``ours``'s
submitted proposal on its agenda, which the delegate's organisation validated
with reservations: closing the session validates it.
"""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ateliers import notifications as atelier_kinds
from ateliers import services as atelier_services
from ateliers.models import Proposal
from commission import services as commission_services
from cucs_portal import digests, notifications, tasks
from cucs_portal.mail import notify
from cucs_portal.models import Digest, DigestItem, NotificationPreference
from cucs_portal.notifications import Delivery
from tests import factories as f

S = Proposal.Status
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


def choose(user, kind, delivery):
    notifications.preferences_set(user=user, choices={str(kind): delivery})


def close_the_session(world, capture):
    with capture(execute=True):
        commission_services.session_close(
            session=world.sessions["convened"],
            acting_user=world.people["secretariat"],
        )
    return Proposal.objects.get(pk=world.proposals[S.SUBMITTED].pk)


def addresses(outbox):
    return sorted(address for message in outbox for address in message.to)


class TestTheRegistry:
    def test_every_app_that_tells_people_declares_its_kinds(self):
        """Each kind has a label and says whom it concerns; the page lists
        them app by app; a value belongs to one kind."""
        groups = notifications.groups()
        assert [group.app.label for group in groups] == [
            "ateliers",
            "referentiel",
            "commission",
            "capitalisation",
        ]
        values = [kind.value for group in groups for kind in group.kinds]
        assert len(values) == len(set(values)) == 12
        assert "proposal_ready" in values and "proposal_decided" in values
        assert all(
            kind.label and kind.concerns for kind in notifications.kinds().values()
        )

    def test_an_undeclared_kind_is_refused(self, world):
        with pytest.raises(ValueError):
            notify(
                recipients=[world.people["member"]],
                kind="no_such_kind",
                template="emails/proposal_decided",
                context={},
            )

    def test_nobody_chose_means_at_once(self, world):
        assert set(notifications.preferences_of(world.people["member"]).values()) == {
            Delivery.IMMEDIATE
        }


class TestTheDecision:
    def test_the_authors_and_the_co_animators_hear_what_the_session_decided(
        self, world, mailoutbox, django_capture_on_commit_callbacks
    ):
        """The volunteer who wrote it (author and creator), the landlord
        referent (author and co-animator, once) and the public co-animator;
        nobody else, not the secretariat who closed the session."""
        decided = close_the_session(world, django_capture_on_commit_callbacks)

        assert decided.status == S.VALIDATED
        to_them = [m for m in mailoutbox if decided.reference in m.subject]
        assert addresses(to_them) == sorted(
            world.people[role].email
            for role in ("member", "landlord_referent", "public_coanimator")
        )

    def test_an_author_who_is_neither_creator_nor_member_hears_it_too(
        self, world, mailoutbox, django_capture_on_commit_callbacks
    ):
        outsider = f.UserFactory(username="coauteur")
        Proposal.objects.get(pk=world.proposals[S.SUBMITTED].pk).authors.add(outsider)

        decided = close_the_session(world, django_capture_on_commit_callbacks)

        assert outsider.email in addresses(
            [m for m in mailoutbox if decided.reference in m.subject]
        )

    def test_a_deferral_reaches_the_authors_too(
        self, world, mailoutbox, django_capture_on_commit_callbacks
    ):
        """No longer submitted when the session closes, the proposal is
        deferred, and its people hear that nothing was decided."""
        proposal = world.proposals[S.SUBMITTED]
        Proposal.objects.filter(pk=proposal.pk).update(status=S.CHANGES_REQUESTED)

        close_the_session(world, django_capture_on_commit_callbacks)

        assert addresses(
            [m for m in mailoutbox if proposal.reference in m.subject]
        ) == sorted(
            world.people[role].email
            for role in ("member", "landlord_referent", "public_coanimator")
        )

    @pytest.mark.parametrize(
        ("delivery", "mailed", "kept"),
        [
            (Delivery.IMMEDIATE, True, False),
            (Delivery.DIGEST, False, True),
            (Delivery.NEVER, False, False),
        ],
    )
    def test_each_author_is_told_as_they_chose(
        self,
        world,
        mailoutbox,
        django_capture_on_commit_callbacks,
        delivery,
        mailed,
        kept,
    ):
        member = world.people["member"]
        choose(member, atelier_kinds.PROPOSAL_DECIDED, delivery)

        close_the_session(world, django_capture_on_commit_callbacks)

        assert (member.email in addresses(mailoutbox)) is mailed
        items = DigestItem.objects.filter(user=member)
        assert items.exists() is kept
        # The others, who chose nothing, get their e-mail as before.
        assert world.people["public_coanimator"].email in addresses(mailoutbox)
        if kept:
            (item,) = items
            reference = world.proposals[S.SUBMITTED].reference
            assert reference in item.subject and not item.subject.startswith("[")
            assert item.url.endswith(world.proposals[S.SUBMITTED].get_absolute_url())
            assert "Bonjour" not in item.text and "Validée" in item.text

    def test_a_choice_for_one_kind_leaves_the_others_at_once(
        self, world, mailoutbox, django_capture_on_commit_callbacks
    ):
        member = world.people["member"]
        choose(member, atelier_kinds.SUGGESTION_MADE, Delivery.NEVER)

        close_the_session(world, django_capture_on_commit_callbacks)

        assert member.email in addresses(mailoutbox)

    @pytest.mark.parametrize("delivery", [Delivery.IMMEDIATE, Delivery.DIGEST])
    def test_inactive_people_and_people_without_an_address_get_nothing(
        self, world, mailoutbox, django_capture_on_commit_callbacks, delivery
    ):
        member, referent = world.people["member"], world.people["landlord_referent"]
        for person in (member, referent):
            choose(person, atelier_kinds.PROPOSAL_DECIDED, delivery)
        type(member).objects.filter(pk=member.pk).update(is_active=False)
        type(member).objects.filter(pk=referent.pk).update(email="")

        close_the_session(world, django_capture_on_commit_callbacks)

        assert member.email not in addresses(mailoutbox)
        assert not DigestItem.objects.filter(user__in=[member, referent]).exists()

    def test_a_rolled_back_decision_tells_nobody(self, world, mailoutbox):
        choose(world.people["member"], atelier_kinds.PROPOSAL_DECIDED, Delivery.DIGEST)

        with pytest.raises(RuntimeError), transaction.atomic():
            commission_services.session_close(
                session=world.sessions["convened"],
                acting_user=world.people["secretariat"],
            )
            raise RuntimeError("the closing fails after the decisions")

        assert mailoutbox == []
        assert not DigestItem.objects.exists()


def two_decisions(world, capture):
    """Two events for ``member``, who reads decisions in the digest: the
    session validates one proposal and the commission rejects another."""
    member = world.people["member"]
    choose(member, atelier_kinds.PROPOSAL_DECIDED, Delivery.DIGEST)
    other = f.ProposalFactory(
        atelier=world.ours,
        enjeu=world.proposals[S.DRAFT].enjeu,
        number=91,
        title="Gardiens d’immeuble le soir",
        status=S.SUBMITTED,
        created_by=member,
        authors=[member],
    )
    validated = close_the_session(world, capture)
    with capture(execute=True):
        atelier_services.proposal_reject(
            proposal=other,
            acting_user=world.people["commission"],
            comment="Hors du champ du CUCS.",
        )
    return validated, other


class TestTheDigest:
    def test_one_e_mail_gathers_a_persons_events_with_their_links(
        self, world, mailoutbox, django_capture_on_commit_callbacks, settings
    ):
        settings.PORTAL_BASE_URL = "https://cucs.example.org"
        validated, rejected = two_decisions(world, django_capture_on_commit_callbacks)
        member = world.people["member"]
        mailoutbox.clear()

        counts = digests.send_digests()

        assert counts["sent"] == 1
        (message,) = [m for m in mailoutbox if m.to == [member.email]]
        assert message.subject.startswith("[Portail CUCS] ")
        assert "2" in message.subject
        assert message.body.startswith("Bonjour,")
        for proposal in (validated, rejected):
            assert proposal.reference in message.body
            assert (
                f"https://cucs.example.org{proposal.get_absolute_url()}" in message.body
            )
        assert "Hors du champ du CUCS." in message.body
        assert "https://cucs.example.org/compte/notifications/" in message.body
        assert DigestItem.objects.filter(user=member, digest__isnull=True).count() == 0

    def test_a_second_run_sends_nothing_again(
        self, world, mailoutbox, django_capture_on_commit_callbacks
    ):
        two_decisions(world, django_capture_on_commit_callbacks)
        digests.send_digests()
        mailoutbox.clear()

        assert digests.send_digests()["sent"] == 0
        assert mailoutbox == []

    def test_an_event_after_the_days_digest_waits_for_tomorrow(
        self, world, mailoutbox, django_capture_on_commit_callbacks
    ):
        member = world.people["member"]
        two_decisions(world, django_capture_on_commit_callbacks)
        digests.send_digests()
        DigestItem.objects.create(
            user=member, kind="proposal_decided", subject="Plus tard"
        )
        mailoutbox.clear()

        assert digests.send_digests()["already"] == 1
        assert mailoutbox == []
        tomorrow = timezone.now() + datetime.timedelta(days=1)
        assert digests.send_digests(now=tomorrow)["sent"] == 1
        (message,) = mailoutbox
        assert "Plus tard" in message.body
        assert Digest.objects.filter(user=member).count() == 2

    def test_a_refused_send_leaves_the_person_for_the_next_run(
        self, world, mailoutbox, django_capture_on_commit_callbacks, settings
    ):
        """The mail server refuses one person's digest (a worker killed before
        the commit leaves the same trace): the others are sent, theirs waits,
        and the next run sends only theirs, once."""
        two_decisions(world, django_capture_on_commit_callbacks)
        referent = world.people["landlord_referent"]
        choose(referent, atelier_kinds.PROPOSAL_DECIDED, Delivery.DIGEST)
        DigestItem.objects.create(
            user=referent, kind="proposal_decided", subject="Pour le référent"
        )
        mailoutbox.clear()
        settings.EMAIL_BACKEND = "tests.cucs_portal.test_notifications.RefusingBackend"
        RefusingBackend.refused = {referent.email}

        first = digests.send_digests()

        assert (first["sent"], first["failed"]) == (1, 1)
        assert addresses(mailoutbox) == [world.people["member"].email]
        assert not Digest.objects.filter(user=referent).exists()
        assert DigestItem.objects.filter(user=referent, digest__isnull=True).exists()
        RefusingBackend.refused = set()
        mailoutbox.clear()

        again = digests.send_digests()

        assert (again["sent"], again["failed"]) == (1, 0)
        assert addresses(mailoutbox) == [referent.email]

    def test_an_inactive_persons_waiting_events_are_dropped(self, world, mailoutbox):
        member = world.people["member"]
        DigestItem.objects.create(
            user=member, kind="proposal_decided", subject="Un événement"
        )
        type(member).objects.filter(pk=member.pk).update(is_active=False)

        assert digests.send_digests()["dropped"] == 1
        assert mailoutbox == []
        assert not DigestItem.objects.exists()

    def test_the_command_sends_them_by_hand(self, world, mailoutbox, capsys):
        DigestItem.objects.create(
            user=world.people["member"], kind="proposal_decided", subject="Un événement"
        )

        call_command("send_digests")

        assert "Digests sent 1" in capsys.readouterr().out
        assert addresses(mailoutbox) == [world.people["member"].email]


class RefusingBackend(EmailBackend):
    """The mail server refusing some addresses."""

    refused: set = set()

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & self.refused:
                raise OSError("550 refused")
        return super().send_messages(messages)


def waiting():
    return list(tasks.waiting_digest_tasks())


class TestTheSchedule:
    @pytest.mark.parametrize(
        ("now", "expected"),
        [
            ((2026, 12, 3, 6, 59), (2026, 12, 3, 7, 0)),
            ((2026, 12, 3, 7, 0), (2026, 12, 4, 7, 0)),
            ((2026, 12, 3, 23, 30), (2026, 12, 4, 7, 0)),
            # The night the clocks go forward is still at 07:00 Paris time.
            ((2027, 3, 27, 8, 0), (2027, 3, 28, 7, 0)),
        ],
    )
    def test_the_next_sending_time_is_the_next_seven_oclock_in_paris(
        self, now, expected
    ):
        at = digests.next_sending_time(datetime.datetime(*now, tzinfo=PARIS))
        assert at == datetime.datetime(*expected, tzinfo=PARIS)

    def test_at_most_one_digest_task_waits(self):
        assert tasks.schedule_next_digest() == 1
        assert tasks.schedule_next_digest() == 0
        (task,) = waiting()
        assert timezone.localtime(task.run_after).time() == datetime.time(7, 0)

    def test_the_task_sends_then_enqueues_the_next_run(self, world, mailoutbox):
        DigestItem.objects.create(
            user=world.people["member"], kind="proposal_decided", subject="Un événement"
        )
        # What the worker runs (the worker itself is run by the browser
        # journeys: here, in the module's transaction, it would close it).
        counts = tasks.send_daily_digests.call()

        assert counts["sent"] == 1
        assert addresses(mailoutbox) == [world.people["member"].email]
        (following,) = waiting()
        assert following.run_after > timezone.now()

    def test_the_worker_starting_schedules_the_digest(self):
        from cucs_portal.management.commands.worker import recover_interrupted_work

        assert recover_interrupted_work()["cucs_portal"] == {
            "tasks_failed": 0,
            "scheduled": 1,
        }
        assert recover_interrupted_work()["cucs_portal"]["scheduled"] == 0
        assert len(waiting()) == 1

    def test_a_run_killed_halfway_is_failed_and_retried_at_once(
        self, world, mailoutbox
    ):
        """The worker died while sending: the next one marks its task failed
        and brings the waiting run forward, which sends the people the dead
        run had not reached, and nobody twice."""
        member, referent = world.people["member"], world.people["landlord_referent"]
        for person in (member, referent):
            DigestItem.objects.create(
                user=person, kind="proposal_decided", subject="Un événement"
            )
        # The dead run had sent the member's digest, then died.
        digests._send_to(
            member.pk,
            day=timezone.localdate(),
            until=timezone.now(),
            connection=mail.get_connection(),
        )
        mailoutbox.clear()
        result = tasks.send_daily_digests.enqueue()
        DBTaskResult.objects.filter(pk=result.id).update(
            status=TaskResultStatus.RUNNING,
            started_at=timezone.now() - datetime.timedelta(hours=1),
        )

        recovered = tasks.recover_digests()

        assert recovered == {"tasks_failed": 1, "scheduled": 1}
        assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.FAILED
        (retry,) = waiting()
        assert retry.run_after <= timezone.now()
        tasks.send_daily_digests.call()
        assert addresses(mailoutbox) == [referent.email]
        assert len(waiting()) == 1


class TestThePage:
    def test_it_lists_every_kind_with_the_persons_choice(self, client, world):
        member = world.people["member"]
        choose(member, atelier_kinds.PROPOSAL_DECIDED, Delivery.DIGEST)
        client.force_login(member)

        html = client.get(reverse("notification_preferences")).content.decode()

        assert html.count('type="radio"') == 3 * len(notifications.kinds())
        assert (
            'name="proposal_decided" id="id_proposal_decided_1" value="digest" checked'
            in " ".join(html.split())
        )
        assert str(Delivery.DIGEST.label) in html
        assert reverse("notification_preferences") in html  # the header's link

    def test_saving_stores_only_what_differs_from_at_once(self, client, world):
        member = world.people["member"]
        client.force_login(member)
        data = dict.fromkeys(notifications.kinds(), Delivery.IMMEDIATE)
        data |= {"proposal_decided": Delivery.DIGEST, "round_opened": Delivery.NEVER}

        response = client.post(reverse("notification_preferences"), data)

        assert response.status_code == 302
        assert sorted(
            NotificationPreference.objects.filter(user=member).values_list(
                "kind", "delivery"
            )
        ) == [("proposal_decided", "digest"), ("round_opened", "never")]
        client.post(
            reverse("notification_preferences"),
            data | {"round_opened": Delivery.IMMEDIATE},
        )
        assert list(
            NotificationPreference.objects.filter(user=member).values_list(
                "kind", flat=True
            )
        ) == ["proposal_decided"]

    def test_a_forged_choice_is_a_form_error(self, client, world):
        client.force_login(world.people["member"])

        response = client.post(
            reverse("notification_preferences"), {"proposal_decided": "hourly"}
        )

        assert response.status_code == 200
        assert response.context["form"].errors["proposal_decided"]
        assert not NotificationPreference.objects.exists()

    def test_the_page_costs_the_same_queries_whatever_the_choices(
        self, client, world, django_assert_num_queries
    ):
        """Choices are read in one query, not one per kind."""
        member = world.people["member"]
        client.force_login(member)
        url = reverse("notification_preferences")
        # The session, the user, the choices, and the header's own reads.
        with django_assert_num_queries(6):
            client.get(url)
        for value in notifications.kinds():
            choose(member, value, Delivery.NEVER)
        with django_assert_num_queries(6):
            client.get(url)
