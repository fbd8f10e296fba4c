"""French typography for the texts people type: plain text in, plain text out.

``french`` puts the spaces French wants where people typed an ordinary space or
none (a narrow no-break space before ; ! ?, a no-break space before : and
inside « », between a number and € or %), groups the thousands of an already
grouped number with narrow no-break spaces, curls the apostrophes, pairs
straight double quotes into guillemets and turns ``...`` into an ellipsis.

Web addresses and e-mail addresses in the text are left exactly as typed: they
are cut out before the rules run and put back after.

Every rule is a regular expression whose matches are bounded by a fixed
context (no nested repetition), so the time is linear in the text; and every
rule maps a run of typed spaces to one space chosen by the characters around
it, so applying ``french`` twice gives what applying it once gave.

``before`` is the character that precedes the text in the same paragraph (the
text of a Markdown token after a bold word, say): it decides, for instance,
whether a ``!`` at the start follows a word. It is never part of the result.
"""

import re

NBSP = "\u00a0"  # no-break space: before « : », inside « », before € and %
NNBSP = "\u202f"  # narrow no-break space: before ; ! ?, between thousands

# A protected address while the rules run: a character of the private use area.
# One the text already holds is protected too (it stands for itself), so the
# placeholders can be put back in order without ambiguity.
_HOLE = "\ue000"

# Horizontal white space: every space but the line breaks, which stay as typed.
_H = r"[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]"
_LETTER = r"[^\W\d_]"
_WORD = r"[^\W_]"

_ADDRESS = re.compile(
    rf"(?<!\w)(?:https?://|ftps?://|www\.|mailto:)\S+"
    rf"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    rf"|{_HOLE}",
    re.IGNORECASE,
)
_ADDRESS_PREFIX = re.compile(r"(?:https?://|ftps?://|www\.|mailto:)", re.IGNORECASE)
# Punctuation that ends the sentence rather than the address: ``voir
# https://exemple.fr/a.`` links to /a.
_TRAILING = set(".,;:!?…»\"'’”")

_ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")
_OPENING_APOSTROPHE = re.compile(rf"(?<![^\s(\[«“])'(?={_WORD})")
_APOSTROPHE = re.compile("'")
# "mot" opened after the start, a space, ( [ or «, closed before anything but a
# letter or digit; the words between hold no quote nor guillemet (so a pair
# made once is not paired again differently the next time).
_QUOTES = re.compile(r'(?<![^\s(\[«])"(?=\S)([^"«»]*?)(?<=\S)"(?!\w)')
_THOUSANDS = re.compile(r"(?<![0-9,.])[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+(?![0-9])")
_THOUSANDS_SEPARATOR = re.compile(r"[ \u00a0]")
_UNIT = re.compile(rf"(?<=[0-9]){_H}*(?=[€%])")
# "30 000 € par an", "12 % par logement", "€ / mois": the unit and the word
# after it stay on the line of the amount.
_PER = re.compile(rf"(?<=[€%])(?:{_H}+(par){_H}+|({_H}*)/({_H}*))(?={_LETTER})")
_OPENING_GUILLEMET = re.compile(rf"«{_H}*(?=\S|\Z)")
_CLOSING_GUILLEMET = re.compile(rf"(?<=\S){_H}*»")
# After a word, a number, a closing quote or bracket, an address, € or %; not
# after ; ! ? (a run ?! gets one space, before it). Inserted only when the
# marks end there (a space, the end, a closing quote or bracket follows): in
# « exemple.fr/agenda?annee=2026 » the ? belongs to an address.
_HIGH_PUNCTUATION = re.compile(
    rf"(?<=\S){_H}+(?=[;!?])|(?:(?<={_WORD})|(?<=[»”’)\]}}%€{_HOLE}]))"
    r"(?=[;!?]+(?:[\s»”’)\]]|\Z))"
)
_COLON = re.compile(
    rf"(?<=\S){_H}+(?=:)|(?:(?<={_LETTER})|(?<=[»)\]{_HOLE}]))(?=:(?:\s|\Z))"
)


def _protect(text: str, addresses: list[str]) -> str:
    """The text with each address replaced by _HOLE, the addresses kept in
    order in ``addresses``."""

    def hole(match: re.Match) -> str:
        found = match.group()
        if found == _HOLE or ("@" in found and not _ADDRESS_PREFIX.match(found)):
            addresses.append(found)
            return _HOLE
        end = len(found)
        opened = {")": found.count("("), "]": found.count("[")}
        closed = {")": found.count(")"), "]": found.count("]")}
        while end:
            last = found[end - 1]
            if last in _TRAILING:
                end -= 1
            elif last in closed and closed[last] > opened[last]:
                closed[last] -= 1
                end -= 1
            else:
                break
        prefix = _ADDRESS_PREFIX.match(found).end()
        if end <= prefix:  # "www." or "https://" alone is a word, not an address
            return found
        addresses.append(found[:end])
        return _HOLE + found[end:]

    return _ADDRESS.sub(hole, text)


def _sub(pattern: re.Pattern, replace, text: str, start: int) -> str:
    """``pattern.sub`` on text[start:], with text[:start] seen by the
    look-behinds but never changed."""
    parts = [text[:start]]
    last = start
    for match in pattern.finditer(text, start):
        parts.append(text[last : match.start()])
        parts.append(replace if isinstance(replace, str) else replace(match))
        last = match.end()
    parts.append(text[last:])
    return "".join(parts)


def _per(match: re.Match) -> str:
    if match.group(1):
        return f"{NBSP}par{NBSP}"
    left, right = match.group(2, 3)
    return f"{NBSP if left else ''}/{NBSP if right else ''}"


def french(text: str, before: str = "") -> str:
    """``text`` with French typography (see the module's docstring)."""
    if not text:
        return ""
    addresses: list[str] = []
    before = before[-1:]
    start = len(before)
    typed = before + _protect(str.__str__(text), addresses)

    typed = _sub(_ELLIPSIS, "…", typed, start)
    typed = _sub(_OPENING_APOSTROPHE, "‘", typed, start)
    typed = _sub(_APOSTROPHE, "’", typed, start)
    typed = _sub(_QUOTES, lambda m: f"«{m.group(1)}»", typed, start)
    typed = _sub(
        _THOUSANDS,
        lambda m: _THOUSANDS_SEPARATOR.sub(NNBSP, m.group()),
        typed,
        start,
    )
    typed = _sub(_UNIT, NBSP, typed, start)
    typed = _sub(_PER, _per, typed, start)
    typed = _sub(_OPENING_GUILLEMET, f"«{NBSP}", typed, start)
    typed = _sub(_CLOSING_GUILLEMET, f"{NBSP}»", typed, start)
    typed = _sub(_HIGH_PUNCTUATION, NNBSP, typed, start)
    typed = _sub(_COLON, NBSP, typed, start)

    typed = typed[start:]
    if addresses:
        put_back = iter(addresses)
        typed = re.sub(_HOLE, lambda _: next(put_back), typed)
    return typed
