"""Demo data for the commission's sessions (séances), 2007.

Called by ``seed_demo`` once the proposals exist, and following the command's
rules: idempotent, keyed on natural keys (a session on its date and place),
everything drawn from a generator seeded with the proposal's natural key.

The proposals the commission decided are created *submitted*; ``hold`` then
decides them as the portal does: a session convened with them on its agenda
(what ``session_convene`` writes, without its e-mails), the positions of the
member organisations, or for some items the tally of the minutes with
abstentions, and the real ``session_close``, which applies the rule of
commission/decision.py and validates, sends back or rejects each proposal,
with its revision, its audit event by the secretariat and the consolidated
comments. The positions are drawn so that the rule gives the demo's status; a
draw that would not is refused. Everything is then dated in 2007 with bulk
updates. A later run that creates proposals decided at a session already held
(``--size large`` after the demo size) decides them in a session of their own,
whose items then join the one held.

``convene_next`` convenes the session not held yet, with the proposals still
submitted on its agenda and some positions already recorded (through
``item_position_record``), so that a delegate sees what to answer and the
secretariat who has not answered.
"""

import random
from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import CommandError

from ateliers.models import Proposal, ProposalRevision
from ateliers.verbs import AteliersVerb
from audit.models import AuditEvent
from commission import decision
from commission import services as commission_services
from commission.models import AgendaItem, CommissionSession, ItemPosition
from commission.verbs import CommissionVerb
from cucs_portal import texts
from people.models import Organisation, User

from . import data

SEED = 2007
PARIS = ZoneInfo("Europe/Paris")
P = ItemPosition.Position

# The proposal statuses a session gives, and the outcome that gives each.
OUTCOMES = {
    Proposal.Status.VALIDATED: decision.Outcome.VALIDATED,
    Proposal.Status.CHANGES_REQUESTED: decision.Outcome.CHANGES_REQUESTED,
    Proposal.Status.REJECTED: decision.Outcome.REJECTED,
}
DECISION_VERBS = (
    AteliersVerb.VALIDATE,
    AteliersVerb.REQUEST_CHANGES,
    AteliersVerb.REJECT,
)
# A session is convened three weeks ahead (a Friday morning), sits at 18 h
# and closes two hours and a half later; a proposal decided there had been
# submitted twelve days before it.
CONVENED_BEFORE = timedelta(days=20, hours=8)
CLOSED_AFTER = timedelta(hours=2, minutes=30)
SUBMITTED_BEFORE = timedelta(days=12)
# The share of the items debated and voted in the meeting room.
MINUTES_SHARE = 0.15
MINUTES_FIELDS = [
    "minutes_recorded",
    "minutes_approve",
    "minutes_reservations",
    "minutes_changes",
    "minutes_oppose",
    "minutes_abstain",
    "minutes_comments",
]

RESERVATION_COMMENTS = (
    "Favorable, sous réserve d’associer les amicales de locataires dès la "
    "préparation de l’action.",
    "Favorable ; le coût par logement devra être suivi et présenté au bilan annuel.",
    "Accord de principe : le calendrier sur les sites de l’Ondaine nous paraît "
    "ambitieux.",
    "Favorable, à condition que les communes concernées confirment leur participation.",
)
CHANGES_COMMENTS = (
    "Préciser le plan de financement (part des bailleurs, crédits GUSP, "
    "Qualité de Service) et le calendrier par site avant un nouvel examen.",
    "Les indicateurs d’évaluation restent trop généraux : indiquer comment "
    "ils seront mesurés et par qui.",
    "Dire quels sites sont concernés la première année et avec quels moyens "
    "humains chez chaque bailleur.",
    "Associer les services des communes à la rédaction : leur rôle n’apparaît "
    "pas dans la fiche.",
)
REJECT_COMMENTS = (
    "La commission estime que cette action relève du droit commun des "
    "bailleurs et non d’une programmation CUCS.",
    "Proposition redondante avec une autre proposition validée du même axe.",
    "Le coût annoncé est hors de proportion avec les crédits GUSP de l’agglomération.",
    "L’action dépend d’un partenaire qui ne s’est pas engagé : elle ne peut "
    "être retenue en l’état.",
)
APPROVAL_COMMENTS = (
    "",
    "",
    "",
    "Action attendue sur nos sites.",
)


def _rng(*scope) -> random.Random:
    return random.Random(":".join(str(part) for part in (SEED, *scope)))


