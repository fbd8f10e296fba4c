"""Field-by-field differences between two saved states of a proposal."""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Proposal
from .services import TRACKED_FIELDS

_TOKENS = re.compile(r"\s+|[^\s]+")
# Shown as "before → after", not word by word.
SINGLE_VALUE_FIELDS = ("status", "priority", "enjeu", "lead_organisation")


@dataclass
class FieldChange:
    name: str
    label: str
    before: str | list
    after: str | list
    inline: SafeString | None = None  # word diff of a text field
    single: bool = False  # a choice or one related object: before → after
    added: list = field(default_factory=list)  # for lists (organisations…)
    removed: list = field(default_factory=list)


def inline_word_diff(before: str, after: str) -> SafeString:
    """The text of ``after`` with words removed since ``before`` in <del> and
    words added in <ins>; every piece is HTML-escaped."""
    a, b = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    parts = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[a1:a2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(a[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(b[b1:b2]))}</ins>")
    return mark_safe("".join(parts))  # every fragment escaped above


def _display(name: str, value):
    if name == "status" and value in Proposal.Status.values:
        return Proposal.Status(value).label
    if name == "priority" and value in Proposal.Priority.values:
        return Proposal.Priority(value).label
    return value


def compare(before: dict, after: dict) -> list[FieldChange]:
    """The fields that differ between two snapshots, in reading order."""
    changes = []
    for name in TRACKED_FIELDS:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        label = str(Proposal._meta.get_field(name).verbose_name).capitalize()
        if isinstance(old, list) or isinstance(new, list):
            old, new = old or [], new or []
            changes.append(
                FieldChange(
                    name=name,
                    label=label,
                    before=old,
                    after=new,
                    added=[x for x in new if x not in old],
                    removed=[x for x in old if x not in new],
                )
            )
        elif name in SINGLE_VALUE_FIELDS:
            changes.append(
                FieldChange(
                    name=name,
                    label=label,
                    before=_display(name, old) or "",
                    after=_display(name, new) or "",
                    single=True,
                )
            )
        else:
            old, new = old or "", new or ""
            changes.append(
                FieldChange(
                    name=name,
                    label=label,
                    before=old,
                    after=new,
                    inline=inline_word_diff(str(old), str(new)),
                )
            )
    return changes
