"""Reads shared by the atelier and proposal pages, exports and the PDF."""

from django.db.models import Count, Prefetch, Q

from people.models import User

from .models import Atelier, AtelierMembership, Proposal, Session


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
    ).order_by("role", "user__last_name", "user__first_name")
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


def atelier_detail(*, pk: int) -> Atelier:
    memberships = AtelierMembership.objects.select_related(
        "user__organisation"
    ).order_by("role", "user__last_name", "user__first_name")
    sessions = Session.objects.prefetch_related("attendees").order_by("starts_at")
    return (
        Atelier.objects.select_related("axis")
        .prefetch_related(
            Prefetch("memberships", queryset=memberships),
            Prefetch("sessions", queryset=sessions),
            "axis__enjeux",
        )
        .get(pk=pk)
    )


def proposal_detail(*, pk: int) -> Proposal:
    return (
        Proposal.objects.select_related(
            "atelier__axis", "enjeu__axis", "lead_organisation", "created_by"
        )
        .prefetch_related(
            "partner_organisations",
            "territories__parent",
            Prefetch("authors", queryset=User.objects.select_related("organisation")),
        )
        .get(pk=pk)
    )
