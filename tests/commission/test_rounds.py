"""Validation rounds: the secretariat opens one on some axes, the delegate of
each member organisation records its position while it is open, the
secretariat closes it and the portal decides each axis by the rule.

The world (tests/world.py) has two member organisations, Loire Habitat (whose
delegate is ``commission``) and Métropole Habitat (no delegate), a closed round
that validated axis 1 and an open round on axes 2 and 3 where Loire Habitat
answered on axis 2 only.
"""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from audit.models import AuditEvent
from axes.models import Axis
from commission import services
from commission.models import AxisDecision, AxisPosition, ValidationRound
from commission.verbs import CommissionVerb
from people.models import Organisation
from tests import factories as f
from tests.matrix import CONFIRMED

P = AxisPosition.Position
pytestmark = pytest.mark.django_db


def axis(number: int) -> Axis:
    return Axis.objects.get(number=number)


def signed_in(client, user):
    client.force_login(user)
    return client


def position_data(axis_, position="", comment="") -> dict:
    """What the round page posts for ``axis_``: its form, prefixed."""
    prefix = f"axis{axis_.pk}"
    data = {"prefix": prefix, f"{prefix}-axis": axis_.pk, f"{prefix}-comment": comment}
    if position:
        data[f"{prefix}-position"] = position
    return data


def positions_state() -> list:
    return list(
        AxisPosition.objects.order_by("pk").values_list(
            "round_id", "axis_id", "organisation_id", "position", "comment"
        )
    )


def more_members(n: int) -> list[Organisation]:
    """``n`` more member organisations, each with its delegate."""
    organisations = f.OrganisationFactory.create_batch(n, commission_member=True)
    for organisation in organisations:
        f.UserFactory(organisation=organisation, is_commission_delegate=True)
    return organisations


class TestOpening:
    def test_the_secretariat_opens_a_round_on_the_axes_chosen(self, client, world):
        """The form proposes the axes not validated yet; the round opens on the
        axes ticked, with an entry in the audit log."""
        client = signed_in(client, world.people["secretariat"])
        form = client.get(reverse("commission:round_create")).context["form"]
        assert {a.number for a in form.initial["axes"]} == {2, 3, 4, 5, 6}

        response = client.post(
            reverse("commission:round_create"),
            {"title": "Commission CUCS, juin 2007", "axes": [axis(4).pk, axis(5).pk]},
        )

        opened = ValidationRound.objects.latest("pk")
        assert (response.status_code, response.url) == (
            302,
            opened.get_absolute_url(),
        )
        assert opened.title == "Commission CUCS, juin 2007"
        assert opened.is_open
        assert opened.opened_by == world.people["secretariat"]
        assert {a.number for a in opened.axes.all()} == {4, 5}
        (event,) = AuditEvent.for_object(opened)
        assert (event.action, event.actor, event.to_status) == (
            CommissionVerb.ROUND_OPEN,
            world.people["secretariat"],
            ValidationRound.Status.OPEN,
        )

    def test_a_round_needs_an_axis(self, client, world):
        """Without an axis ticked, the form says so and nothing opens."""
        client = signed_in(client, world.people["secretariat"])
        count = ValidationRound.objects.count()

        response = client.post(
            reverse("commission:round_create"), {"title": "Commission sans ordre"}
        )

        assert response.status_code == 200
        assert response.context["form"].errors["axes"]
        assert ValidationRound.objects.count() == count

    def test_the_service_refuses_a_round_without_axis(self, world):
        with pytest.raises(services.RoundActionRefused):
            services.round_open(
                title="Vide", axes=[], acting_user=world.people["secretariat"]
            )

    def test_every_active_delegate_is_told_with_a_link_to_the_round(
        self, world, mailoutbox, django_capture_on_commit_callbacks, settings
    ):
        """Each active delegate with an address gets one e-mail of their own
        (nobody sees the others' addresses), in French, with the axes and the
        round's absolute address; inactive delegates, delegates without an
        address and everyone else get nothing."""
        settings.PORTAL_BASE_URL = "https://cucs.example.org"
        silent = world.commission_members[1]
        second = f.UserFactory(
            username="delegue-2", organisation=silent, is_commission_delegate=True
        )
        f.UserFactory(
            username="parti",
            organisation=silent,
            is_commission_delegate=True,
            is_active=False,
        )
        f.UserFactory(
            username="sans-adresse",
            organisation=silent,
            is_commission_delegate=True,
            email="",
        )

        with django_capture_on_commit_callbacks(execute=True):
            validation_round = services.round_open(
                title="Commission CUCS, juin 2007",
                axes=[axis(4), axis(5)],
                acting_user=world.people["secretariat"],
            )

        assert sorted(m.to for m in mailoutbox) == [
            [world.people["commission"].email],
            [second.email],
        ]
        message = mailoutbox[0]
        assert "Commission CUCS, juin 2007" in message.subject
        link = f"https://cucs.example.org{validation_round.get_absolute_url()}"
        assert link in message.body
        assert str(axis(4)) in message.body and str(axis(5)) in message.body

    def test_no_mail_when_the_opening_is_rolled_back(
        self, world, mailoutbox, django_capture_on_commit_callbacks
    ):
        """E-mails leave on commit: a round that was not saved announces
        nothing."""
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.round_open(
                title="Commission CUCS, juin 2007",
                axes=[axis(4)],
                acting_user=world.people["secretariat"],
            )

        assert len(callbacks) == 1
        assert mailoutbox == []


