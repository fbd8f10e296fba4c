"""Reads of the seminar shared by the pages, the CSV export and the PDF."""

from itertools import groupby

from django.db.models import Count, Q

from cucs_portal.collation import french_key
from cucs_portal.search import matching

from .models import Event, Invitation, abandoned_claim, forgotten_queue


def events_overview():
    """The events with their guest and reply counts, in one query."""
    return (
        Event.objects.select_related("edition")
        .annotate(
            guest_count=Count("invitations"),
            attending_count=Count(
                "invitations", filter=Q(invitations__reply=Invitation.Reply.ATTENDING)
            ),
        )
        .order_by("-starts_at", "-pk")
    )


def event_detail(*, pk: int) -> Event:
    return Event.objects.select_related("edition", "created_by").get(pk=pk)


# The guest list's search. No trigram index: it runs within one seminar's
# guests, which the event's index narrows to a few hundred rows at most.
SEARCHED_FIELDS = ("full_name", "job_title", "email", "organisation__name")


def guests(event: Event, *, category: str = "", reply: str = "", text: str = ""):
    invitations = event.invitations.for_listing()
    if found := matching(text, *SEARCHED_FIELDS):
        invitations = invitations.filter(found)
    if category:
        invitations = invitations.filter(category=category)
    if reply:
        invitations = invitations.filter(reply=reply)
    return invitations


def grouped(invitations) -> list[dict]:
    """The invitations (ordered by category) as one group per category, in the
    order of ``Invitation.Category``."""
    labels = dict(Invitation.Category.choices)
    order = list(labels)
    groups = [
        {"category": category, "label": labels[category], "invitations": list(rows)}
        for category, rows in groupby(invitations, key=lambda i: i.category)
    ]
    return sorted(groups, key=lambda group: order.index(group["category"]))


def reply_summary(event: Event) -> dict:
    """Per category and in total: attending, declined, no reply yet, guests."""
    counts = event.invitations.reply_counts()
    rows = []
    total = dict.fromkeys(Invitation.Reply.values, 0)
    for category, label in Invitation.Category.choices:
        by_reply = {reply: counts.get(category, {}).get(reply, 0) for reply in total}
        for reply, n in by_reply.items():
            total[reply] += n
        rows.append(
            {
                "category": category,
                "label": label,
                **by_reply,
                "total": sum(by_reply.values()),
            }
        )
    return {"rows": rows, "total": {**total, "total": sum(total.values())}}


def waiting_emails(event: Event) -> dict:
    """How many e-mails of ``event`` wait for the background worker, and how
    many of them for so long that the worker seems stopped; in one query."""
    late = forgotten_queue() | abandoned_claim()
    return event.invitations.waiting().aggregate(
        count=Count("pk"), late=Count("pk", filter=late)
    )


def attendance_list(event: Event):
    """The guests who accepted, by category then name: the attendance sheet."""
    order = {value: i for i, value in enumerate(Invitation.Category.values)}
    rows = list(event.invitations.attending().for_listing())
    return sorted(
        rows, key=lambda i: (order[i.category], french_key(i.full_name), i.pk)
    )


def own_invitation(event: Event, user):
    """The signed-in person's own invitation to ``event``, if any."""
    if not user.is_authenticated:
        return None
    return event.invitations.filter(user=user).first()