def _aware(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def decided_moment(moment) -> datetime:
    """When a session held at ``moment`` (a tuple of data.COMMISSION_ROUNDS)
    decided: the proposals' ``status_changed_at``."""
    return _aware(*moment) + CLOSED_AFTER


def submitted_moment(moment) -> datetime:
    """When a proposal decided at ``moment`` was submitted."""
    return decided_moment(moment) - SUBMITTED_BEFORE


def draw_tally(rng, status, expressed: int) -> list[str]:
    """``expressed`` positions for which decision.outcome() gives ``status``."""
    half = expressed // 2
    if status == Proposal.Status.VALIDATED:
        approvals = rng.randint(half + 1, expressed)
        reservations = rng.randint(0, min(approvals, 2))
        others = [
            rng.choice((P.REQUEST_CHANGES, P.REQUEST_CHANGES, P.OPPOSE))
            for _ in range(expressed - approvals)
        ]
    elif status == Proposal.Status.CHANGES_REQUESTED:
        # No majority validates (at most half) and none rejects (at most half).
        approvals = rng.randint(0, half)
        reservations = rng.randint(0, approvals)
        oppose = rng.randint(0, min(half, expressed - approvals - 1))
        others = [P.OPPOSE] * oppose
        others += [P.REQUEST_CHANGES] * (expressed - approvals - oppose)
    else:
        oppose = rng.randint(half + 1, expressed)
        approvals = reservations = 0
        others = [P.OPPOSE] * oppose + [
            rng.choice((P.REQUEST_CHANGES, P.APPROVE_WITH_RESERVATIONS))
            for _ in range(expressed - oppose)
        ]
    values = (
        [P.APPROVE] * (approvals - reservations)
        + [P.APPROVE_WITH_RESERVATIONS] * reservations
        + others
    )
    rng.shuffle(values)
    return values


def _comment(rng, position, used: set) -> str:
    """A comment for ``position``, another than those already ``used`` on the
    item when there is one left (each organisation says its own)."""
    pool = {
        P.APPROVE: APPROVAL_COMMENTS,
        P.APPROVE_WITH_RESERVATIONS: RESERVATION_COMMENTS,
        P.REQUEST_CHANGES: CHANGES_COMMENTS,
        P.OPPOSE: REJECT_COMMENTS,
    }[position]
    fresh = [text for text in pool if text not in used] or list(pool)
    text = rng.choice(fresh)
    if text:
        used.add(text)
    return text


def _counts(values) -> dict[str, int]:
    return {value: values.count(value) for value in P.values}


def _check(values, members: int, abstain: int, status) -> None:
    counts = _counts(values)
    tally = decision.Tally(
        members=members,
        approve=counts[P.APPROVE],
        reservations=counts[P.APPROVE_WITH_RESERVATIONS],
        changes=counts[P.REQUEST_CHANGES],
        oppose=counts[P.OPPOSE],
        abstain=abstain,
    )
    if decision.outcome(tally) != OUTCOMES[status]:
        raise CommandError(
            f"Demo tally {tally} does not give {status} under the commission's rule "
            f"(COMMISSION_QUORUM?)."
        )


class Commission:
    """The member organisations and their delegates, read once."""

    def __init__(self, seeder):
        self.secretariat = seeder.people["secretariat"]
        self.members = list(
            Organisation.objects.filter(is_commission_member=True).order_by("name")
        )
        self.delegates = {}
        for user in User.objects.filter(
            is_commission_delegate=True, organisation__in=self.members
        ).order_by("-username"):
            self.delegates[user.organisation_id] = user
        self.quorum = decision.quorum_required(len(self.members))
        self.axis_numbers = {
            atelier.pk: number for number, atelier in seeder.ateliers.items()
        }

    def key(self, proposal) -> tuple[int, int]:
        return self.axis_numbers[proposal.atelier_id], proposal.number

    def recorder(self, organisation):
        return self.delegates.get(organisation.pk, self.secretariat)


def hold(seeder, decided) -> None:
    """Decide ``decided``, a list of (proposal, status, moment) of proposals
    just created submitted, in the session held at each moment."""
    if not decided:
        return
    commission = Commission(seeder)
    by_moment = defaultdict(list)
    for proposal, status, moment in decided:
        by_moment[moment].append((proposal, status))
    for moment, planned in sorted(by_moment.items()):
        planned.sort(key=lambda pair: commission.key(pair[0]))
        _hold_session(seeder, commission, moment, planned)


def _hold_session(seeder, commission, moment, planned) -> None:
    starts_at = _aware(*moment)
    place = data.COMMISSION_SESSION_PLACES[data.COMMISSION_ROUNDS.index(moment)]
    # A session of this date already held by an earlier run (the demo size,
    # then the large one): the proposals added since are decided in a session
    # of their own, merged into it below.
    earlier = CommissionSession.objects.filter(
        starts_at=starts_at, place=place, status=CommissionSession.Status.CLOSED
    ).first()
    mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    session = _convene(
        commission, starts_at, place, [proposal for proposal, _status in planned]
    )
    items = {item.proposal_id: item for item in session.items.all()}
    positions, minutes = [], []
    members = commission.members
    for proposal, status in planned:
        rng = _rng("commission", *commission.key(proposal), status)
        item = items[proposal.pk]
        used = set()
        if rng.random() < MINUTES_SHARE:
            # Debated in the meeting room: every organisation present, one
            # or two of them abstaining, the minutes say what was said.
            abstain = rng.randint(1, max(1, len(members) - commission.quorum))
            values = draw_tally(rng, status, len(members) - abstain)
            _check(values, len(members), abstain, status)
            counts = _counts(values)
            item.minutes_recorded = True
            item.minutes_approve = counts[P.APPROVE]
            item.minutes_reservations = counts[P.APPROVE_WITH_RESERVATIONS]
            item.minutes_changes = counts[P.REQUEST_CHANGES]
            item.minutes_oppose = counts[P.OPPOSE]
            item.minutes_abstain = abstain
            said = [
                _comment(rng, value, used)
                for value in values
                if value in ItemPosition.COMMENT_REQUIRED
            ]
            item.minutes_comments = "\n".join(f"- {text}" for text in said)
            minutes.append(item)
            continue
        answering = rng.randint(commission.quorum, len(members))
        values = draw_tally(rng, status, answering)
        _check(values, len(members), 0, status)
        for organisation, value in zip(
            rng.sample(members, answering), values, strict=True
        ):
            positions.append(
                ItemPosition(
                    item=item,
                    organisation=organisation,
                    position=value,
                    comment=_comment(rng, value, used),
                    recorded_by=commission.recorder(organisation),
                )
            )
    AgendaItem.objects.bulk_update(minutes, MINUTES_FIELDS, batch_size=200)
    ItemPosition.objects.bulk_create(positions, batch_size=500)
    commission_services.session_close(
        session=session, acting_user=commission.secretariat
    )

    outcomes = dict(session.items.values_list("proposal_id", "outcome"))
    wrong = [
        str(proposal)
        for proposal, status in planned
        if outcomes[proposal.pk] != OUTCOMES[status]
    ]
    if wrong:
        raise CommandError(
            f"The demo session of {starts_at:%Y-%m-%d} decided "
            f"otherwise than the demo says: {', '.join(wrong)}"
        )
    _date(session, commission, [proposal.pk for proposal, _ in planned], mark)
    seeder.created["agendaitem"] += len(items)
    seeder.created["itemposition"] += len(positions)
    if earlier is None:
        seeder.created["commissionsession"] += 1
        return
    AgendaItem.objects.filter(session=session).update(session=earlier)
    _session_events(session).delete()
    CommissionSession.objects.filter(pk=session.pk).delete()


def _convene(commission, starts_at, place, proposals) -> CommissionSession:
    """What services.session_convene writes, without its e-mails (nobody is
    told in 2007 of a session convened by a seed)."""
    session = CommissionSession.objects.create(
        starts_at=starts_at, place=place, convened_by=commission.secretariat
    )
    _add_to_agenda(commission, session, proposals, CommissionVerb.SESSION_CONVENE)
    return session


def _add_to_agenda(commission, session, proposals, action) -> None:
    AgendaItem.objects.bulk_create(
        [AgendaItem(session=session, proposal=proposal) for proposal in proposals],
        batch_size=500,
    )
    agenda = session.items.select_related("proposal__atelier__axis", "axis")
    AuditEvent.record(
        actor=commission.secretariat,
        target=session,
        action=action,
        to_status=session.status,
        comment=commission_services.in_portal_language(
            lambda: ", ".join(str(item.subject) for item in agenda)
        )[: texts.COMMENT],
    )


def _session_events(session):
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(CommissionSession),
        target_id=session.pk,
    )