class TestPositions:
    def test_a_delegate_records_their_organisations_position(self, client, world):
        """The position is recorded for the delegate's organisation, by them,
        with an audit entry; back to the axis on the round page."""
        delegate = world.people["commission"]
        opened = world.rounds["open"]
        client = signed_in(client, delegate)

        response = client.post(
            reverse("commission:position_record", kwargs={"pk": opened.pk}),
            position_data(axis(3), P.APPROVE),
        )

        assert (response.status_code, response.url) == (
            302,
            f"{opened.get_absolute_url()}#axis-3",
        )
        recorded = AxisPosition.objects.get(round=opened, axis=axis(3))
        assert (recorded.organisation, recorded.position, recorded.recorded_by) == (
            delegate.organisation,
            P.APPROVE,
            delegate,
        )
        event = AuditEvent.for_object(opened).latest("pk")
        assert (event.action, event.actor, event.actor_organisation) == (
            CommissionVerb.POSITION,
            delegate,
            delegate.organisation,
        )
        assert event.to_status == P.APPROVE

    def test_changing_a_position_keeps_one_row_per_organisation_and_axis(
        self, client, world
    ):
        """While the round is open a delegate may change their mind: still one
        position per organisation per axis, the new one; each change is in the
        audit log."""
        opened = world.rounds["open"]
        client = signed_in(client, world.people["commission"])
        url = reverse("commission:position_record", kwargs={"pk": opened.pk})
        events = AuditEvent.for_object(opened).count()

        client.post(url, position_data(axis(2), P.OPPOSE, "Pas de calendrier."))
        client.post(url, position_data(axis(2), P.APPROVE))

        (position,) = AxisPosition.objects.filter(round=opened, axis=axis(2))
        assert (position.position, position.comment) == (P.APPROVE, "")
        assert AuditEvent.for_object(opened).count() == events + 2
        assert AuditEvent.for_object(opened).latest("pk").to_status == P.APPROVE

    def test_the_database_keeps_one_position_per_organisation_axis_and_round(
        self, world
    ):
        """Whatever writes it, an organisation has one position per axis and
        round."""
        existing = AxisPosition.objects.get(round=world.rounds["open"], axis=axis(2))

        with pytest.raises(IntegrityError), transaction.atomic():
            AxisPosition.objects.create(
                round=existing.round,
                axis=existing.axis,
                organisation=existing.organisation,
                position=P.OPPOSE,
                recorded_by=world.people["commission"],
            )

    @pytest.mark.parametrize(
        "case",
        [
            "closed round",
            "axis not on the agenda",
            "organisation not a member",
            "no organisation",
        ],
    )
    def test_the_service_refuses_what_is_not_a_members_answer_to_an_open_round(
        self, world, case
    ):
        """No position on a closed round, on an axis the round does not have,
        or for an organisation that does not sit on the commission: refused,
        with the reason, nothing saved and nothing audited."""
        kwargs = {
            "validation_round": world.rounds["open"],
            "axis": axis(3),
            "organisation": world.people["commission"].organisation,
            "position": P.APPROVE,
            "comment": "",
            "acting_user": world.people["commission"],
        }
        if case == "closed round":
            kwargs |= {"validation_round": world.rounds["closed"], "axis": axis(1)}
        elif case == "axis not on the agenda":
            kwargs["axis"] = axis(4)
        elif case == "organisation not a member":
            kwargs["organisation"] = world.people["member"].organisation
        else:
            kwargs["organisation"] = None
        before, events = positions_state(), AuditEvent.objects.count()

        with pytest.raises(services.RoundActionRefused) as refused:
            services.position_record(**kwargs)

        assert refused.value.message
        assert positions_state() == before
        assert AuditEvent.objects.count() == events

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            (lambda a: position_data(a, "", "Nous attendons le bilan."), "position"),
            (
                lambda a: position_data(a, P.APPROVE_WITH_RESERVATIONS, "  "),
                "comment",
            ),
            (lambda a: position_data(a, P.OPPOSE, ""), "comment"),
        ],
        ids=["no position", "reservations without comment", "oppose without comment"],
    )
    def test_a_bad_position_form_comes_back_with_the_error_and_what_was_typed(
        self, client, world, data, field
    ):
        """A position missing, or reservations or an opposition without a
        comment: the round page again (400), the error next to the field of
        that axis's form, what was typed still there, nothing saved."""
        opened = world.rounds["open"]
        client = signed_in(client, world.people["commission"])
        before, events = positions_state(), AuditEvent.objects.count()
        posted = data(axis(3))

        response = client.post(
            reverse("commission:position_record", kwargs={"pk": opened.pk}), posted
        )

        assert response.status_code == 400
        (row,) = [r for r in response.context["rows"] if r.axis.number == 3]
        assert set(row.form.errors) == {field}
        html = response.content.decode()
        # Crispy puts the message under the field it is about.
        field_id = f"id_axis{axis(3).pk}-{field}"
        assert f'id="error_1_{field_id}"' in html
        assert escape(row.form.errors[field][0]) in html
        typed = posted[f"axis{axis(3).pk}-comment"]
        assert row.form["comment"].value() == typed
        if typed.strip():
            assert typed in html
        # The other axis's form is untouched.
        (other,) = [r for r in response.context["rows"] if r.axis.number == 2]
        assert not other.form.is_bound
        assert positions_state() == before
        assert AuditEvent.objects.count() == events

    def test_a_delegate_of_an_organisation_off_the_commission_is_refused(
        self, client, world
    ):
        """The world's delegate answers for a member landlord; were it to leave
        the commission, its delegate could no longer answer (403)."""
        delegate = world.people["commission"]
        assert delegate.organisation.is_commission_member
        assert delegate.organisation.is_landlord
        Organisation.objects.filter(pk=delegate.organisation_id).update(
            is_commission_member=False
        )
        before = positions_state()

        response = signed_in(client, delegate).post(
            reverse(
                "commission:position_record", kwargs={"pk": world.rounds["open"].pk}
            ),
            position_data(axis(3), P.APPROVE),
        )

        assert response.status_code == 403
        assert positions_state() == before

    def test_positions_on_a_closed_round_are_refused_to_delegates(self, client, world):
        """Once the round is closed, the delegate's form is gone and a POST is
        refused (403)."""
        closed = world.rounds["closed"]
        client = signed_in(client, world.people["commission"])

        page = client.get(closed.get_absolute_url())
        response = client.post(
            reverse("commission:position_record", kwargs={"pk": closed.pk}),
            position_data(axis(1), P.OPPOSE, "Trop tard."),
        )

        assert all(row.form is None for row in page.context["rows"])
        assert response.status_code == 403


