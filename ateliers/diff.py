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


# difflib's matcher costs up to the product of the two sequences' lengths. Two
# texts are compared word by word when their words multiply to no more than
# this (two texts of about 250 words); longer ones are matched line by line,
# then the changed lines sentence by sentence, and only the changed sentences
# word by word, each comparison under the same budget. What is still over it is
# shown as replaced: the old part struck out, the new one inserted. The whole is
# then linear in the texts (a block costs at most 500 × its length), which
# benchmarks/adversarial.py measures, and a small change to a long text still
# reads as a small change.
DIFF_BUDGET = 250_000

_SENTENCES = re.compile(r"[^.!?;:]*(?:[.!?;:]+\s*|$)")


def _lines(text: str) -> list[str]:
    return text.splitlines(True)


def _sentences(text: str) -> list[str]:
    return [piece for piece in _SENTENCES.findall(text) if piece]


# From the coarsest to the finest; words come last.
_LEVELS = (_lines, _sentences)


def _replaced(before: str, after: str) -> list[str]:
    return [
        f"<del>{escape(before)}</del>" if before else "",
        f"<ins>{escape(after)}</ins>" if after else "",
    ]


def _diff(before: str, after: str, level: int = 0) -> list[str]:
    """HTML pieces (every one escaped) showing ``after`` against ``before``."""
    a, b = _TOKENS.findall(before), _TOKENS.findall(after)
    if len(a) * len(b) <= DIFF_BUDGET:
        parts = []
        matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                parts.append(escape("".join(a[a1:a2])))
            else:
                parts += _replaced("".join(a[a1:a2]), "".join(b[b1:b2]))
        return parts
    if level == len(_LEVELS):
        return _replaced(before, after)
    a, b = _LEVELS[level](before), _LEVELS[level](after)
    if len(a) * len(b) > DIFF_BUDGET:
        return _replaced(before, after)
    parts = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        old, new = "".join(a[a1:a2]), "".join(b[b1:b2])
        parts += [escape(old)] if op == "equal" else _diff(old, new, level + 1)
    return parts


def inline_word_diff(before: str, after: str) -> SafeString:
    """The text of ``after`` with words removed since ``before`` in <del> and
    words added in <ins>; every piece is HTML-escaped. Bounded: see
    ``DIFF_BUDGET``."""
    return mark_safe("".join(_diff(before or "", after or "")))  # escaped


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
