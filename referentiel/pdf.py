"""From an edition's content to the HTML of the one template (preview and PDF).
The PDF itself is made by the portal's document engine
(``cucs_portal.documents``), with the référentiel's print stylesheet.
"""

from __future__ import annotations

from datetime import date

from django.template.loader import render_to_string
from django.utils import translation

from ateliers.models import Proposal

from .content import proposal_count


def _with_labels(axes: list) -> list:
    """The axes with each proposal's priority label (content keeps the code)."""
    labels = dict(Proposal.Priority.choices)
    return [
        {
            **axis,
            "enjeux": [
                {
                    **enjeu,
                    "proposals": [
                        {**p, "priority_label": labels.get(p["priority"], "")}
                        for p in enjeu["proposals"]
                    ],
                }
                for enjeu in axis["enjeux"]
            ],
        }
        for axis in axes
    ]


def _atelier_period(ateliers: list) -> dict:
    if not ateliers:
        return {}
    return {
        "ateliers_start": min(date.fromisoformat(a["period_start"]) for a in ateliers),
        "ateliers_end": max(date.fromisoformat(a["period_end"]) for a in ateliers),
    }


def document_context(content: dict, *, for_print: bool) -> dict:
    edition = content["edition"]
    event_date = edition["event_date"]
    return {
        "content": content,
        "edition": edition,
        "event_date": date.fromisoformat(event_date) if event_date else None,
        "axes": _with_labels(content["axes"]),
        "ateliers": content["ateliers"],
        "organisations": content["organisations"],
        "proposal_count": proposal_count(content),
        "published": content.get("published", False),
        "for_print": for_print,
        **_atelier_period(content["ateliers"]),
    }


def render_document_html(
    content: dict,
    *,
    for_print: bool,
    extra=None,
    template="referentiel/document.html",
) -> str:
    """The référentiel as HTML, in French whatever the reader's language: the
    document is the group's, in the group's language. The preview extends the
    same template with a bar on top."""
    with translation.override("fr"):
        return render_to_string(
            template,
            {**document_context(content, for_print=for_print), **(extra or {})},
        )