def _date(session, commission, proposal_pks, mark) -> None:
    """Give what the services just stamped with today's date its 2007 date:
    the session, its journal, the positions (the days before the session), the
    decisions, their revisions and the proposals' status date."""
    starts_at = session.starts_at
    convened_at = starts_at - CONVENED_BEFORE
    closed_at = starts_at + CLOSED_AFTER
    CommissionSession.objects.filter(pk=session.pk).update(
        created_at=convened_at, updated_at=closed_at, closed_at=closed_at
    )
    events = _session_events(session).filter(pk__gt=mark or 0)
    events.filter(action=CommissionVerb.SESSION_CONVENE).update(created_at=convened_at)
    events.filter(action=CommissionVerb.SESSION_CLOSE).update(created_at=closed_at)
    AuditEvent.objects.filter(
        pk__gt=mark or 0,
        target_type=ContentType.objects.get_for_model(Proposal),
        target_id__in=proposal_pks,
        action__in=DECISION_VERBS,
    ).update(created_at=closed_at)
    Proposal.objects.filter(pk__in=proposal_pks).update(
        status_changed_at=closed_at, updated_at=closed_at
    )
    ProposalRevision.objects.filter(proposal_id__in=proposal_pks, version__gt=1).update(
        created_at=closed_at
    )
    # Each organisation's delegate answered on one evening of the week before.
    for index, organisation in enumerate(commission.members):
        ItemPosition.objects.filter(
            item__session=session, organisation=organisation
        ).update(updated_at=starts_at - timedelta(days=2 + index, hours=-index))