class TestTheRoundPage:
    def test_it_shows_who_answered_and_who_has_not(self, client, world):
        """For each axis: every member organisation, with its position and
        comment or "no answer yet", and the list of those still silent."""
        client = signed_in(client, world.people["secretariat"])
        delegates, silent = world.commission_members

        response = client.get(world.rounds["open"].get_absolute_url())

        rows = {row.axis.number: row for row in response.context["rows"]}
        assert rows.keys() == {2, 3}
        assert [(o, p and p.position) for o, p in rows[2].positions] == [
            (delegates, P.APPROVE_WITH_RESERVATIONS),
            (silent, None),
        ]
        assert rows[2].missing == [silent]
        assert rows[3].missing == [delegates, silent]
        html = response.content.decode()
        assert "Préciser le calendrier des relogements." in html
        assert silent.name in html

    def test_the_delegate_gets_a_form_per_axis_filled_with_their_answer(
        self, client, world
    ):
        """The delegate sees one form per axis; where their organisation has
        answered, the form holds that answer, to change it."""
        client = signed_in(client, world.people["commission"])

        response = client.get(world.rounds["open"].get_absolute_url())

        rows = {row.axis.number: row for row in response.context["rows"]}
        assert rows[2].form.initial["position"] == P.APPROVE_WITH_RESERVATIONS
        assert rows[2].form.initial["comment"] == (
            "Préciser le calendrier des relogements."
        )
        assert "position" not in rows[3].form.initial
        assert [row.axis.number for row in response.context["to_answer"]] == [3]
        assert (
            response.context["organisation"] == world.people["commission"].organisation
        )

    @pytest.mark.parametrize("role", ["member", "secretariat", "superuser"])
    def test_people_who_do_not_answer_for_a_member_get_no_form(
        self, client, world, role
    ):
        """Only the delegate of a member organisation records positions: the
        others read the round without a form (a superuser has no organisation
        to answer for)."""
        client = signed_in(client, world.people[role])

        response = client.get(world.rounds["open"].get_absolute_url())

        assert all(row.form is None for row in response.context["rows"])

    def test_partners_do_not_read_the_landlords_positions(self, client, world):
        """Partners read the validated référentiel, not each landlord's named
        position: the round page is refused and not in their menu."""
        client = signed_in(client, world.people["partner"])

        response = client.get(world.rounds["open"].get_absolute_url())
        dashboard = client.get(reverse("dashboard")).content.decode()

        assert response.status_code == 403
        assert reverse("commission:round_list") not in dashboard


