"""From an edition's content to the HTML of the one template (preview and PDF).
The PDF itself is made by the portal's document engine
(``cucs_portal.documents``), with the référentiel's print stylesheet.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import metadata

from django.template.loader import render_to_string
from django.utils import timezone, translation

from ateliers.models import Proposal

from .content import frozen_sha256, proposal_count


@cache
def portal_version() -> str:
    """The portal's version as installed (pyproject's ``version``)."""
    try:
        return metadata.version("portail-cucs")
    except metadata.PackageNotFoundError:  # run from a checkout never installed
        return "?"


def _with_labels(axes: list, ateliers: list) -> list:
    """The axes with each proposal's priority label (content keeps the code),
    its atelier's name and the date of the commission's decision as a date."""
    labels = dict(Proposal.Priority.choices)
    atelier_names = {a["axis_number"]: a["name"] for a in ateliers}
    return [
        {
            **axis,
            "enjeux": [
                {
                    **enjeu,
                    "proposals": [
                        {
                            **p,
                            "priority_label": labels.get(p["priority"], ""),
                            "atelier": atelier_names.get(axis["number"], ""),
                            # Joined here, as plain text for |typo (``join``
                            # in the template escapes, and |typo then leaves
                            # HTML alone).
                            "partners_text": ", ".join(p["partner_organisations"]),
                            "territories_text": ", ".join(p["territories"]),
                            "validated_on": (
                                date.fromisoformat(p["validated_at"])
                                if p.get("validated_at")
                                else None
                            ),
                        }
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
    """What the template shows. A PDF carries the moment it is made (the
    colophon, the PDF's CreationDate and ModDate): everything else comes from
    the content, so that a published edition rendered again reads the same."""
    edition = content["edition"]
    event_date = edition["event_date"]
    published = content.get("published", False)
    published_on = content.get("published_on")
    return {
        "content": content,
        "edition": edition,
        "event_date": date.fromisoformat(event_date) if event_date else None,
        "axes": _with_labels(content["axes"], content["ateliers"]),
        "ateliers": content["ateliers"],
        "organisations": content["organisations"],
        "proposal_count": proposal_count(content),
        "published": published,
        "published_on": date.fromisoformat(published_on) if published_on else None,
        "content_sha256": frozen_sha256(content) if published else "",
        "portal_version": portal_version(),
        "rendered_at": timezone.localtime() if for_print else None,
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
