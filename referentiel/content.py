"""What an edition contains, as plain data.

``assemble`` gathers, for a draft, the validated proposals the secretariat kept,
grouped axis → enjeu → proposal in their order, with the axes' problem
statements, diagnosis and enjeux and the composition of the ateliers. The same
dictionary is frozen in a published edition, rendered by the one template
(preview and PDF), compared between editions and hashed to find a PDF already
rendered. It holds source texts (Markdown), never HTML: the template sanitises
when it renders.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ateliers.models import Atelier, AtelierMembership, Proposal
from axes.models import Axis, DiagnosisElement, Enjeu
from cucs_portal.collation import French, french_key
from cucs_portal.models import Attachment

SCHEMA = 1
# What the PDF is made of besides its content: a change to any of these renders
# unchanged content again. The templates are every referentiel/document*.html.
DOCUMENT_TEMPLATES_GLOB = "document*.html"
DOCUMENT_STATIC = ("img/logo.svg",)
PRINT_STYLESHEET = "css/referentiel-print.css"
DOCUMENT_STYLESHEET = "css/referentiel-document.css"

PROPOSAL_TEXT_FIELDS = (
    "summary",
    "description",
    "actions",
    "timetable",
    "means",
    "indicators",
)


def _person(user) -> dict:
    return {
        "name": user.get_full_name() or user.get_username(),
        "job_title": user.job_title,
        "organisation": user.organisation.name if user.organisation_id else "",
    }


def proposals_in_order(edition):
    """Every validated proposal with its entry (None when the secretariat has not
    touched it), in edition order: axis, enjeu, then the entry's position (the
    proposal's number by default)."""
    entries = {e.proposal_id: e for e in edition.entries.all()}
    proposals = (
        Proposal.objects.validated()
        .select_related("atelier__axis", "enjeu__axis", "lead_organisation")
        .prefetch_related("partner_organisations", "territories")
        .order_by()
    )
    rows = [(p, entries.get(p.pk)) for p in proposals]

    def key(row):
        proposal, entry = row
        position = entry.position if entry else proposal.number
        return (
            proposal.atelier.axis.number,
            proposal.enjeu.position,
            position,
            proposal.number,
        )

    return sorted(rows, key=key)


def _validated_proposals() -> list[dict]:
    """Every validated proposal as the plain data an edition holds, read with
    four queries and no model instances (a re-export of unchanged content
    assembles it again to find its hash: it must stay fast)."""
    validated = Proposal.objects.validated()
    names: dict[str, dict[int, list]] = {"partner_organisations": {}, "territories": {}}
    through = {
        "partner_organisations": (
            Proposal.partner_organisations.through,
            "organisation",
        ),
        "territories": (Proposal.territories.through, "territory"),
    }
    for key, (model, field) in through.items():
        rows = model.objects.filter(proposal__in=validated).values_list(
            "proposal_id", f"{field}__name"
        )
        for proposal_id, name in rows:
            names[key].setdefault(proposal_id, []).append(name)
    # The names of each proposal's annexes (files attached to it), oldest
    # first: the document lists them, the files stay on the portal.
    annexes: dict[int, list[str]] = {}
    for proposal_id, name in Attachment.objects.for_objects(
        Proposal, validated.values("pk")
    ).values_list("object_id", "original_name"):
        annexes.setdefault(proposal_id, []).append(name)
    rows = []
    for row in validated.order_by().values(
        "id",
        "number",
        "title",
        *PROPOSAL_TEXT_FIELDS,
        "priority",
        "version",
        "status_changed_at",
        "enjeu_id",
        "enjeu__position",
        "atelier__axis__number",
        "lead_organisation__name",
    ):
        axis_number = row.pop("atelier__axis__number")
        changed = row.pop("status_changed_at")
        rows.append(
            {
                "id": row["id"],
                "reference": f"P{axis_number}.{row['number']:02d}",
                "number": row["number"],
                "title": row["title"],
                **{field: row[field] for field in PROPOSAL_TEXT_FIELDS},
                "priority": row["priority"],
                "lead_organisation": row["lead_organisation__name"] or "",
                "partner_organisations": sorted(
                    names["partner_organisations"].get(row["id"], []), key=french_key
                ),
                "territories": sorted(
                    names["territories"].get(row["id"], []), key=french_key
                ),
                "version": row["version"],
                # The day of the commission's decision, in the group's time zone.
                "validated_at": (
                    timezone.localdate(changed).isoformat() if changed else None
                ),
                # Only when there are some: an edition frozen before
                # attachments existed reads the same.
                **({"annexes": annexes[row["id"]]} if row["id"] in annexes else {}),
                "_enjeu_id": row["enjeu_id"],
                "_order": (axis_number, row["enjeu__position"]),
            }
        )
    return rows