class TestClosing:
    @pytest.fixture
    def decisive_round(self, world):
        """A round on axes 4, 5 and 6 with 5 member organisations (quorum 3):
        axis 4 gets 2 approvals and 1 with reservations, axis 5 only 2
        approvals, axis 6 two approvals and two oppositions."""
        members = [*world.commission_members, *more_members(3)]
        validation_round = services.round_open(
            title="Commission CUCS, juin 2007",
            axes=[axis(4), axis(5), axis(6)],
            acting_user=world.people["secretariat"],
        )
        answers = {
            4: [P.APPROVE, P.APPROVE, P.APPROVE_WITH_RESERVATIONS],
            5: [P.APPROVE, P.APPROVE],
            6: [P.APPROVE, P.OPPOSE, P.APPROVE, P.OPPOSE],
        }
        for number, positions in answers.items():
            for organisation, position in zip(members, positions, strict=False):
                services.position_record(
                    validation_round=validation_round,
                    axis=axis(number),
                    organisation=organisation,
                    position=position,
                    comment="Avec des réserves." if position != P.APPROVE else "",
                    acting_user=world.people["commission"],
                )
        return validation_round

    def test_closing_decides_each_axis_with_its_figures(
        self, client, world, decisive_round
    ):
        """Each axis gets a decision with the members, answers, each kind of
        position, the quorum and the rule; the axis that meets the rule
        becomes validated today, the others stay proposed."""
        client = signed_in(client, world.people["secretariat"])

        response = client.post(
            reverse("commission:round_close", kwargs={"pk": decisive_round.pk}),
            CONFIRMED,
        )

        assert (response.status_code, response.url) == (
            302,
            decisive_round.get_absolute_url(),
        )
        closed = ValidationRound.objects.get(pk=decisive_round.pk)
        assert (closed.status, closed.closed_by) == (
            ValidationRound.Status.CLOSED,
            world.people["secretariat"],
        )
        assert closed.closed_at is not None
        figures = {
            d.axis.number: (
                d.validated,
                d.member_count,
                d.answer_count,
                d.approve_count,
                d.reservation_count,
                d.oppose_count,
                d.quorum_required,
            )
            for d in AxisDecision.objects.filter(round=closed)
        }
        assert figures == {
            4: (True, 5, 3, 2, 1, 0, 3),
            5: (False, 5, 2, 2, 0, 0, 3),
            6: (False, 5, 4, 2, 0, 2, 3),
        }
        today = timezone.localdate()
        assert {d.decided_on for d in closed.decisions.all()} == {today}
        assert all("1/2" in d.rule for d in closed.decisions.all())
        statuses = {
            a.number: (a.status, a.validated_on)
            for a in Axis.objects.filter(number__in=[4, 5, 6])
        }
        assert statuses == {
            4: (Axis.Status.VALIDATED, today),
            5: (Axis.Status.PROPOSED, None),
            6: (Axis.Status.PROPOSED, None),
        }

    def test_closing_is_in_the_audit_log_axis_by_axis(self, world, decisive_round):
        """One entry per axis decided (from and to its status, the figures),
        one for the round."""
        secretariat = world.people["secretariat"]

        services.round_close(validation_round=decisive_round, acting_user=secretariat)

        (closing,) = AuditEvent.for_object(decisive_round).filter(
            action=CommissionVerb.ROUND_CLOSE
        )
        assert (closing.actor, closing.from_status, closing.to_status) == (
            secretariat,
            "open",
            "closed",
        )
        (axis_4,) = AuditEvent.for_object(axis(4))
        assert (axis_4.action, axis_4.from_status, axis_4.to_status) == (
            CommissionVerb.AXIS_DECISION,
            Axis.Status.PROPOSED,
            Axis.Status.VALIDATED,
        )
        assert axis_4.comment.startswith("3 ")
        (axis_5,) = AuditEvent.for_object(axis(5))
        assert (axis_5.from_status, axis_5.to_status) == ("proposed", "proposed")

    def test_an_axis_validated_before_keeps_its_date(self, world):
        """Validating an axis again does not move the date it was first
        validated; a round that does not validate it leaves it validated."""
        Axis.objects.filter(number=1).update(validated_on=datetime.date(2006, 12, 14))
        secretariat = world.people["secretariat"]
        for position in (P.APPROVE, P.OPPOSE):
            again = services.round_open(
                title="Encore l’axe 1", axes=[axis(1)], acting_user=secretariat
            )
            services.position_record(
                validation_round=again,
                axis=axis(1),
                organisation=world.people["commission"].organisation,
                position=position,
                comment="Non." if position == P.OPPOSE else "",
                acting_user=world.people["commission"],
            )
            services.round_close(validation_round=again, acting_user=secretariat)

            assert (axis(1).status, axis(1).validated_on) == (
                Axis.Status.VALIDATED,
                datetime.date(2006, 12, 14),
            )

    def test_a_round_is_closed_once(self, client, world, decisive_round):
        """Closing a closed round is refused: one set of decisions, one
        closing entry; the secretariat's button is gone (403 on a POST)."""
        secretariat = world.people["secretariat"]
        services.round_close(validation_round=decisive_round, acting_user=secretariat)
        decisions, events = AxisDecision.objects.count(), AuditEvent.objects.count()

        with pytest.raises(services.RoundActionRefused):
            services.round_close(
                validation_round=decisive_round, acting_user=secretariat
            )
        response = signed_in(client, secretariat).post(
            reverse("commission:round_close", kwargs={"pk": decisive_round.pk}),
            CONFIRMED,
        )

        # Back to the round, told it is closed already.
        assert (response.status_code, response.url) == (
            302,
            decisive_round.get_absolute_url(),
        )
        assert (AxisDecision.objects.count(), AuditEvent.objects.count()) == (
            decisions,
            events,
        )

    def test_the_closed_round_shows_the_decisions(self, client, world, decisive_round):
        """After closing, the round page and the axis page show the decision
        with its figures."""
        services.round_close(
            validation_round=decisive_round, acting_user=world.people["secretariat"]
        )
        client = signed_in(client, world.people["member"])

        round_page = client.get(decisive_round.get_absolute_url())
        axis_page = client.get(axis(4).get_absolute_url())

        rows = {row.axis.number: row for row in round_page.context["rows"]}
        assert rows[4].decision.validated and not rows[5].decision.validated
        assert [d.round for d in axis_page.context["decisions"]] == [decisive_round]
        assert decisive_round.title in axis_page.content.decode()

    def test_a_silent_round_validates_nothing(self, world):
        """Closing a round where nobody answered decides every axis as not
        validated: the quorum is at least one answer."""
        silent = services.round_open(
            title="Personne", axes=[axis(5)], acting_user=world.people["secretariat"]
        )

        services.round_close(
            validation_round=silent, acting_user=world.people["secretariat"]
        )

        (decided,) = silent.decisions.all()
        assert (decided.validated, decided.answer_count, decided.quorum_required) == (
            False,
            0,
            1,
        )
        assert axis(5).status == Axis.Status.PROPOSED


def test_a_round_only_puts_proposed_axes_to_the_commission(client, world):
    """A validated axis is settled: the round form offers only the axes still
    proposed, and a validated one posted by hand is a form error."""
    client.force_login(world.people["secretariat"])
    page = client.get(reverse("commission:round_create"))
    offered = set(page.context["form"].fields["axes"].queryset)
    validated = Axis.objects.filter(status=Axis.Status.VALIDATED).first()

    response = client.post(
        reverse("commission:round_create"),
        {"title": "Nouveau tour", "axes": [validated.pk]},
    )

    assert offered == set(Axis.objects.filter(status=Axis.Status.PROPOSED))
    assert response.status_code == 200
    assert "axes" in response.context["form"].errors
