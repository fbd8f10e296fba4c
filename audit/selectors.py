from cucs_portal.search import matching_through
from people.models import User

from .models import AuditEvent

# The journal's own columns searched (with a GIN trigram index each on
# PostgreSQL, migration 0007), and the actor's names.
SEARCHED_FIELDS = ("target_label", "comment")
ACTOR_FIELDS = ("last_name", "first_name", "username")


def search_events(filters: dict):
    qs = AuditEvent.objects.select_related(
        "actor", "actor_organisation", "target_type"
    ).order_by("-created_at", "-pk")
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    if filters.get("organisation"):
        qs = qs.filter(actor_organisation=filters["organisation"])
    if filters.get("since"):
        qs = qs.filter(created_at__date__gte=filters["since"])
    if filters.get("until"):
        qs = qs.filter(created_at__date__lte=filters["until"])
    # Accents and case ignored; each word in the object, the comment or the
    # actor's names.
    found = matching_through(
        filters.get("q") or "",
        *SEARCHED_FIELDS,
        through="actor",
        related=User.objects.all(),
        related_fields=ACTOR_FIELDS,
    )
    if found is not None:
        qs = qs.filter(found)
    return qs
