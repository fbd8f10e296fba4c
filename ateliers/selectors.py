"""Reads shared by the atelier and proposal pages, exports and the PDF."""

from django.db.models import Case, Count, Prefetch, Q, Value, When
from django.utils import timezone

from cucs_portal.collation import French
from cucs_portal.models import Attachment
from cucs_portal.search import matching
from people.models import Organisation, Territory, User

from .models import Atelier, AtelierMembership, Proposal, ProposalSuggestion, Session

# What the proposals list's search box looks in.
SEARCHED_FIELDS = ("title", "summary", "description", "actions")


def proposals_for_listing(*, user):
    """Proposals ``user`` may read, with everything a list row shows, in
    axis → enjeu → number order. No query per row."""
    return (
        Proposal.objects.visible_to(user)
        .select_related("atelier__axis", "enjeu__axis", "lead_organisation")
        .order_by("atelier__axis__number", "enjeu__position", "number")
    )


def ateliers_overview():
    """The six ateliers with their people (organisation included) and counts."""
    memberships = AtelierMembership.objects.select_related(
        "user__organisation"
    ).order_by("role", French("user__last_name"), French("user__first_name"))
    return (
        Atelier.objects.select_related("axis")
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__role=AtelierMembership.Role.MEMBER),
                distinct=True,
            ),
            session_count=Count("sessions", distinct=True),
        )
        .prefetch_related(Prefetch("memberships", queryset=memberships))
        .order_by("axis__number")
    )


def split_people(atelier: Atelier) -> Atelier:
    """Sets ``atelier.coanimator_memberships`` (landlord referent first) and
    ``atelier.volunteer_memberships`` from the prefetched memberships. No query."""
    memberships = list(atelier.memberships.all())
    atelier.coanimator_memberships = sorted(
        (m for m in memberships if m.is_coanimator),
        key=lambda m: AtelierMembership.COANIMATOR_ROLES.index(m.role),
    )
    atelier.volunteer_memberships = [m for m in memberships if not m.is_coanimator]
    atelier.size_warning = not Atelier.is_recommended_size(
        len(atelier.volunteer_memberships)
    )
    return atelier


def memberships_of(*, user) -> list[AtelierMembership]:
    """The ateliers ``user`` belongs to (with role and axis), in axis order.
    One query."""
    if not user.is_authenticated:
        return []
    return list(
        AtelierMembership.objects.filter(user=user)
        .select_related("atelier__axis")
        .order_by("atelier__axis__number")
    )


def atelier_detail(*, pk: int) -> Atelier:
    memberships = AtelierMembership.objects.select_related(
        "user__organisation"
    ).order_by("role", French("user__last_name"), French("user__first_name"))
    attendees = User.objects.select_related("organisation")
    sessions = Session.objects.prefetch_related(
        Prefetch("attendees", queryset=attendees)
    ).order_by("starts_at")
    return (
        Atelier.objects.select_related("axis")
        .prefetch_related(
            Prefetch("memberships", queryset=memberships),
            Prefetch("sessions", queryset=sessions),
            "axis__enjeux",
        )
        .get(pk=pk)
    )


def next_session(atelier: Atelier) -> Session | None:
    """The first session still to come, from the prefetched sessions. No query."""
    now = timezone.now()
    return next((s for s in atelier.sessions.all() if s.starts_at >= now), None)


def proposal_detail(*, pk: int) -> Proposal:
    return (
        Proposal.objects.select_related(
            "atelier__axis",
            "enjeu__axis",
            "lead_organisation",
            "created_by",
            "ready_by",
        )
        .prefetch_related(
            "partner_organisations",
            "territories__parent",
            Prefetch("authors", queryset=User.objects.select_related("organisation")),
        )
        .get(pk=pk)
    )


def open_suggestions(*, proposal: Proposal) -> list[ProposalSuggestion]:
    """The suggestions of ``proposal`` waiting for its atelier, oldest first,
    with their author and organisation. One query."""
    return list(
        ProposalSuggestion.objects.open()
        .filter(proposal=proposal)
        .select_related("author__organisation")
        .order_by("created_at", "pk")
    )


def suggestions_for_history(*, proposal: Proposal) -> list[ProposalSuggestion]:
    """Every suggestion of ``proposal``, newest first, with who made and who
    decided it. One query."""
    return list(
        ProposalSuggestion.objects.filter(proposal=proposal)
        .select_related("author__organisation", "decided_by")
        .order_by("-created_at", "-pk")
    )


PRIORITY_RANK = Case(
    When(priority=Proposal.Priority.HIGH, then=Value(1)),
    When(priority=Proposal.Priority.MEDIUM, then=Value(2)),
    default=Value(3),
)


