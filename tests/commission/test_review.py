"""The commission decides on submitted proposals: validate (only once their axis
is validated), send back to the atelier with what to change, or reject with the
reason. It decides in its sessions (tests/commission/test_sessions.py and the
matrix of tests/test_urls.py), whose closing calls the services below; each
decision is one transition, with one revision in the proposal's history, one
entry in the audit log and an e-mail to the proposal's authors and the
atelier's co-animators.

In the world, axis 1 (atelier ``ours``) is validated and axis 2 (``theirs``) is
not; the submitted proposal of ``ours`` is on the agenda of a convened session.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from ateliers import selectors as atelier_selectors
from ateliers import services
from ateliers.models import Proposal
from ateliers.verbs import AteliersVerb
from audit.models import AuditEvent
from tests.matrix import CONFIRMED

S = Proposal.Status
pytestmark = pytest.mark.django_db

ACTIONS = {
    "validate": (services.proposal_validate, S.VALIDATED),
    "request_changes": (services.proposal_request_changes, S.CHANGES_REQUESTED),
    "reject": (services.proposal_reject, S.REJECTED),
}
COMMENT = "Chiffrer les moyens humains, commune par commune."


def state(proposal) -> tuple:
    """What a decision changes, for one proposal."""
    proposal = Proposal.objects.get(pk=proposal.pk)
    return (
        proposal.status,
        proposal.version,
        proposal.revisions.count(),
        AuditEvent.for_object(proposal).count(),
    )


def flashed(response, level) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == level]


class TestTheServices:
    @pytest.mark.parametrize("action", ACTIONS)
    @pytest.mark.parametrize("status", sorted(set(S.values) - {S.SUBMITTED}))
    def test_only_a_submitted_proposal_is_decided(self, world, status, action):
        """Deciding on a proposal that is not waiting is refused, whoever asks:
        nothing changes."""
        service, _to = ACTIONS[action]
        proposal = world.proposals[status]
        before = state(proposal)

        with pytest.raises(services.TransitionNotAllowed) as refused:
            service(
                proposal=proposal,
                acting_user=world.people["commission"],
                comment=COMMENT,
            )

        assert refused.value.status == status
        assert state(proposal) == before

    def test_validating_needs_a_validated_axis(self, world):
        """A proposal of an axis the commission has not validated cannot be
        validated: refused with a message saying why; nothing changes."""
        proposal = world.their_proposals[S.SUBMITTED]
        before = state(proposal)

        with pytest.raises(services.AxisNotValidated) as refused:
            services.proposal_validate(
                proposal=proposal, acting_user=world.people["commission"]
            )

        assert (
            refused.value.message
            != services.TransitionNotAllowed(S.SUBMITTED, "validate").message
        )
        assert state(proposal) == before

    @pytest.mark.parametrize("action", ["request_changes", "reject"])
    def test_on_a_proposed_axis_the_commission_still_sends_back_or_rejects(
        self, world, action
    ):
        """Only validating waits for the axis."""
        service, to = ACTIONS[action]
        proposal = world.their_proposals[S.SUBMITTED]

        decided = service(
            proposal=proposal, acting_user=world.people["commission"], comment=COMMENT
        )

        assert decided.status == to

    @pytest.mark.parametrize("action", ["request_changes", "reject"])
    @pytest.mark.parametrize("comment", ["", "   \n  "])
    def test_sending_back_or_rejecting_needs_a_comment(self, world, action, comment):
        """The atelier must read what to change or why: without a comment,
        refused; nothing changes."""
        service, _to = ACTIONS[action]
        proposal = world.proposals[S.SUBMITTED]
        before = state(proposal)

        with pytest.raises(services.CommentRequired):
            service(
                proposal=proposal,
                acting_user=world.people["commission"],
                comment=comment,
            )

        assert state(proposal) == before

    @pytest.mark.parametrize("action", ACTIONS)
    def test_a_decision_is_one_revision_and_one_audit_entry(self, world, action):
        """The history gets one version, by the commission member, with the new
        status; the audit log one entry: who, for which organisation, from and
        to which status, with the comment."""
        service, to = ACTIONS[action]
        proposal = world.proposals[S.SUBMITTED]
        delegate = world.people["commission"]
        revisions, events = proposal.revisions.count(), AuditEvent.objects.count()

        decided = service(
            proposal=proposal, acting_user=delegate, comment=f"  {COMMENT}  "
        )

        assert decided.revisions.count() == revisions + 1
        revision = decided.revisions.latest("version")
        assert (revision.version, revision.author, revision.snapshot["status"]) == (
            decided.version,
            delegate,
            to,
        )
        assert revision.changed_fields == ["status"]
        assert AuditEvent.objects.count() == events + 1
        event = AuditEvent.for_object(decided).get()
        assert (
            event.action,
            event.actor,
            event.actor_organisation,
            event.from_status,
            event.to_status,
            event.comment,
            event.target_label,
        ) == (
            action,
            delegate,
            delegate.organisation,
            S.SUBMITTED,
            to,
            COMMENT,
            str(decided),
        )


@pytest.mark.parametrize(
    ("service", "status", "role", "to"),
    [
        (services.proposal_submit, S.DRAFT, "public_coanimator", S.SUBMITTED),
        (
            services.proposal_submit,
            S.CHANGES_REQUESTED,
            "landlord_referent",
            S.SUBMITTED,
        ),
        (services.proposal_withdraw, S.DRAFT, "member", S.WITHDRAWN),
    ],
)
def test_the_ateliers_transitions_are_in_the_audit_log_too(
    world, service, status, role, to
):
    """Submitting and withdrawing leave the same trace as the commission's
    decisions: one revision, one audit entry with who and from where."""
    proposal = world.proposals[status]
    person = world.people[role]
    revisions = proposal.revisions.count()

    service(proposal=proposal, acting_user=person)

    assert proposal.revisions.count() == revisions + 1
    event = AuditEvent.for_object(proposal).get()
    assert (
        event.actor,
        event.actor_organisation,
        event.from_status,
        event.to_status,
    ) == (person, person.organisation, status, to)


@pytest.mark.parametrize(
    ("service", "status", "role", "queries"),
    [
        # The savepoint and its release, the lock, the history's two
        # snapshots (the relations read once), the save, the revision, the
        # proposal's content type, the audit entry, the e-mail's recipients
        # and their notification preferences (cucs_portal/notifications.py).
        (services.proposal_submit, S.DRAFT, "public_coanimator", 19),
        # And the axis's lock, read from the proposal as the page loaded it
        # (its atelier is not read again).
        (services.proposal_validate, S.SUBMITTED, "commission", 20),
    ],
)
def test_a_transition_costs_the_queries_it_did_before_the_kernel(
    world,
    service,
    status,
    role,
    queries,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    """The proposal as its page loads it (ateliers.selectors.proposal_detail):
    moving it through the kernel's transition reads each of its relations once
    for the history, as the service did before the kernel."""
    proposal = atelier_selectors.proposal_detail(pk=world.proposals[status].pk)
    person = world.people[role]
    # Whether an earlier test left the content types cached or not.
    ContentType.objects.clear_cache()

    with (
        django_assert_num_queries(queries, exact=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        service(proposal=proposal, acting_user=person)


class TestTheReviewQueue:
    def test_it_lists_the_submitted_proposals_by_axis(self, client, world):
        """Every submitted proposal, of every atelier, grouped by axis; nothing
        else."""
        client.force_login(world.people["commission"])

        response = client.get(reverse("commission:review_queue"))

        groups = {
            axis.number: proposals for axis, proposals in response.context["groups"]
        }
        assert groups == {
            1: [world.proposals[S.SUBMITTED]],
            2: [world.their_proposals[S.SUBMITTED]],
        }
        assert response.context["total"] == 2

    def test_a_decided_proposal_leaves_the_queue(self, client, world):
        services.proposal_validate(
            proposal=world.proposals[S.SUBMITTED],
            acting_user=world.people["secretariat"],
        )
        client.force_login(world.people["commission"])

        response = client.get(reverse("commission:review_queue"))

        assert response.context["total"] == 1

    def test_each_proposal_shows_the_convened_session_it_is_on(self, client, world):
        """The submitted proposal of ``ours`` links to the convened session's
        agenda; the one of ``theirs`` is on no agenda yet (the closed session
        examined another)."""
        client.force_login(world.people["commission"])

        response = client.get(reverse("commission:review_queue"))

        by_pk = {
            proposal.pk: proposal.convened_session
            for _axis, proposals in response.context["groups"]
            for proposal in proposals
        }
        ours, theirs = world.proposals[S.SUBMITTED], world.their_proposals[S.SUBMITTED]
        assert by_pk == {ours.pk: world.sessions["convened"], theirs.pk: None}
        html = response.content.decode()
        agenda = world.sessions["convened"].get_absolute_url()
        assert f'href="{agenda}#item-proposal-{ours.pk}"' in html
        with translation.override("fr"):
            not_yet = gettext("Not on an agenda yet")
        assert html.count(not_yet) == 1

    @pytest.mark.parametrize(
        ("role", "shown"),
        [("secretariat", True), ("superuser", True), ("commission", False)],
    )
    def test_the_secretariat_is_offered_to_convene_a_session(
        self, client, world, role, shown
    ):
        client.force_login(world.people[role])

        response = client.get(reverse("commission:review_queue"))

        button = f'href="{reverse("commission:session_create")}"'
        assert (button in response.content.decode()) is shown


class TestWhatTheAtelierSees:
    @pytest.mark.parametrize("action", ACTIONS)
    @pytest.mark.parametrize("role", ["landlord_referent", "member", "commission"])
    def test_the_atelier_reads_the_commissions_comment_on_the_proposal(
        self, client, world, action, role
    ):
        """The atelier finds on the proposal page what the commission asked it
        to change, or why it rejected or validated it."""
        service, _to = ACTIONS[action]
        proposal = world.proposals[S.SUBMITTED]
        service(
            proposal=proposal, acting_user=world.people["commission"], comment=COMMENT
        )
        client.force_login(world.people[role])

        response = client.get(proposal.get_absolute_url())

        assert COMMENT in response.content.decode()

    def test_partners_do_not_read_the_commissions_comment(self, client, world):
        """Partners read the validated proposal, not the working group's
        exchanges with the commission."""
        proposal = world.proposals[S.SUBMITTED]
        services.proposal_validate(
            proposal=proposal, acting_user=world.people["commission"], comment=COMMENT
        )
        client.force_login(world.people["partner"])

        response = client.get(proposal.get_absolute_url())

        assert response.status_code == 200
        assert COMMENT not in response.content.decode()

    def test_after_changes_requested_the_atelier_edits_and_resubmits(
        self, client, world
    ):
        """Sent back, the proposal is editable again; a co-animator submits it
        again and it is back in the queue, with the new version."""
        proposal = world.proposals[S.SUBMITTED]
        services.proposal_request_changes(
            proposal=proposal, acting_user=world.people["commission"], comment=COMMENT
        )
        referent = world.people["landlord_referent"]
        client.force_login(referent)

        edit = client.get(
            reverse("ateliers:proposal_update", kwargs={"pk": proposal.pk})
        )
        response = client.post(
            reverse("ateliers:proposal_submit", kwargs={"pk": proposal.pk}), CONFIRMED
        )

        assert edit.status_code == 200
        assert (response.status_code, response.url) == (
            302,
            proposal.get_absolute_url(),
        )
        resubmitted = Proposal.objects.get(pk=proposal.pk)
        assert resubmitted.status == S.SUBMITTED
        assert list(
            AuditEvent.for_object(proposal)
            .order_by("pk")
            .values_list("action", "actor")
        ) == [
            (AteliersVerb.REQUEST_CHANGES, world.people["commission"].pk),
            (AteliersVerb.SUBMIT, referent.pk),
        ]

    def test_the_history_shows_the_decision(self, client, world):
        """The new version of the proposal's history is the commission's."""
        proposal = world.proposals[S.SUBMITTED]
        services.proposal_reject(
            proposal=proposal, acting_user=world.people["commission"], comment=COMMENT
        )
        client.force_login(world.people["member"])

        response = client.get(
            reverse("ateliers:proposal_history", kwargs={"pk": proposal.pk})
        )

        latest = response.context["revisions"][0]
        assert (latest.author, latest.snapshot["status"]) == (
            world.people["commission"],
            S.REJECTED,
        )


class TestEmails:
    @pytest.mark.parametrize("action", ACTIONS)
    def test_the_authors_and_co_animators_get_the_decision_and_the_comment(
        self, world, action, mailoutbox, django_capture_on_commit_callbacks, settings
    ):
        """One e-mail each to the proposal's authors (a volunteer and the
        landlord referent) and the atelier's co-animators (the landlord referent
        again, once, and the public co-animator); none to anybody else (the
        atelier's other volunteers, the other atelier, the commission); with
        the status, the comment and the proposal's absolute address."""
        settings.PORTAL_BASE_URL = "https://cucs.example.org"
        service, _to = ACTIONS[action]
        proposal = world.proposals[S.SUBMITTED]

        with django_capture_on_commit_callbacks(execute=True):
            decided = service(
                proposal=proposal,
                acting_user=world.people["commission"],
                comment=COMMENT,
            )

        assert sorted(m.to for m in mailoutbox) == sorted(
            [
                [world.people["member"].email],
                [world.people["landlord_referent"].email],
                [world.people["public_coanimator"].email],
            ]
        )
        message = mailoutbox[0]
        assert decided.reference in message.subject
        assert str(decided.get_status_display()) in message.subject
        assert COMMENT in message.body
        assert f"https://cucs.example.org{proposal.get_absolute_url()}" in message.body

    def test_a_refused_decision_sends_nothing(
        self, world, mailoutbox, django_capture_on_commit_callbacks
    ):
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(services.AxisNotValidated),
        ):
            services.proposal_validate(
                proposal=world.their_proposals[S.SUBMITTED],
                acting_user=world.people["commission"],
            )

        assert mailoutbox == []

    def test_the_commission_is_told_of_a_submitted_proposal(
        self, client, world, mailoutbox, django_capture_on_commit_callbacks, settings
    ):
        """When a co-animator submits, every active commission delegate gets
        an e-mail with the proposal's reference and address."""
        settings.PORTAL_BASE_URL = "https://cucs.example.org"
        proposal = world.proposals[S.DRAFT]
        client.force_login(world.people["public_coanimator"])

        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("ateliers:proposal_submit", kwargs={"pk": proposal.pk}),
                CONFIRMED,
            )

        assert [m.to for m in mailoutbox] == [[world.people["commission"].email]]
        (message,) = mailoutbox
        assert proposal.reference in message.subject
        assert proposal.title in message.body
        assert f"https://cucs.example.org{proposal.get_absolute_url()}" in message.body

    def test_the_emails_are_in_french(
        self, client, world, mailoutbox, django_capture_on_commit_callbacks
    ):
        """Even when the secretariat, closing the session that decides, chose
        English for the pages."""
        client.force_login(world.people["secretariat"])
        client.post(reverse("set_language"), {"language": "en"})
        session = world.sessions["convened"]

        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("commission:session_close", kwargs={"pk": session.pk}),
                CONFIRMED,
            )

        assert Proposal.objects.get(pk=world.proposals[S.SUBMITTED].pk).status == (
            S.VALIDATED
        )
        (message, *_) = mailoutbox
        assert message.body.startswith("Bonjour")
        assert "Proposition" in message.subject