def convene_next(seeder, created_pks: set) -> None:
    """The session convened and not held yet (data.NEXT_COMMISSION_SESSION),
    with the submitted proposals on its agenda: all of them when it is
    convened, then those a later run creates (a proposal taken off its agenda
    in the portal stays off). Some organisations have answered, the demo's
    ``commission`` login not on every item."""
    commission = Commission(seeder)
    starts_at = _aware(*data.NEXT_COMMISSION_SESSION)
    place = data.NEXT_COMMISSION_SESSION_PLACE
    session = CommissionSession.objects.filter(starts_at=starts_at, place=place).first()
    mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    if session is None:
        added = list(
            commission_services.eligible_proposals().order_by(
                "atelier__axis__number", "number"
            )
        )
        if not added:
            return
        session = _convene(commission, starts_at, place, added)
        seeder.created["commissionsession"] += 1
    elif session.is_convened:
        on_agenda = set(session.items.values_list("proposal_id", flat=True))
        added = [
            proposal
            for proposal in commission_services.eligible_proposals(session).order_by(
                "atelier__axis__number", "number"
            )
            if proposal.pk in created_pks and proposal.pk not in on_agenda
        ]
        if not added:
            return
        _add_to_agenda(commission, session, added, CommissionVerb.SESSION_CHANGE)
    else:
        return
    seeder.created["agendaitem"] += len(added)
    _answer_some(seeder, commission, session, added, mark)


def _answer_some(seeder, commission, session, added, mark) -> None:
    items = {
        item.proposal_id: item
        for item in session.items.filter(proposal__in=added).select_related("proposal")
    }
    login = seeder.people["commission"].organisation_id
    convened_at = session.starts_at - CONVENED_BEFORE
    answered_at = []
    for index, proposal in enumerate(added):
        rng = _rng("next session", *commission.key(proposal))
        used = set()
        for organisation in commission.members:
            delegate = commission.delegates.get(organisation.pk)
            if delegate is None:
                continue
            # The demo's delegate has answered on every other item, never on
            # the first: there is always something left for them to answer.
            answers = index % 2 == 1 if organisation.pk == login else rng.random() < 0.5
            if not answers:
                continue
            value = rng.choices(
                (P.APPROVE, P.APPROVE_WITH_RESERVATIONS, P.REQUEST_CHANGES),
                weights=(5, 3, 2),
            )[0]
            commission_services.item_position_record(
                item=items[proposal.pk],
                organisation=organisation,
                position=value,
                comment=_comment(rng, value, used),
                base_version=0,
                acting_user=delegate,
            )
            answered_at.append(
                convened_at
                + timedelta(days=rng.randint(3, 17), hours=rng.randint(0, 8))
            )
    seeder.created["itemposition"] += len(answered_at)
    events = _session_events(session).filter(pk__gt=mark or 0)
    events.filter(action=CommissionVerb.SESSION_CONVENE).update(created_at=convened_at)
    events.filter(action=CommissionVerb.SESSION_CHANGE).update(
        created_at=convened_at + timedelta(days=1)
    )
    CommissionSession.objects.filter(pk=session.pk).update(
        created_at=convened_at, updated_at=convened_at
    )
    recorded = list(events.filter(action=CommissionVerb.ITEM_POSITION).order_by("pk"))
    for event, when in zip(recorded, answered_at, strict=True):
        event.created_at = when
    AuditEvent.objects.bulk_update(recorded, ["created_at"])
    positions = list(
        ItemPosition.objects.filter(item__in=items.values()).order_by("pk")
    )
    for position, when in zip(positions, answered_at, strict=True):
        position.updated_at = when
    ItemPosition.objects.bulk_update(positions, ["updated_at"])