def search_proposals(*, user, filters: dict):
    """The proposals list: what ``user`` may read, narrowed by ``filters`` (the
    cleaned ProposalFilterForm). Returns (queryset without the status filter,
    queryset with it), so the page can count every status of the current search."""
    qs = proposals_for_listing(user=user).annotate(priority_rank=PRIORITY_RANK)
    needs_distinct = False
    # Accents and case ignored, every word in one of the texts; the GIN
    # trigram indexes of migration 0008 serve it on PostgreSQL.
    if found := matching(filters.get("q") or "", *SEARCHED_FIELDS):
        qs = qs.filter(found)
    if filters.get("axis"):
        qs = qs.filter(atelier__axis=filters["axis"])
    if filters.get("atelier"):
        qs = qs.filter(atelier=filters["atelier"])
    if filters.get("enjeu"):
        qs = qs.filter(enjeu=filters["enjeu"])
    if territory := filters.get("territory"):
        # A commune also finds the proposals of its priority neighbourhoods,
        # a bassin those of its communes.
        qs = qs.filter(
            Q(territories=territory)
            | Q(territories__parent=territory)
            | Q(territories__parent__parent=territory)
        )
        needs_distinct = True
    if organisation := filters.get("organisation"):
        qs = qs.filter(
            Q(lead_organisation=organisation) | Q(partner_organisations=organisation)
        )
        needs_distinct = True
    if needs_distinct:
        qs = qs.distinct()
    with_status = qs.filter(status=filters["status"]) if filters.get("status") else qs
    return qs, with_status


def proposals_for_export(queryset):
    """``queryset`` (of ``search_proposals``) with everything a row of the
    proposals export reads: its partners, territories and authors prefetched,
    so the export's queries do not grow with its rows."""
    return queryset.select_related(
        "atelier__axis", "enjeu__axis", "lead_organisation"
    ).prefetch_related(
        Prefetch(
            "partner_organisations",
            queryset=Organisation.objects.order_by(French("name")),
        ),
        Prefetch("territories", queryset=Territory.objects.order_by(French("name"))),
        Prefetch(
            "authors",
            queryset=User.objects.order_by(French("last_name"), French("first_name")),
        ),
    )


def proposal_export_rows(proposals):
    """One row a proposal, in the columns of ``PROPOSAL_EXPORT_COLUMNS``
    (ateliers/views.py): text as text, dates as dates, the version a number."""
    for proposal in proposals:
        yield [
            proposal.reference,
            proposal.title,
            proposal.atelier.name,
            str(proposal.atelier.axis),
            f"{proposal.enjeu.reference} {proposal.enjeu.title}",
            proposal.get_status_display(),
            proposal.get_priority_display(),
            proposal.summary,
            proposal.description,
            proposal.actions,
            proposal.timetable,
            proposal.means,
            proposal.indicators,
            proposal.lead_organisation.name if proposal.lead_organisation else "",
            ", ".join(o.name for o in proposal.partner_organisations.all()),
            ", ".join(t.name for t in proposal.territories.all()),
            ", ".join(str(a) for a in proposal.authors.all()),
            proposal.created_at,
            proposal.updated_at,
            proposal.status_changed_at,
            proposal.version,
        ]


def proposal_attachments(proposal) -> list:
    """``proposal``'s attached files, oldest first, with who added them: one query."""
    return list(
        Attachment.objects.for_object(proposal).select_related(
            "uploaded_by__organisation"
        )
    )


def proposal_annex_names(proposal) -> list[str]:
    """The names of ``proposal``'s annexes, oldest first: for the référentiel,
    which lists them under the proposal (one query)."""
    return list(
        Attachment.objects.for_object(proposal).values_list("original_name", flat=True)
    )


def annex_names_by_proposal(proposals) -> dict[int, list[str]]:
    """The names of each proposal's annexes by its id, oldest first, for a whole
    edition of the référentiel: one query whatever the number of proposals."""
    names = {proposal.pk: [] for proposal in proposals}
    if names:
        for proposal_id, name in Attachment.objects.for_objects(
            Proposal, list(names)
        ).values_list("object_id", "original_name"):
            names[proposal_id].append(name)
    return names


def session_attachments(sessions) -> dict[int, list]:
    """Each session's attached files by its id, for a list of sessions: one query."""
    by_session = {session.pk: [] for session in sessions}
    if by_session:
        for attachment in Attachment.objects.for_objects(
            Session, list(by_session)
        ).select_related("uploaded_by"):
            by_session[attachment.object_id].append(attachment)
    return by_session