def assemble(edition) -> dict:
    """The content of a draft edition as it stands now."""
    entries = {
        proposal_id: (included, position)
        for proposal_id, included, position in edition.entries.values_list(
            "proposal_id", "included", "position"
        )
    }
    rows = []
    for proposal in _validated_proposals():
        included, position = entries.get(proposal["id"], (True, proposal["number"]))
        if included:
            rows.append(
                (*proposal.pop("_order"), position, proposal["number"], proposal)
            )
    rows.sort(key=lambda row: row[:4])
    kept: dict[int, list] = {}
    for *_key, proposal in rows:
        kept.setdefault(proposal.pop("_enjeu_id"), []).append(proposal)

    axes = Axis.objects.prefetch_related(
        Prefetch(
            "diagnosis_elements",
            queryset=DiagnosisElement.objects.select_related("bassin"),
        ),
        Prefetch("enjeux", queryset=Enjeu.objects.order_by("position")),
    ).order_by("number")
    ateliers = (
        Atelier.objects.select_related("axis")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=AtelierMembership.objects.select_related(
                    "user__organisation"
                ).order_by(French("user__last_name"), French("user__first_name")),
            )
        )
        .order_by("axis__number")
    )

    atelier_rows = []
    organisations = set()
    for atelier in ateliers:
        coanimators = {m.role: _person(m.user) for m in atelier.memberships.all()}
        members = [
            _person(m.user)
            for m in atelier.memberships.all()
            if m.role == AtelierMembership.Role.MEMBER
        ]
        referent = coanimators.get(AtelierMembership.Role.LANDLORD_REFERENT)
        public = coanimators.get(AtelierMembership.Role.PUBLIC_COANIMATOR)
        atelier_rows.append(
            {
                "axis_number": atelier.axis.number,
                "name": atelier.name,
                "period_start": atelier.period_start.isoformat(),
                "period_end": atelier.period_end.isoformat(),
                "landlord_referent": referent,
                "public_coanimator": public,
                "members": members,
            }
        )
        for person in [referent, public, *members]:
            if person and person["organisation"]:
                organisations.add(person["organisation"])

    axis_rows = []
    for axis in axes:
        enjeux = [
            {
                "reference": f"{axis.number}.{enjeu.position}",
                "title": enjeu.title,
                "description": enjeu.description,
                "proposals": kept.get(enjeu.pk, []),
            }
            for enjeu in axis.enjeux.all()
        ]
        for enjeu in enjeux:
            for proposal in enjeu["proposals"]:
                organisations.update(filter(None, [proposal["lead_organisation"]]))
        axis_rows.append(
            {
                "number": axis.number,
                "title": axis.title,
                "short_label": axis.short_label,
                "problem_statement": axis.problem_statement,
                "diagnosis": [
                    {
                        "bassin": element.bassin.name if element.bassin_id else "",
                        "text": element.text,
                    }
                    for element in axis.diagnosis_elements.all()
                ],
                "enjeux": enjeux,
            }
        )

    return {
        "schema": SCHEMA,
        "edition": {
            "title": edition.title,
            "place": edition.place,
            "event_date": (
                edition.event_date.isoformat() if edition.event_date else None
            ),
            "introduction": edition.introduction,
        },
        "axes": axis_rows,
        "ateliers": atelier_rows,
        "organisations": sorted(organisations, key=french_key),
    }


def content_of(edition) -> dict:
    """The frozen content of a published edition; the live one of a draft."""
    return edition.snapshot if edition.is_published else assemble(edition)


def proposal_count(content: dict) -> int:
    """How many proposals a content holds."""
    return sum(len(e["proposals"]) for a in content["axes"] for e in a["enjeux"])


def document_content(edition, content: dict | None = None) -> dict:
    """What the document (preview or PDF) of an edition is made from: its
    content (``content_of``, or ``content`` when just frozen), whether it is
    published and on which day."""
    content = content_of(edition) if content is None else content
    if edition.published_at is None:  # a draft (publishing sets it first)
        return {**content, "published": False}
    published_on = timezone.localdate(edition.published_at).isoformat()
    return {**content, "published": True, "published_on": published_on}


def sections(content: dict) -> dict[str, str]:
    """The parts of a document a reviewer may comment on, in the document's
    order: its introduction, each axis, each enjeu and each proposal, by their
    anchor in the document (the ``id`` of their element in document.html) and
    with the name people read."""
    found = {"introduction": _("Introduction")}
    for axis in content["axes"]:
        found[f"axe-{axis['number']}"] = _("Axis %(number)s · %(title)s") % {
            "number": axis["number"],
            "title": axis["title"],
        }
        for enjeu in axis["enjeux"]:
            found[f"enjeu-{slugify(enjeu['reference'])}"] = _(
                "Enjeu %(reference)s · %(title)s"
            ) % {"reference": enjeu["reference"], "title": enjeu["title"]}
            for proposal in enjeu["proposals"]:
                found[f"proposition-{proposal['id']}"] = (
                    f"{proposal['reference']} · {proposal['title']}"
                )
    return found


