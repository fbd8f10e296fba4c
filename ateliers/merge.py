"""Three-way merge of one text: two people changed the same text since a common
base, and both changes are kept where they touch different words.

Used when an atelier accepts a suggestion made on a text that changed since
(the suggestion's base, the current text, the suggested text) and when two
people saved the same field of a proposal at once (ateliers/views.py,
``merge_into``).

The texts are matched with difflib as ``ateliers.diff`` compares them, under
the same budget: word by word when the words of the base times those of each
other text fit ``MERGE_BUDGET``; otherwise line by line, then the lines both
changed sentence by sentence, then those sentences word by word, each step
under the budget. Past it, or where both changed the same words differently,
the merge does not apply (None): nothing is ever guessed.
"""

import difflib
import re

#: A matcher costs up to the product of the two sequences' lengths: two texts
#: are matched word by word when their words multiply to no more than this
#: (two texts of about 250 words), as the history's diff does (DIFF_BUDGET).
MATCH_BUDGET = 250_000
#: The merge's own, patched by tests to exercise its fallback.
MERGE_BUDGET = MATCH_BUDGET

WORDS = re.compile(r"\s+|[^\s]+")
_SENTENCES = re.compile(r"[^.!?;:]*(?:[.!?;:]+\s*|$)")


def _words(text: str) -> list[str]:
    return WORDS.findall(text)


def _lines(text: str) -> list[str]:
    return text.splitlines(True)


def _sentences(text: str) -> list[str]:
    return [piece for piece in _SENTENCES.findall(text) if piece]


# From the coarsest to the finest; words come last.
LEVELS = (_lines, _sentences)


class _Clash(Exception):
    """Both changed the same part differently, or it cannot be matched within
    the budget."""


def _fits(base: list, *others: list) -> bool:
    return all(len(base) * len(other) <= MERGE_BUDGET for other in others)


def _sync_regions(base, ours, theirs):
    """(base start, base end, ours start, theirs start) of each run of base
    that both texts kept as it was, in order, ending with an empty sentinel at
    the ends of the three sequences (the bzr/diff3 algorithm)."""
    ours_blocks = difflib.SequenceMatcher(
        a=base, b=ours, autojunk=False
    ).get_matching_blocks()
    theirs_blocks = difflib.SequenceMatcher(
        a=base, b=theirs, autojunk=False
    ).get_matching_blocks()
    i = j = 0
    regions = []
    while i < len(ours_blocks) and j < len(theirs_blocks):
        a_base, a_other, a_len = ours_blocks[i]
        b_base, b_other, b_len = theirs_blocks[j]
        start = max(a_base, b_base)
        end = min(a_base + a_len, b_base + b_len)
        if start < end:
            regions.append(
                (start, end, a_other + start - a_base, b_other + start - b_base)
            )
        if a_base + a_len < b_base + b_len:
            i += 1
        else:
            j += 1
    regions.append((len(base), len(base), len(ours), len(theirs)))
    return regions


def _merge_sequences(base, ours, theirs, finer: int | None) -> list[str]:
    """Merge three token lists; a part both changed differently is merged
    again at the ``finer`` level, or clashes when these are already words
    (``finer`` None)."""
    merged = []
    base_at = ours_at = theirs_at = 0
    for start, end, ours_start, theirs_start in _sync_regions(base, ours, theirs):
        was = base[base_at:start]
        mine = ours[ours_at:ours_start]
        other = theirs[theirs_at:theirs_start]
        if mine == other or other == was:
            merged += mine
        elif mine == was:
            merged += other
        elif finer is None:
            raise _Clash
        else:
            merged.append(_merge("".join(was), "".join(mine), "".join(other), finer))
        length = end - start
        merged += base[start:end]
        base_at, ours_at, theirs_at = end, ours_start + length, theirs_start + length
    return merged


def _merge(base: str, ours: str, theirs: str, level: int) -> str:
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    words = [_words(base), _words(ours), _words(theirs)]
    if _fits(*words):
        return "".join(_merge_sequences(*words, finer=None))
    if level >= len(LEVELS):
        raise _Clash
    pieces = [LEVELS[level](text) for text in (base, ours, theirs)]
    if not _fits(*pieces):
        raise _Clash
    return "".join(_merge_sequences(*pieces, finer=level + 1))


def merge_texts(base: str, ours: str, theirs: str) -> str | None:
    """``base`` changed into ``ours`` by one person and into ``theirs`` by
    another: the text with both changes, or None when they changed the same
    words differently (or when the texts are too far apart to be matched
    within ``MERGE_BUDGET``). Linear in the texts, like the history's diff."""
    base, ours, theirs = base or "", ours or "", theirs or ""
    try:
        return _merge(base, ours, theirs, 0)
    except _Clash:
        return None
