"""The commission's writes: opening a round, recording an organisation's
position, closing the round and deciding each axis."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ateliers import services as atelier_services
from ateliers.models import Proposal
from audit.models import AuditEvent
from axes.models import Axis
from cucs_portal import records, texts
from people.models import Organisation

from . import decision, notifications
from .models import (
    AgendaItem,
    AxisDecision,
    AxisPosition,
    CommissionSession,
    ItemPosition,
    ValidationRound,
)
from .selectors import item_outcome, item_tally
from .verbs import CommissionVerb


def in_portal_language(make_text):
    """Text stored for everyone (audit comments) is written in the portal's
    language, whatever language the person acting has chosen."""
    with translation.override(settings.LANGUAGE_CODE):
        return make_text()


class RoundActionRefused(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@transaction.atomic
def round_open(*, title: str, axes, acting_user) -> ValidationRound:
    axes = list(axes)
    if not axes:
        raise RoundActionRefused(_("Choose at least one axis."))
    validation_round = ValidationRound.objects.create(
        title=title.strip(), opened_by=acting_user
    )
    validation_round.axes.set(axes)
    AuditEvent.record(
        actor=acting_user,
        target=validation_round,
        action=CommissionVerb.ROUND_OPEN,
        to_status=ValidationRound.Status.OPEN,
        comment=in_portal_language(lambda: ", ".join(str(axis) for axis in axes)),
    )
    notifications.round_opened(validation_round=validation_round)
    return validation_round


@transaction.atomic
def position_record(
    *,
    validation_round: ValidationRound,
    axis: Axis,
    organisation: Organisation,
    position: str,
    comment: str,
    acting_user,
) -> AxisPosition:
    """Record, or change while the round is open, an organisation's position."""
    locked = ValidationRound.objects.select_for_update().get(pk=validation_round.pk)
    if not locked.is_open:
        raise RoundActionRefused(
            _("This round is closed: positions can no longer change.")
        )
    if not locked.axes.filter(pk=axis.pk).exists():
        raise RoundActionRefused(_("This axis is not on the agenda of this round."))
    if organisation is None or not organisation.is_commission_member:
        raise RoundActionRefused(_("Only member organisations take a position."))
    recorded, _created = AxisPosition.objects.update_or_create(
        round=locked,
        axis=axis,
        organisation=organisation,
        defaults={
            "position": position,
            "comment": comment.strip(),
            "recorded_by": acting_user,
        },
    )
    AuditEvent.record(
        actor=acting_user,
        target=locked,
        action=CommissionVerb.POSITION,
        to_status=position,
        comment=in_portal_language(
            lambda: (
                _("%(axis)s: %(position)s")
                % {
                    "axis": axis,
                    "position": recorded.get_position_display(),
                }
                + (f" — {recorded.comment}" if recorded.comment else "")
            )
        ),
    )
    return recorded


def tally(
    *, validation_round: ValidationRound, axis: Axis, members: int
) -> decision.Tally:
    counts = dict.fromkeys(AxisPosition.Position.values, 0)
    # Only organisations that sit on the commission now count, as on the round
    # page: a former member's position stays recorded but no longer weighs.
    for value in validation_round.positions.filter(
        axis=axis, organisation__is_commission_member=True
    ).values_list("position", flat=True):
        counts[value] += 1
    return decision.Tally(
        members=members,
        approve=counts[AxisPosition.Position.APPROVE],
        reservations=counts[AxisPosition.Position.APPROVE_WITH_RESERVATIONS],
        oppose=counts[AxisPosition.Position.OPPOSE],
    )


@transaction.atomic
def round_close(*, validation_round: ValidationRound, acting_user) -> ValidationRound:
    """Close the round and decide each of its axes by the rule of decision.py; a
    validated axis becomes validated, the others stay as they were."""

    def decide_axes(locked) -> dict:
        today = timezone.localdate()
        members = Organisation.objects.filter(is_commission_member=True).count()
        # Stored text is in the portal's language, whoever closes the round.
        with translation.override(settings.LANGUAGE_CODE):
            rule = decision.rule_text()
        for axis in Axis.objects.select_for_update().filter(validation_rounds=locked):
            _decide_axis(
                locked, axis, members=members, today=today, rule=rule, user=acting_user
            )
        return {"closed_at": timezone.now(), "closed_by": acting_user}

    return records.transition(
        validation_round,
        to=ValidationRound.Status.CLOSED,
        allowed_from={ValidationRound.Status.OPEN},
        action=CommissionVerb.ROUND_CLOSE,
        actor=acting_user,
        record=AuditEvent.record,
        apply=decide_axes,
        refused=lambda status, action, **kwargs: RoundActionRefused(
            _("This round is already closed.")
        ),
    )