def canonical_json(content: dict) -> bytes:
    return json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode()


# What a rendition's content holds besides the edition's (document_content).
RENDITION_KEYS = ("published", "published_on")


def frozen_sha256(content: dict) -> str:
    """The SHA-256 of an edition's frozen content (a rendition's content
    without what the rendition adds), as the JSON file the edition's page
    offers: what the colophon prints and anyone can compute with sha256sum."""
    frozen = {key: value for key, value in content.items() if key not in RENDITION_KEYS}
    return hashlib.sha256(canonical_json(frozen)).hexdigest()


@cache
def layout_fingerprint() -> str:
    """A hash of all the PDF is made with besides its content: the document's
    templates, stylesheets and image, the French catalog, the code that makes
    its HTML (typography, Markdown, template tags) and WeasyPrint's patches,
    and the versions of WeasyPrint and of the Markdown renderer. Read once a
    process, like the templates it describes (restart the worker after a
    deployment)."""
    import markdown_it
    import nh3
    import weasyprint

    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    templates = here / "templates" / "referentiel"
    files = sorted(templates.glob(DOCUMENT_TEMPLATES_GLOB))
    files += [
        Path(finders.find(name))
        for name in (PRINT_STYLESHEET, DOCUMENT_STYLESHEET, *DOCUMENT_STATIC)
    ]
    files += [
        Path(path) / "fr" / "LC_MESSAGES" / "django.mo"
        for path in settings.LOCALE_PATHS
    ]
    # The code that turns the content into the document: its typography, its
    # Markdown, its template tags, its context and the render's patches.
    files += [Path(module.__file__) for module in _document_code()]
    files += [here / "pdf.py", here / "templatetags" / "document.py"]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    for version in (
        weasyprint.__version__,
        markdown_it.__version__,
        nh3.__version__,
    ):
        digest.update(str(version).encode())
    digest.update(settings.LANGUAGE_CODE.encode())
    return digest.hexdigest()


def _document_code() -> list:
    from cucs_portal import markdown, typography
    from cucs_portal.documents import patches
    from cucs_portal.templatetags import portal

    return [typography, markdown, portal, patches]


def content_hash(content: dict) -> str:
    digest = hashlib.sha256(canonical_json(content))
    digest.update(layout_fingerprint().encode())
    return digest.hexdigest()


def proposal_index(content: dict) -> dict[int, dict]:
    """Every proposal of a content by id, with its axis and enjeu."""
    index = {}
    for axis in content["axes"]:
        for enjeu in axis["enjeux"]:
            for proposal in enjeu["proposals"]:
                index[proposal["id"]] = {
                    **proposal,
                    "axis_number": axis["number"],
                    "enjeu_reference": enjeu["reference"],
                }
    return index


FIELD_LABEL_ALIASES = {
    "enjeu_reference": "enjeu",
    "reference": "number",
    "axis_number": "atelier",
}


def _field_label(name: str) -> str:
    """How people read the name of a proposal's field that changed."""
    name = FIELD_LABEL_ALIASES.get(name, name)
    try:
        return str(Proposal._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def compare(old: dict, new: dict) -> dict:
    """What changed from one edition's content to another's: proposals added,
    removed and modified (any field, its enjeu included), by reference."""
    before, after = proposal_index(old), proposal_index(new)
    added = [after[pk] for pk in after if pk not in before]
    removed = [before[pk] for pk in before if pk not in after]
    modified = []
    for pk in after.keys() & before.keys():
        a, b = before[pk], after[pk]
        fields = sorted(
            key
            for key in a.keys() | b.keys()
            if key not in ("version", "validated_at") and a.get(key) != b.get(key)
        )
        if fields:
            modified.append(
                {
                    **b,
                    "changed_fields": fields,
                    "changed_labels": list(
                        dict.fromkeys(_field_label(f) for f in fields)
                    ),
                }
            )

    def order(rows):
        return sorted(rows, key=lambda p: (p["axis_number"], p["reference"]))

    changed_intro = old["edition"]["introduction"] != new["edition"]["introduction"]
    return {
        "added": order(added),
        "removed": order(removed),
        "modified": order(modified),
        "introduction_changed": changed_intro,
        "unchanged": not (added or removed or modified or changed_intro),
    }
