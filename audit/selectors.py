from django.db.models import Q

from .models import AuditEvent


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
    if text := (filters.get("q") or "").strip():
        qs = qs.filter(
            Q(target_label__icontains=text)
            | Q(comment__icontains=text)
            | Q(actor__last_name__icontains=text)
            | Q(actor__first_name__icontains=text)
            | Q(actor__username__icontains=text)
        )
    return qs