def _decide_axis(locked, axis, *, members, today, rule, user) -> None:
    counted = tally(validation_round=locked, axis=axis, members=members)
    validated = decision.is_validated(counted)
    AxisDecision.objects.create(
        round=locked,
        axis=axis,
        validated=validated,
        decided_on=today,
        member_count=members,
        answer_count=counted.answers,
        approve_count=counted.approve,
        reservation_count=counted.reservations,
        oppose_count=counted.oppose,
        quorum_required=decision.quorum_required(members),
        rule=rule,
    )
    previous = axis.status
    if validated and axis.status != Axis.Status.VALIDATED:
        axis.status = Axis.Status.VALIDATED
        axis.validated_on = today
        axis.save(update_fields=["status", "validated_on"])
    with translation.override(settings.LANGUAGE_CODE):
        figures = _(
            "%(answers)s answers out of %(members)s member organisations: "
            "%(approve)s approve, %(reservations)s with reservations, "
            "%(oppose)s oppose."
        ) % {
            "answers": counted.answers,
            "members": members,
            "approve": counted.approve,
            "reservations": counted.reservations,
            "oppose": counted.oppose,
        }
    AuditEvent.record(
        actor=user,
        target=axis,
        action=CommissionVerb.AXIS_DECISION,
        from_status=previous,
        to_status=axis.status,
        comment=figures,
    )


# --- The commission's sessions -----------------------------------------------------


class PositionConflict(Exception):
    """A colleague of the same organisation recorded its position on this item
    since this delegate opened the page; ``current`` is that position."""

    def __init__(self, current: ItemPosition):
        self.current = current
        super().__init__("position changed meanwhile")


def member_organisations():
    return Organisation.objects.filter(is_commission_member=True)


def _eligible_proposals(session=None):
    """Submitted proposals not on the agenda of another convened session."""
    elsewhere = AgendaItem.objects.filter(
        session__status=CommissionSession.Status.CONVENED, proposal__isnull=False
    )
    if session is not None:
        elsewhere = elsewhere.exclude(session=session)
    return Proposal.objects.filter(status=Proposal.Status.SUBMITTED).exclude(
        pk__in=elsewhere.values("proposal_id")
    )


def _eligible_axes(session=None):
    elsewhere = AgendaItem.objects.filter(
        session__status=CommissionSession.Status.CONVENED, axis__isnull=False
    )
    if session is not None:
        elsewhere = elsewhere.exclude(session=session)
    return Axis.objects.filter(status=Axis.Status.PROPOSED).exclude(
        pk__in=elsewhere.values("axis_id")
    )


def eligible_proposals(session=None):
    return _eligible_proposals(session).select_related("atelier__axis", "enjeu")


def eligible_axes(session=None):
    return _eligible_axes(session).order_by("number")


def _set_agenda(session, proposals, axes) -> tuple[list, list]:
    """Make the agenda hold exactly ``proposals`` and ``axes``; returns the
    proposals added and the items removed. Refused for an item that already
    has positions or a tally: those are the organisations' work."""
    proposals, axes = list(proposals), list(axes)
    wanted_proposals = {p.pk for p in proposals}
    wanted_axes = {a.pk for a in axes}
    fine_proposals = set(
        _eligible_proposals(session)
        .filter(pk__in=wanted_proposals)
        .select_for_update()
        .values_list("pk", flat=True)
    )
    fine_axes = set(
        _eligible_axes(session).filter(pk__in=wanted_axes).values_list("pk", flat=True)
    )
    refused = [p for p in proposals if p.pk not in fine_proposals] + [
        a for a in axes if a.pk not in fine_axes
    ]
    if refused:
        raise RoundActionRefused(
            _(
                "These items can no longer be put on the agenda (decided, or on "
                "the agenda of another session): %(items)s."
            )
            % {"items": ", ".join(str(item) for item in refused)}
        )
    items = list(session.items.all())
    removed = [
        item
        for item in items
        if (item.proposal_id and item.proposal_id not in wanted_proposals)
        or (item.axis_id and item.axis_id not in wanted_axes)
    ]
    kept = [
        item
        for item in removed
        if item.minutes_recorded or item.positions.exists()  # rare: one per removal
    ]
    if kept:
        raise RoundActionRefused(
            _(
                "These items already have positions or a tally and stay on the "
                "agenda: %(items)s."
            )
            % {"items": ", ".join(str(item) for item in kept)}
        )
    AgendaItem.objects.filter(pk__in=[item.pk for item in removed]).delete()
    present_proposals = {item.proposal_id for item in items if item.proposal_id}
    present_axes = {item.axis_id for item in items if item.axis_id}
    added = [p for p in proposals if p.pk not in present_proposals]
    AgendaItem.objects.bulk_create(
        [AgendaItem(session=session, axis=a) for a in axes if a.pk not in present_axes]
        + [AgendaItem(session=session, proposal=p) for p in added]
    )
    return added, removed


