"""Reads of the pages that gather every app: the dashboard (the axes with their
proposal counts, "my tasks") and the page of an axis."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ateliers.models import AtelierMembership, Proposal
from axes.models import Axis, DiagnosisElement
from capitalisation.models import ExperienceSheet
from commission.models import ValidationRound
from commission.selectors import (
    convened_sessions,
    open_rounds_awaiting,
    proposals_not_on_an_agenda,
    sessions_awaiting,
)
from people.rules import is_commission_member
from seminaire.models import Event, Invitation


def axes_with_proposal_counts(*, user) -> list[Axis]:
    """The six axes, each with ``status_counts`` ({status: n}) and
    ``proposal_total`` over the proposals ``user`` may read.

    Two queries whatever the number of proposals.
    """
    axes = list(Axis.objects.select_related("atelier").order_by("number"))
    rows = (
        Proposal.objects.visible_to(user)
        .order_by()
        .values("atelier__axis_id", "status")
        .annotate(n=Count("pk"))
        .values_list("atelier__axis_id", "status", "n")
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for axis_id, status, n in rows:
        counts[axis_id][status] = n
    for axis in axes:
        axis.status_counts = counts.get(axis.pk, {})
        axis.proposal_total = sum(axis.status_counts.values())
        axis.status_rows = status_rows(axis.status_counts)
    return axes


def status_rows(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """``counts`` as ``(status, label, n)`` in the order of Proposal.Status, every
    status included (n may be 0), so a template needs no dictionary lookup."""
    return [
        (value, label, counts.get(value, 0)) for value, label in Proposal.Status.choices
    ]


def status_totals(axes: list[Axis]) -> list[tuple[str, str, int]]:
    """The status rows summed over ``axes`` (as returned above). No query."""
    totals: dict[str, int] = defaultdict(int)
    for axis in axes:
        for status, n in axis.status_counts.items():
            totals[status] += n
    return status_rows(totals)


def axis_detail(*, number: int) -> Axis:
    """One axis with its diagnosis, enjeux, atelier and co-animators."""
    coanimators = AtelierMembership.objects.filter(
        role__in=AtelierMembership.COANIMATOR_ROLES
    ).select_related("user__organisation")
    return (
        Axis.objects.select_related("atelier")
        .prefetch_related(
            Prefetch(
                "diagnosis_elements",
                queryset=DiagnosisElement.objects.select_related("bassin"),
            ),
            "enjeux",
            Prefetch(
                "atelier__memberships", queryset=coanimators, to_attr="coanimators"
            ),
        )
        .get(number=number)
    )


@dataclass
class Task:
    label: str
    count: int
    url: str


def tasks_for(*, user, memberships: list[AtelierMembership]) -> list[Task]:
    """What waits for ``user``, role by role (the dashboard's "my tasks");
    ``memberships`` are the user's, from memberships_of.

    At most eight queries, whatever the data size.
    """
    tasks = []
    atelier_ids = [m.atelier_id for m in memberships]
    coanimated = [m.atelier_id for m in memberships if m.is_coanimator]
    if atelier_ids:
        counts = (
            Proposal.objects.filter(
                atelier_id__in=atelier_ids,
                status__in=[Proposal.Status.DRAFT, Proposal.Status.CHANGES_REQUESTED],
            )
            .values("status", "atelier_id")
            .annotate(
                n=Count("pk"), ready=Count("pk", filter=Q(ready_at__isnull=False))
            )
            .order_by("atelier__axis__number", "status")
        )
        names = {m.atelier_id: m.atelier.name for m in memberships}
        base = reverse("ateliers:proposal_list")
        # One task per atelier, linked to exactly the proposals it counts.
        for row in counts:
            link = f"{base}?status={row['status']}&atelier={row['atelier_id']}"
            atelier = names[row["atelier_id"]]
            if row["status"] == Proposal.Status.CHANGES_REQUESTED:
                label = _("Sent back by the commission, to rework (%(atelier)s)")
            elif row["atelier_id"] in coanimated:
                label = _("Drafts to submit to the commission (%(atelier)s)")
            else:
                continue
            tasks.append(Task(label % {"atelier": atelier}, row["n"], link))
            # « Prête à soumettre »: the drafts a member said are ready.
            if row["status"] == Proposal.Status.DRAFT and row["ready"]:
                tasks.append(
                    Task(
                        _("Proposals ready to submit (%(atelier)s)")
                        % {"atelier": atelier},
                        row["ready"],
                        link,
                    )
                )
    if is_commission_member(user):
        waiting = Proposal.objects.filter(status=Proposal.Status.SUBMITTED).count()
        if waiting:
            tasks.append(
                Task(
                    _("Proposals waiting for the commission's decision"),
                    waiting,
                    reverse("commission:review_queue"),
                )
            )
        if user.organisation_id:
            for session in sessions_awaiting(organisation=user.organisation):
                tasks.append(
                    Task(
                        _("Your organisation's positions are awaited: %(session)s")
                        % {"session": session},
                        session.item_count - session.answered,
                        session.get_absolute_url(),
                    )
                )
            for validation_round in open_rounds_awaiting(
                organisation=user.organisation
            ):
                tasks.append(
                    Task(
                        _("Your organisation's position is awaited: %(title)s")
                        % {"title": validation_round.title},
                        validation_round.axis_count - validation_round.answered,
                        validation_round.get_absolute_url(),
                    )
                )
    if user.is_secretariat or user.is_superuser:
        open_rounds = (
            ValidationRound.objects.filter(status=ValidationRound.Status.OPEN)
            .annotate(answer_count=Count("positions"))
            .order_by("opened_at")
        )
        for validation_round in open_rounds:
            tasks.append(
                Task(
                    _(
                        "Positions recorded so far in the open round “%(title)s”: "
                        "close it once the commission has met"
                    )
                    % {"title": validation_round.title},
                    validation_round.answer_count,
                    validation_round.get_absolute_url(),
                )
            )
        for session in convened_sessions():
            tasks.append(
                Task(
                    _(
                        "Positions recorded so far for the %(session)s: close it "
                        "once the commission has met"
                    )
                    % {"session": session},
                    session.position_count,
                    session.get_absolute_url(),
                )
            )
        unplaced = proposals_not_on_an_agenda().count()
        if unplaced:
            tasks.append(
                Task(
                    _("Submitted proposals on no session's agenda yet"),
                    unplaced,
                    reverse("commission:review_queue"),
                )
            )
    tasks.extend(_seminar_tasks(user))
    tasks.extend(_sheet_tasks(user))
    return tasks


def _seminar_tasks(user) -> list[Task]:
    """The seminar: the person's own invitations still to answer (to their
    reply page), and for the secretariat the guests who have not replied to a
    seminar still taking replies. At most two queries."""
    now = timezone.now()
    tasks = []
    own = Invitation.objects.filter(
        user=user, reply=Invitation.Reply.PENDING, event__starts_at__gt=now
    ).select_related("event")
    for invitation in own:
        if invitation.event.replies_open:
            tasks.append(
                Task(
                    _("You are invited: reply to “%(title)s”")
                    % {"title": invitation.event.title},
                    1,
                    invitation.get_absolute_url(),
                )
            )
    if user.is_secretariat or user.is_superuser:
        events = (
            Event.objects.filter(starts_at__gt=now)
            .annotate(
                pending=Count(
                    "invitations",
                    filter=Q(invitations__reply=Invitation.Reply.PENDING),
                )
            )
            .order_by("starts_at")
        )
        for event in events:
            if event.pending and event.replies_open:
                tasks.append(
                    Task(
                        _("Guests who have not replied yet: %(title)s")
                        % {"title": event.title},
                        event.pending,
                        f"{event.get_absolute_url()}?reply=pending#guests",
                    )
                )
    return tasks


def _sheet_tasks(user) -> list[Task]:
    """Capitalisation: the experience sheets waiting for the secretariat's
    review, and the author's sheets it returned. One query."""
    reviews = user.is_secretariat or user.is_superuser
    wanted = Q(author=user, status=ExperienceSheet.Status.RETURNED)
    if reviews:
        wanted |= Q(status=ExperienceSheet.Status.SUBMITTED)
    counts = dict(
        ExperienceSheet.objects.filter(wanted)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    tasks = []
    if reviews and counts.get(ExperienceSheet.Status.SUBMITTED):
        tasks.append(
            Task(
                _("Experience sheets to review before everyone reads them"),
                counts[ExperienceSheet.Status.SUBMITTED],
                reverse("capitalisation:review_queue"),
            )
        )
    if counts.get(ExperienceSheet.Status.RETURNED):
        tasks.append(
            Task(
                _("Your experience sheets returned by the secretariat, to rework"),
                counts[ExperienceSheet.Status.RETURNED],
                reverse("capitalisation:mine"),
            )
        )
    return tasks
