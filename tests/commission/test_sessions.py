"""The commission's sessions: the secretariat convenes one with an agenda,
each member organisation's delegate records one position per item, the
secretariat may record a meeting room's tally from the minutes, and closing
decides every item at once under the rule (tests/commission/test_session_rule.py
tests the rule itself; test_session_concurrency.py the races on PostgreSQL).

Each test builds its own small commission: three member organisations (Loire
Habitat, OPAC, Cité Nouvelle), each with one delegate, and a second delegate
for Loire Habitat.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ateliers.models import Proposal
from audit.models import AuditEvent
from axes.models import Axis
from commission import services
from commission.decision import Outcome
from commission.models import AgendaItem, CommissionSession, ItemPosition
from commission.verbs import CommissionVerb
from people.models import Organisation
from tests import factories as f
from tests.world import load_reference_fixtures

P = ItemPosition.Position
S = Proposal.Status
pytestmark = pytest.mark.django_db


@dataclass
class Commission:
    members: list
    delegates: list  # one per member, in order
    colleague: object  # a second delegate of members[0]
    secretariat: object
    atelier: object
    proposals: list = field(default_factory=list)
    author: object = None
    coanimator: object = None


@pytest.fixture
def commission(db) -> Commission:
    load_reference_fixtures()
    Organisation.objects.update(is_commission_member=False)
    Axis.objects.filter(number=1).update(
        status=Axis.Status.VALIDATED, validated_on=datetime.date(2006, 12, 14)
    )
    members = [
        f.OrganisationFactory(name=name, commission_member=True)
        for name in ("Loire Habitat", "OPAC de la Loire", "Cité Nouvelle")
    ]
    delegates = [
        f.UserFactory(organisation=org, is_commission_delegate=True, email=f"d{i}@x.fr")
        for i, org in enumerate(members)
    ]
    colleague = f.UserFactory(
        organisation=members[0], is_commission_delegate=True, email="colleague@x.fr"
    )
    atelier = f.AtelierFactory(axis=Axis.objects.get(number=1))
    author = f.UserFactory(email="author@x.fr", organisation=members[1])
    coanimator = f.UserFactory(email="referent@x.fr", organisation=members[1])
    f.AtelierMembershipFactory(atelier=atelier, user=author)
    f.AtelierMembershipFactory(atelier=atelier, user=coanimator, landlord_referent=True)
    world = Commission(
        members=members,
        delegates=delegates,
        colleague=colleague,
        secretariat=f.UserFactory(secretariat=True, email="secretariat@x.fr"),
        atelier=atelier,
        author=author,
        coanimator=coanimator,
    )
    world.proposals = [
        f.ProposalFactory(
            atelier=atelier, status=S.SUBMITTED, created_by=author, authors=[author]
        )
        for _ in range(3)
    ]
    return world


def when(day=21, hour=14):
    return timezone.make_aware(datetime.datetime(2007, 6, day, hour))


def convene(c: Commission, proposals=None, axes=()):
    return services.session_convene(
        starts_at=when(),
        place="Siège d’AMO2SM",
        proposals=c.proposals if proposals is None else proposals,
        axes=axes,
        acting_user=c.secretariat,
    )


def item_of(session, subject) -> AgendaItem:
    if isinstance(subject, Axis):
        return session.items.get(axis=subject)
    return session.items.get(proposal=subject)


def position(item, delegate, value, comment="", base_version=0):
    return services.item_position_record(
        item=item,
        organisation=delegate.organisation,
        position=value,
        comment=comment,
        base_version=base_version,
        acting_user=delegate,
    )


def close(c, session):
    return services.session_close(session=session, acting_user=c.secretariat)


class TestConvening:
    def test_the_agenda_holds_the_submitted_proposals_and_the_axes(self, commission):
        axis = Axis.objects.get(number=2)
        session = convene(commission, axes=[axis])

        assert session.is_convened
        assert sorted(session.items.values_list("proposal_id", flat=True), key=str) == (
            sorted([p.pk for p in commission.proposals] + [None], key=str)
        )
        assert session.items.filter(axis=axis).exists()
        event = AuditEvent.for_object(session).get()
        assert event.action == CommissionVerb.SESSION_CONVENE

    @pytest.mark.parametrize("status", [S.DRAFT, S.VALIDATED, S.CHANGES_REQUESTED])
    def test_only_submitted_proposals_go_on_an_agenda(self, commission, status):
        other = f.ProposalFactory(atelier=commission.atelier, status=status)
        with pytest.raises(services.RoundActionRefused):
            convene(commission, proposals=[other])
        assert not CommissionSession.objects.exists()

    def test_a_proposal_is_on_one_convened_agenda_at_a_time(self, commission):
        convene(commission, proposals=commission.proposals[:1])
        with pytest.raises(services.RoundActionRefused) as refused:
            convene(commission, proposals=commission.proposals[:2])
        assert commission.proposals[0].title in refused.value.message
        assert CommissionSession.objects.count() == 1

    def test_an_empty_agenda_is_refused(self, commission):
        with pytest.raises(services.RoundActionRefused):
            convene(commission, proposals=[])

    def test_the_delegates_and_each_proposals_people_are_told(
        self, commission, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            convene(commission, proposals=commission.proposals[:1])

        by_address = {}
        for mail in mailoutbox:
            by_address.setdefault(mail.to[0], []).append(mail.subject)
        delegates = {d.email for d in commission.delegates} | {"colleague@x.fr"}
        assert delegates <= set(by_address)
        assert set(by_address) == delegates | {"author@x.fr", "referent@x.fr"}
        assert any(
            commission.proposals[0].reference in subject
            for subject in by_address["author@x.fr"]
        )

    def test_an_item_with_positions_stays_on_the_agenda(self, commission):
        session = convene(commission)
        first = item_of(session, commission.proposals[0])
        position(first, commission.delegates[0], P.APPROVE)
        with pytest.raises(services.RoundActionRefused):
            services.session_update(
                session=session,
                base_version=session.version,
                starts_at=when(22),
                place="Ailleurs",
                proposals=commission.proposals[1:],
                axes=[],
                acting_user=commission.secretariat,
            )
        session.refresh_from_db()
        assert (session.place, session.items.count()) == ("Siège d’AMO2SM", 3)

    def test_changing_the_agenda_adds_and_removes_items(self, commission):
        session = convene(commission, proposals=commission.proposals[:1])
        changed = services.session_update(
            session=session,
            base_version=session.version,
            starts_at=when(22),
            place="Saint-Étienne Métropole",
            proposals=commission.proposals[1:],
            axes=[],
            acting_user=commission.secretariat,
        )
        assert set(changed.items.values_list("proposal_id", flat=True)) == {
            p.pk for p in commission.proposals[1:]
        }
        assert changed.version == session.version + 1

    def test_an_edit_made_on_an_older_version_is_refused(self, commission):
        from cucs_portal.records import EditConflict

        session = convene(commission)
        with pytest.raises(EditConflict):
            services.session_update(
                session=session,
                base_version=session.version - 1 if session.version > 1 else 99,
                starts_at=when(),
                place="Ailleurs",
                proposals=commission.proposals,
                axes=[],
                acting_user=commission.secretariat,
            )


class TestPositions:
    def test_one_position_per_organisation_changed_knowingly(self, commission):
        session = convene(commission)
        item = item_of(session, commission.proposals[0])
        first = position(item, commission.delegates[0], P.APPROVE)

        # The colleague opened the page before that save: told, nothing lost.
        with pytest.raises(services.PositionConflict) as conflict:
            position(item, commission.colleague, P.OPPOSE, "Hors CUCS.")
        assert conflict.value.current.pk == first.pk

        # Having seen it (its version), the colleague changes it.
        changed = position(
            item, commission.colleague, P.OPPOSE, "Hors CUCS.", base_version=1
        )
        assert (changed.pk, changed.version, changed.position) == (
            first.pk,
            2,
            P.OPPOSE,
        )
        assert ItemPosition.objects.filter(item=item).count() == 1

    @pytest.mark.parametrize(
        "value", [P.APPROVE_WITH_RESERVATIONS, P.REQUEST_CHANGES, P.OPPOSE]
    )
    def test_a_position_other_than_validate_says_why(self, commission, value):
        item = item_of(convene(commission), commission.proposals[0])
        with pytest.raises(services.RoundActionRefused):
            position(item, commission.delegates[0], value, "   ")
        assert not ItemPosition.objects.exists()

    def test_the_database_refuses_a_reason_less_rejection(self, commission):
        item = item_of(convene(commission), commission.proposals[0])
        with pytest.raises(IntegrityError), transaction.atomic():
            ItemPosition.objects.create(
                item=item,
                organisation=commission.members[0],
                position=P.OPPOSE,
                recorded_by=commission.delegates[0],
            )

    def test_a_non_member_organisation_takes_no_position(self, commission):
        item = item_of(convene(commission), commission.proposals[0])
        outsider = f.UserFactory(
            organisation=f.OrganisationFactory(), is_commission_delegate=True
        )
        with pytest.raises(services.RoundActionRefused):
            position(item, outsider, P.APPROVE)

    def test_no_position_once_closed(self, commission):
        session = convene(commission)
        close(commission, session)
        with pytest.raises(services.RoundActionRefused):
            position(
                item_of(session, commission.proposals[0]),
                commission.delegates[0],
                P.APPROVE,
            )


class TestMinutes:
    def test_more_votes_than_organisations_is_refused(self, commission):
        item = item_of(convene(commission), commission.proposals[0])
        with pytest.raises(services.RoundActionRefused) as refused:
            services.item_minutes_record(
                item=item,
                recorded=True,
                approve=3,
                abstain=1,
                acting_user=commission.secretariat,
            )
        assert "3" in refused.value.message
        item.refresh_from_db()
        assert not item.minutes_recorded

    def test_reservations_changes_or_rejections_need_the_minutes_comments(
        self, commission
    ):
        item = item_of(convene(commission), commission.proposals[0])
        with pytest.raises(services.RoundActionRefused):
            services.item_minutes_record(
                item=item,
                recorded=True,
                approve=1,
                changes=1,
                acting_user=commission.secretariat,
            )

    def test_the_minutes_tally_decides_instead_of_the_positions(
        self, commission, mailoutbox, django_capture_on_commit_callbacks
    ):
        session = convene(commission)
        item = item_of(session, commission.proposals[0])
        for delegate in commission.delegates:
            position(item, delegate, P.APPROVE)
        services.item_minutes_record(
            item=item,
            recorded=True,
            approve=1,
            oppose=2,
            comments="La commission juge l’action hors du champ du CUCS.",
            acting_user=commission.secretariat,
        )
        with django_capture_on_commit_callbacks(execute=True):
            close(commission, session)

        item.refresh_from_db()
        assert (item.outcome, item.decided_from) == (Outcome.REJECTED, "minutes")
        assert (item.approve_count, item.oppose_count) == (1, 2)
        proposal = Proposal.objects.get(pk=commission.proposals[0].pk)
        assert proposal.status == S.REJECTED
        mail = next(
            m
            for m in mailoutbox
            if m.to == ["author@x.fr"]
            and proposal.reference in m.subject
            and "hors du champ" in m.body
        )
        assert "1" in mail.body

    def test_unticked_the_item_is_decided_from_the_positions_again(self, commission):
        session = convene(commission)
        item = item_of(session, commission.proposals[0])
        services.item_minutes_record(
            item=item, recorded=True, approve=3, acting_user=commission.secretariat
        )
        services.item_minutes_record(
            item=item, recorded=False, approve=3, acting_user=commission.secretariat
        )
        item.refresh_from_db()
        assert (item.minutes_recorded, item.minutes_approve) == (False, 0)


class TestClosing:
    def test_closing_applies_each_outcome_with_its_figures_and_rule(
        self, commission, mailoutbox, django_capture_on_commit_callbacks
    ):
        validated, sent_back, deferred = commission.proposals
        session = convene(commission)
        d0, d1, d2 = commission.delegates
        position(item_of(session, validated), d0, P.APPROVE)
        position(
            item_of(session, validated),
            d1,
            P.APPROVE_WITH_RESERVATIONS,
            "Associer la CAF.",
        )
        position(
            item_of(session, sent_back), d0, P.REQUEST_CHANGES, "Chiffrer les moyens."
        )
        position(item_of(session, sent_back), d1, P.APPROVE)
        position(item_of(session, deferred), d2, P.APPROVE)  # 1 of 3: no quorum

        with django_capture_on_commit_callbacks(execute=True):
            closed = close(commission, session)

        assert closed.status == CommissionSession.Status.CLOSED
        statuses = dict(
            Proposal.objects.filter(
                pk__in=[p.pk for p in commission.proposals]
            ).values_list("pk", "status")
        )
        assert statuses == {
            validated.pk: S.VALIDATED,
            sent_back.pk: S.CHANGES_REQUESTED,
            deferred.pk: S.SUBMITTED,
        }
        item = item_of(closed, sent_back)
        assert (item.outcome, item.member_count, item.quorum_required) == (
            Outcome.CHANGES_REQUESTED,
            3,
            2,
        )
        assert (item.approve_count, item.changes_count, item.abstain_count) == (1, 1, 0)
        assert "2/" not in item.rule or "1/2" in item.rule
        assert "Loire Habitat" in item.comments_sent
        assert "Chiffrer les moyens." in item.comments_sent
        # The atelier reads the consolidated comments on the proposal's journal.
        event = AuditEvent.for_object(sent_back).get(action="request_changes")
        assert "Chiffrer les moyens." in event.comment
        assert event.actor == commission.secretariat
        # The authors hear every decision, deferral included.
        to_author = [m for m in mailoutbox if m.to == ["author@x.fr"]]
        assert {validated.reference, sent_back.reference, deferred.reference} <= {
            ref
            for m in to_author
            for ref in (validated.reference, sent_back.reference, deferred.reference)
            if ref in m.subject
        }
        assert any("Chiffrer les moyens." in m.body for m in to_author)

    def test_an_axis_validated_in_the_session_lets_its_proposals_be_validated(
        self, commission
    ):
        axis = Axis.objects.get(number=2)
        atelier = f.AtelierFactory(axis=axis)
        proposal = f.ProposalFactory(atelier=atelier, status=S.SUBMITTED)
        session = convene(commission, proposals=[proposal], axes=[axis])
        for delegate in commission.delegates[:2]:
            position(item_of(session, axis), delegate, P.APPROVE)
            position(item_of(session, proposal), delegate, P.APPROVE)

        close(commission, session)

        axis.refresh_from_db()
        proposal.refresh_from_db()
        assert (axis.status, proposal.status) == (Axis.Status.VALIDATED, S.VALIDATED)

    def test_a_majority_on_a_proposal_of_an_axis_not_validated_defers_it(
        self, commission
    ):
        atelier = f.AtelierFactory(axis=Axis.objects.get(number=3))
        proposal = f.ProposalFactory(atelier=atelier, status=S.SUBMITTED)
        session = convene(commission, proposals=[proposal])
        for delegate in commission.delegates:
            position(item_of(session, proposal), delegate, P.APPROVE)

        close(commission, session)

        proposal.refresh_from_db()
        item = item_of(session, proposal)
        assert (proposal.status, item.outcome) == (S.SUBMITTED, Outcome.DEFERRED)
        assert item.note

    def test_a_former_members_position_stays_but_no_longer_weighs(self, commission):
        session = convene(commission)
        item = item_of(session, commission.proposals[0])
        d0, d1, d2 = commission.delegates
        position(item, d0, P.OPPOSE, "Non.")
        position(item, d1, P.APPROVE)
        position(item, d2, P.APPROVE)
        Organisation.objects.filter(pk=d2.organisation_id).update(
            is_commission_member=False
        )

        close(commission, session)

        item.refresh_from_db()
        assert (item.member_count, item.approve_count, item.oppose_count) == (2, 1, 1)
        assert "Non." in item.comments_sent
        assert "Plus membre." not in item.comments_sent
        assert item.outcome == Outcome.CHANGES_REQUESTED
        assert ItemPosition.objects.filter(item=item).count() == 3

    def test_a_failure_while_closing_decides_nothing(self, commission, monkeypatch):
        """Everything or nothing: a failure on the last item leaves the session
        convened and every proposal submitted."""
        session = convene(commission)
        for p in commission.proposals:
            for delegate in commission.delegates:
                position(item_of(session, p), delegate, P.APPROVE)
        calls = []
        original = services.PROPOSAL_OUTCOMES[Outcome.VALIDATED]

        def fail_on_third(**kwargs):
            calls.append(kwargs["proposal"].pk)
            if len(calls) == 3:
                raise RuntimeError("the database went away")
            return original(**kwargs)

        monkeypatch.setitem(
            services.PROPOSAL_OUTCOMES, Outcome.VALIDATED, fail_on_third
        )
        with pytest.raises(RuntimeError):
            close(commission, session)

        session.refresh_from_db()
        assert session.is_convened
        assert set(
            Proposal.objects.filter(pk__in=calls).values_list("status", flat=True)
        ) == {S.SUBMITTED}
        assert not AgendaItem.objects.exclude(outcome="").exists()

    def test_closing_twice_is_refused(self, commission):
        session = convene(commission)
        close(commission, session)
        with pytest.raises(services.RoundActionRefused):
            close(commission, session)
        assert (
            AuditEvent.for_object(session)
            .filter(action=CommissionVerb.SESSION_CLOSE)
            .count()
            == 1
        )


def signed_in(client, user):
    client.force_login(user)
    return client


class TestPages:
    def test_the_agenda_page_has_a_flat_query_count(
        self, client, commission, django_assert_max_num_queries
    ):
        """Four items or forty: the same queries (no query per item or per
        organisation)."""
        small = convene(commission, proposals=commission.proposals[:1])
        many = [
            f.ProposalFactory(atelier=commission.atelier, status=S.SUBMITTED)
            for _ in range(12)
        ]
        large = services.session_convene(
            starts_at=when(28),
            place="Saint-Étienne",
            proposals=many,
            axes=[],
            acting_user=commission.secretariat,
        )
        for p in many:
            for delegate in commission.delegates:
                position(
                    item_of(large, p), delegate, P.APPROVE_WITH_RESERVATIONS, "Oui."
                )
        browser = signed_in(client, commission.delegates[0])
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            assert browser.get(small.get_absolute_url()).status_code == 200
        with CaptureQueriesContext(connection) as lots:
            assert browser.get(large.get_absolute_url()).status_code == 200
        assert len(lots) == len(few)

    def test_a_position_without_its_reason_keeps_what_was_typed(
        self, client, commission
    ):
        session = convene(commission)
        item = item_of(session, commission.proposals[0])
        browser = signed_in(client, commission.delegates[0])
        response = browser.post(
            reverse(
                "commission:item_position",
                kwargs={"pk": session.pk, "item_pk": item.pk},
            ),
            {
                f"item{item.pk}-position": P.OPPOSE,
                f"item{item.pk}-comment": "",
                f"item{item.pk}-base_version": "0",
            },
        )
        assert response.status_code == 400
        assert "Motivez le rejet." in response.content.decode()
        assert not ItemPosition.objects.exists()

    def test_the_second_delegate_is_told_and_keeps_their_text(self, client, commission):
        session = convene(commission)
        item = item_of(session, commission.proposals[0])
        position(item, commission.delegates[0], P.APPROVE)
        browser = signed_in(client, commission.colleague)
        typed = "Nous demandons un chiffrage précis, bailleur par bailleur."
        response = browser.post(
            reverse(
                "commission:item_position",
                kwargs={"pk": session.pk, "item_pk": item.pk},
            ),
            {
                f"item{item.pk}-position": P.REQUEST_CHANGES,
                f"item{item.pk}-comment": typed,
                f"item{item.pk}-base_version": "0",
            },
        )
        assert response.status_code == 409
        page = response.content.decode()
        assert typed in page
        assert str(commission.delegates[0]) in page
        assert ItemPosition.objects.get(item=item).position == P.APPROVE
        # Saving again from that page replaces it knowingly.
        again = browser.post(
            reverse(
                "commission:item_position",
                kwargs={"pk": session.pk, "item_pk": item.pk},
            ),
            {
                f"item{item.pk}-position": P.REQUEST_CHANGES,
                f"item{item.pk}-comment": typed,
                f"item{item.pk}-base_version": "1",
            },
        )
        assert again.status_code == 302
        assert ItemPosition.objects.get(item=item).position == P.REQUEST_CHANGES

    def test_an_item_of_another_session_is_not_found(self, client, commission):
        first = convene(commission, proposals=commission.proposals[:1])
        second = services.session_convene(
            starts_at=when(28),
            place="Ailleurs",
            proposals=commission.proposals[1:],
            axes=[],
            acting_user=commission.secretariat,
        )
        other_item = second.items.first()
        browser = signed_in(client, commission.delegates[0])
        response = browser.post(
            reverse(
                "commission:item_position",
                kwargs={"pk": first.pk, "item_pk": other_item.pk},
            ),
            {
                f"item{other_item.pk}-position": P.APPROVE,
                f"item{other_item.pk}-base_version": "0",
            },
        )
        assert response.status_code == 404
        assert not ItemPosition.objects.exists()

    def test_the_secretariat_convenes_from_the_form(self, client, commission):
        browser = signed_in(client, commission.secretariat)
        url = reverse("commission:session_create")
        page = browser.get(url)
        assert page.status_code == 200
        assert commission.proposals[0].title in page.content.decode()
        response = browser.post(
            url,
            {
                "date": "2007-06-21",
                "time": "14:30",
                "place": "Siège d’AMO2SM",
                "proposals": [p.pk for p in commission.proposals],
            },
        )
        session = CommissionSession.objects.get()
        assert response.status_code == 302
        assert (
            timezone.localtime(session.starts_at).strftime("%d/%m/%Y %H:%M")
            == "21/06/2007 14:30"
        )
        assert session.items.count() == 3

    def test_a_form_without_date_or_agenda_says_so(self, client, commission):
        browser = signed_in(client, commission.secretariat)
        response = browser.post(
            reverse("commission:session_create"),
            {"date": "31/02/2007", "time": "14:00", "place": "x" * 300},
        )
        assert response.status_code in (200, 400)
        assert not CommissionSession.objects.exists()
        assert response.context["form"].errors


class TestHostileDates:
    """A date far in the past or the future: a clear message in the form,
    never a 500, and what was typed kept."""

    @staticmethod
    def data(c, date):
        return {
            "date": date,
            "time": "00:05",
            "place": "Salle du conseil",
            "proposals": [p.pk for p in c.proposals],
        }

    @pytest.mark.parametrize("date", ["0001-01-01", "1899-12-31", "9999-12-31"])
    def test_a_date_out_of_the_years_of_sessions_is_refused_in_the_form(
        self, client, commission, date
    ):
        """Year 1 at 00:05 in Paris is before year 1 in UTC: it used to reach
        the database and fail with an OverflowError (a 500)."""
        client.force_login(commission.secretariat)

        response = client.post(
            reverse("commission:session_create"), self.data(commission, date)
        )

        assert response.status_code == 400
        assert "date" in response.context["form"].errors
        assert "Salle du conseil" in response.content.decode()
        assert not CommissionSession.objects.exists()

    def test_changing_a_session_to_year_one_is_refused_in_the_form(
        self, client, commission
    ):
        session = convene(commission)
        client.force_login(commission.secretariat)

        response = client.post(
            reverse("commission:session_update", kwargs={"pk": session.pk}),
            {**self.data(commission, "0001-01-01"), "base_version": session.version},
        )

        assert response.status_code == 400
        assert "date" in response.context["form"].errors
        session.refresh_from_db()
        assert session.starts_at.year == 2007


class TestNoChangesOnAnAxis:
    """An axis is validated or stays proposed: as the minutes refuse changes
    requested on an axis, so do the positions (the form does not offer it, and
    a forged POST is refused)."""

    def test_the_service_refuses_changes_requested_on_an_axis(self, commission):
        axis = Axis.objects.get(number=2)
        session = convene(commission, axes=[axis])

        with pytest.raises(services.RoundActionRefused):
            position(
                item_of(session, axis), commission.delegates[0], P.REQUEST_CHANGES, "x"
            )
        assert not ItemPosition.objects.exists()

    def test_a_forged_post_is_refused_in_the_form(self, client, commission):
        axis = Axis.objects.get(number=2)
        session = convene(commission, axes=[axis])
        item = item_of(session, axis)
        client.force_login(commission.delegates[0])
        prefix = f"item{item.pk}-"

        response = client.post(
            reverse(
                "commission:item_position",
                kwargs={"pk": session.pk, "item_pk": item.pk},
            ),
            {
                f"{prefix}position": P.REQUEST_CHANGES,
                f"{prefix}comment": "Revoir l’axe.",
                f"{prefix}base_version": 0,
            },
        )

        assert response.status_code == 400
        assert "Revoir l’axe." in response.content.decode()
        assert not ItemPosition.objects.exists()


class TestTamperedVersions:
    """The hidden version is nobody's typing: a tampered value is an edit
    conflict (the record as saved now, the text kept), never an error on a
    field the person cannot see."""

    @pytest.mark.parametrize("tampered", ["abc", "1.5", "-3", ""])
    def test_a_position_with_a_tampered_version(self, client, commission, tampered):
        session = convene(commission)
        item = item_of(session, commission.proposals[0])
        position(item, commission.delegates[0], P.APPROVE)
        browser = signed_in(client, commission.colleague)
        typed = "Un chiffrage par bailleur, s’il vous plaît."

        response = browser.post(
            reverse(
                "commission:item_position",
                kwargs={"pk": session.pk, "item_pk": item.pk},
            ),
            {
                f"item{item.pk}-position": P.REQUEST_CHANGES,
                f"item{item.pk}-comment": typed,
                f"item{item.pk}-base_version": tampered,
            },
        )

        assert response.status_code == 409
        page = response.content.decode()
        assert typed in page
        assert str(commission.delegates[0]) in page
        assert ItemPosition.objects.get(item=item).position == P.APPROVE

    def test_a_session_saved_with_a_tampered_version(self, client, commission):
        session = convene(commission)
        browser = signed_in(client, commission.secretariat)

        response = browser.post(
            reverse("commission:session_update", kwargs={"pk": session.pk}),
            {
                "date": "2007-06-22",
                "time": "15:00",
                "place": "Un autre lieu",
                "proposals": [p.pk for p in commission.proposals],
                "base_version": "x",
            },
        )

        assert response.status_code == 409
        assert "Un autre lieu" in response.content.decode()
        session.refresh_from_db()
        assert session.place == "Siège d’AMO2SM"