def _agenda_text(session) -> str:
    return ", ".join(
        str(item.subject)
        for item in session.items.select_related("proposal__atelier__axis", "axis")
    )


@transaction.atomic
def session_convene(
    *, starts_at, place: str, proposals, axes, acting_user
) -> CommissionSession:
    """The secretariat convenes a session with its agenda; the delegates, and
    the authors and co-animators of each proposal on it, are told."""
    proposals, axes = list(proposals), list(axes)
    if not proposals and not axes:
        raise RoundActionRefused(_("Put at least one proposal or axis on the agenda."))
    session = CommissionSession.objects.create(
        starts_at=starts_at, place=place.strip(), convened_by=acting_user
    )
    added, _removed = _set_agenda(session, proposals, axes)
    AuditEvent.record(
        actor=acting_user,
        target=session,
        action=CommissionVerb.SESSION_CONVENE,
        to_status=CommissionSession.Status.CONVENED,
        comment=in_portal_language(lambda: _agenda_text(session))[: texts.COMMENT],
    )
    notifications.session_convened(session=session, proposals=added)
    return session


@transaction.atomic
def session_update(
    *, session, base_version: int, starts_at, place: str, proposals, axes, acting_user
) -> CommissionSession:
    """Change a convened session's date, place or agenda."""
    current = CommissionSession.objects.select_for_update().get(pk=session.pk)
    if not current.is_convened:
        raise RoundActionRefused(_("This session is closed: its agenda is settled."))
    records.check_version(current, base_version)
    proposals, axes = list(proposals), list(axes)
    if not proposals and not axes:
        raise RoundActionRefused(_("Put at least one proposal or axis on the agenda."))
    added, _removed = _set_agenda(current, proposals, axes)
    current.starts_at, current.place = starts_at, place.strip()
    current.version += 1
    current.save()
    AuditEvent.record(
        actor=acting_user,
        target=current,
        action=CommissionVerb.SESSION_CHANGE,
        to_status=current.status,
        comment=in_portal_language(lambda: _agenda_text(current))[: texts.COMMENT],
    )
    notifications.session_convened(session=current, proposals=added)
    return current


@transaction.atomic
def item_position_record(
    *,
    item: AgendaItem,
    organisation: Organisation,
    position: str,
    comment: str,
    base_version: int,
    acting_user,
) -> ItemPosition:
    """Record, or change while the session is convened, an organisation's
    position on an item. ``base_version`` is the version of that position the
    delegate saw (0: none yet); a colleague's save in between is refused with
    PositionConflict, so that neither is lost unseen."""
    session = CommissionSession.objects.select_for_update().get(pk=item.session_id)
    if not session.is_convened:
        raise RoundActionRefused(
            _("This session is closed: positions can no longer change.")
        )
    if organisation is None or not organisation.is_commission_member:
        raise RoundActionRefused(_("Only member organisations take a position."))
    if item.axis_id and position == ItemPosition.Position.REQUEST_CHANGES:
        # As for the minutes: an axis is validated or stays proposed.
        raise RoundActionRefused(
            _("Changes are requested on proposals, not on an axis.")
        )
    comment = comment.strip()
    if position in ItemPosition.COMMENT_REQUIRED and not comment:
        raise RoundActionRefused(_("Say why: this position needs a comment."))
    existing = ItemPosition.objects.filter(item=item, organisation=organisation).first()
    if existing is not None:
        if existing.version != base_version:
            raise PositionConflict(existing)
        if existing.position == position and existing.comment == comment:
            return existing
        existing.position, existing.comment = position, comment
        existing.recorded_by = acting_user
        existing.version += 1
        existing.save()
        recorded = existing
    else:
        if base_version:
            # The position the delegate saw no longer exists: nothing to lose,
            # but say what is recorded now rather than guess.
            raise RoundActionRefused(_("This position changed: check it again."))
        recorded = ItemPosition.objects.create(
            item=item,
            organisation=organisation,
            position=position,
            comment=comment,
            recorded_by=acting_user,
        )
    AuditEvent.record(
        actor=acting_user,
        target=session,
        action=CommissionVerb.ITEM_POSITION,
        to_status=position,
        comment=in_portal_language(
            lambda: (
                f"{item.subject}\u00a0: {recorded.get_position_display()}"
                + (f" — {recorded.comment}" if recorded.comment else "")
            )
        )[: texts.COMMENT],
    )
    return recorded


