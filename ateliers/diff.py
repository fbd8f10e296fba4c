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


# difflib's matcher costs up to the product of the two sequences' lengths. A
# word diff runs when the two texts' words multiply to no more than this (two
# texts of 500 words, far more than a proposal's field holds as a rule); above
# it the texts are matched line by line first and only the changed lines are
# compared word by word, each block under the same budget. Lines still over it
# are shown as replaced: the old lines struck out, the new ones inserted. The
# whole comparison is then linear in the texts (each block's cost is at most
# 500 × its length), which benchmarks/adversarial.py measures.
DIFF_BUDGET = 250_000


def _words(before: list[str], after: list[str]) -> list[str]:
    """Word-level pieces of two token lists, or one replacement when too big."""
    if len(before) * len(after) > DIFF_BUDGET:
        return _replaced("".join(before), "".join(after))
    parts = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(before[a1:a2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(before[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(after[b1:b2]))}</ins>")
    return parts


def _replaced(before: str, after: str) -> list[str]:
    return [
        f"<del>{escape(before)}</del>" if before else "",
        f"<ins>{escape(after)}</ins>" if after else "",
    ]


def inline_word_diff(before: str, after: str) -> SafeString:
    """The text of ``after`` with words removed since ``before`` in <del> and
    words added in <ins>; every piece is HTML-escaped. Bounded: see
    ``DIFF_BUDGET``."""
    before, after = before or "", after or ""
    a, b = _TOKENS.findall(before), _TOKENS.findall(after)
    if len(a) * len(b) <= DIFF_BUDGET:
        return mark_safe("".join(_words(a, b)))  # every fragment escaped
    a_lines, b_lines = before.splitlines(True), after.splitlines(True)
    if len(a_lines) * len(b_lines) > DIFF_BUDGET:
        return mark_safe("".join(_replaced(before, after)))  # escaped
    parts = []
    matcher = difflib.SequenceMatcher(a=a_lines, b=b_lines, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        old, new = "".join(a_lines[a1:a2]), "".join(b_lines[b1:b2])
        if op == "equal":
            parts.append(escape(old))
        else:
            parts += _words(_TOKENS.findall(old), _TOKENS.findall(new))
    return mark_safe("".join(parts))  # every fragment escaped in _words


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
