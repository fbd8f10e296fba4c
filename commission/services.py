"""The commission's writes: opening a round, recording an organisation's
position, closing the round and deciding each axis."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from axes.models import Axis
from cucs_portal import records
from people.models import Organisation

from . import decision, notifications
from .models import AxisDecision, AxisPosition, ValidationRound
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