@transaction.atomic
def item_minutes_record(
    *,
    item: AgendaItem,
    recorded: bool,
    approve: int = 0,
    reservations: int = 0,
    changes: int = 0,
    oppose: int = 0,
    abstain: int = 0,
    comments: str = "",
    acting_user,
) -> AgendaItem:
    """The secretariat records the tally of a decision taken in the meeting
    room, from the minutes; with ``recorded`` False, the item is decided from
    the organisations' positions again."""
    session = CommissionSession.objects.select_for_update().get(pk=item.session_id)
    if not session.is_convened:
        raise RoundActionRefused(_("This session is closed: its tallies are settled."))
    current = AgendaItem.objects.select_for_update().get(pk=item.pk)
    comments = comments.strip()
    if recorded:
        members = member_organisations().count()
        counts = (approve, reservations, changes, oppose, abstain)
        if any(count < 0 for count in counts):
            raise RoundActionRefused(_("A count cannot be negative."))
        if sum(counts) > members:
            raise RoundActionRefused(
                _(
                    "%(total)s votes and abstentions for %(members)s member "
                    "organisations: each organisation has one voice."
                )
                % {"total": sum(counts), "members": members}
            )
        if (reservations or changes or oppose) and not comments:
            raise RoundActionRefused(
                _(
                    "Write down the reservations, changes or reasons given in the "
                    "session: the atelier reads them."
                )
            )
        if current.axis_id and changes:
            raise RoundActionRefused(
                _("Changes are requested on proposals, not on an axis.")
            )
    else:
        approve = reservations = changes = oppose = abstain = 0
        comments = ""
    current.minutes_recorded = recorded
    current.minutes_approve, current.minutes_reservations = approve, reservations
    current.minutes_changes, current.minutes_oppose = changes, oppose
    current.minutes_abstain, current.minutes_comments = abstain, comments
    current.save()
    with translation.override(settings.LANGUAGE_CODE):
        text = (
            f"{current.subject}\u00a0: "
            + decision.figures_text(current.minutes_tally(members))
            if recorded
            else _("%(item)s: the tally of the minutes was removed.")
            % {"item": current.subject}
        )
    AuditEvent.record(
        actor=acting_user,
        target=session,
        action=CommissionVerb.ITEM_MINUTES,
        to_status=session.status,
        comment=text[: texts.COMMENT],
    )
    return current


def _consolidated(item, outcome, tally, positions, session) -> str:
    """What the atelier is sent: the decision, its figures and each
    organisation's comment (or the minutes' comments), in the portal's
    language."""
    lines = [
        _("Decision of the commission session of %(date)s: %(outcome)s.")
        % {
            "date": date_format(timezone.localtime(session.starts_at), "DATE_FORMAT"),
            "outcome": _lower_first(decision.Outcome(outcome).label),
        },
        decision.figures_text(tally),
    ]
    if item.minutes_recorded:
        if item.minutes_comments:
            lines += ["", _("Comments in the minutes:"), item.minutes_comments]
    else:
        # The voices counted: a former member's position stays recorded, but
        # the atelier is not sent what no longer weighs.
        said = [
            p for p in positions if p.comment and p.organisation.is_commission_member
        ]
        if said:
            lines += ["", _("The organisations' comments:")]
            lines += [
                f"— {p.organisation.name} ({_lower_first(p.get_position_display())})"
                f"\u00a0: {p.comment}"
                for p in said
            ]
    return "\n".join(lines)


