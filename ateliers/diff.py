"""Field-by-field differences between two saved states of a proposal."""

import difflib
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .merge import LEVELS as _LEVELS
from .merge import MATCH_BUDGET
from .merge import WORDS as _TOKENS
from .models import Proposal, ProposalSuggestion
from .services import TRACKED_FIELDS, suggestion_result

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
# The words, sentences and lines are those of ateliers/merge.py, which merges
# texts under the same budget.
DIFF_BUDGET = MATCH_BUDGET


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


@dataclass
class SuggestedChange:
    """How an open suggestion reads against the field as it is now."""

    suggestion: ProposalSuggestion
    current: str
    # The field once the suggestion is accepted (merged into what changed since
    # it was written), or None when it no longer applies as it is.
    result: str | None
    # ``result`` against ``current``, word by word (as the history shows it).
    inline: SafeString | None

    @property
    def applies(self) -> bool:
        return self.result is not None

    @property
    def text_changed_since(self) -> bool:
        """The field was changed after the suggestion was written."""
        return self.current != self.suggestion.base_text


def suggested_change(suggestion: ProposalSuggestion, proposal) -> SuggestedChange:
    """``suggestion`` shown against ``proposal``'s current text. Bounded like
    the history: the merge and the diff each stay under their budget."""
    current = getattr(proposal, suggestion.field) or ""
    result = suggestion_result(suggestion, current)
    return SuggestedChange(
        suggestion=suggestion,
        current=current,
        result=result,
        inline=inline_word_diff(current, result) if result is not None else None,
    )