@transaction.atomic
def session_close(*, session: CommissionSession, acting_user) -> CommissionSession:
    """Close the session and decide every item of its agenda at once, axes
    first (a proposal of an axis validated in the same session can then be
    validated), under the rule of decision.py. Everything or nothing: one
    transaction, the session's row locked, so two closings at once produce one
    set of decisions."""

    def decide_items(locked) -> dict:
        today = timezone.localdate()
        members = list(member_organisations())
        with translation.override(settings.LANGUAGE_CODE):
            rule = decision.session_rule_text()
        items = list(
            locked.items.select_related(
                "axis", "proposal__atelier__axis", "proposal__enjeu"
            ).prefetch_related("positions__organisation")
        )
        items.sort(key=lambda item: (item.axis_id is None, item.pk))
        for item in items:
            with translation.override(settings.LANGUAGE_CODE):
                _decide_item(
                    locked,
                    item,
                    members=members,
                    today=today,
                    rule=rule,
                    user=acting_user,
                )
        return {"closed_at": timezone.now(), "closed_by": acting_user}

    return records.transition(
        session,
        to=CommissionSession.Status.CLOSED,
        allowed_from={CommissionSession.Status.CONVENED},
        action=CommissionVerb.SESSION_CLOSE,
        actor=acting_user,
        record=AuditEvent.record,
        apply=decide_items,
        refused=lambda status, action, **kwargs: RoundActionRefused(
            _("This session is already closed.")
        ),
    )


def _decide_item(session, item, *, members, today, rule, user) -> None:
    positions = list(item.positions.all())
    counted = item_tally(item, members=members, positions=positions)
    outcome = item_outcome(item, counted)
    note = ""
    if item.axis_id:
        axis = Axis.objects.select_for_update().get(pk=item.axis_id)
        previous = axis.status
        if outcome == decision.Outcome.VALIDATED and previous != Axis.Status.VALIDATED:
            axis.status, axis.validated_on = Axis.Status.VALIDATED, today
            axis.save(update_fields=["status", "validated_on"])
        AuditEvent.record(
            actor=user,
            target=axis,
            action=CommissionVerb.AXIS_DECISION,
            from_status=previous,
            to_status=axis.status,
            comment=decision.figures_text(counted),
        )
    else:
        proposal = Proposal.objects.select_for_update().get(pk=item.proposal_id)
        axis_validated = (
            Axis.objects.filter(pk=proposal.atelier.axis_id)
            .values_list("status", flat=True)
            .get()
            == Axis.Status.VALIDATED
        )
        if proposal.status != Proposal.Status.SUBMITTED:
            outcome = decision.Outcome.DEFERRED
            note = _("No longer submitted when the session closed: nothing decided.")
        elif outcome == decision.Outcome.VALIDATED and not axis_validated:
            outcome = decision.Outcome.DEFERRED
            note = _(
                "A majority validates it, but its axis is not validated yet: "
                "deferred until the commission validates the axis."
            )
    comments = _consolidated(item, outcome, counted, positions, session)
    if note:
        comments = f"{comments}\n\n{note}"
    item.outcome = outcome
    source = AgendaItem.Source
    item.decided_from = source.MINUTES if item.minutes_recorded else source.POSITIONS
    item.member_count = counted.members
    item.approve_count, item.reservation_count = counted.approve, counted.reservations
    item.changes_count, item.oppose_count = counted.changes, counted.oppose
    item.abstain_count = counted.abstain
    item.quorum_required = decision.quorum_required(counted.members)
    item.rule, item.note, item.comments_sent = rule, note, comments
    item.save()
    if item.proposal_id is None:
        return
    # The audit comment is bounded; the whole text stays on the item.
    audit_comment = _bounded(comments, texts.COMMENT)
    apply = PROPOSAL_OUTCOMES.get(outcome)
    if apply is not None:
        apply(proposal=proposal, acting_user=user, comment=audit_comment)
    else:
        notifications.proposal_deferred(item=item, proposal=proposal)


def _lower_first(label) -> str:
    """A label inside a sentence: « décision : renvoyée à l’atelier »."""
    text = str(label)
    return text[:1].lower() + text[1:]


def _bounded(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


PROPOSAL_OUTCOMES = {
    decision.Outcome.VALIDATED: atelier_services.proposal_validate,
    decision.Outcome.CHANGES_REQUESTED: atelier_services.proposal_request_changes,
    decision.Outcome.REJECTED: atelier_services.proposal_reject,
}
