"""Search that forgives accents and case, the same on both backends.

People type « boite a idees » for « Boîte à idées », « rehabilitation » for
« réhabilitation »: every search box compares *folded* texts, with accents,
case and the typographic apostrophe taken away on both sides.

- The column is folded by the database function ``cucs_fold(text)``. On
  PostgreSQL it is an SQL function created by migration
  ``cucs_portal/0004_search_folding``: ``lower(unaccent(…))`` through the
  ``unaccent`` extension, declared IMMUTABLE so that expression indexes (GIN
  trigram indexes, ``gin_trgm_ops``) can be built on it — ``unaccent()`` itself
  is only STABLE. On SQLite it is :func:`fold`, registered on every connection
  as a deterministic function (:func:`register_sqlite_functions`).
- The words typed are folded in Python by :func:`fold`, which maps what
  ``unaccent``'s rules map for French (accents, ligatures œ and æ, the curly
  apostrophe), so that both sides meet.

:func:`matching` turns what a person typed into a filter: every word must be
found (in any of the fields), as a substring, so that « jardin » finds
« jardins partagés ». The number of words and their length are capped, so a
search costs at most linear time in what was typed.

The library's full-text search (capitalisation) uses PostgreSQL's French
text-search configuration with ``unaccent`` in front of the French stemmer,
``cucs_french``, created by the same migration (:data:`FRENCH_CONFIG`).
"""

import re
import unicodedata

from django.db.models import Func, Q, TextField
from django.db.models.lookups import Contains

FOLD_FUNCTION = "cucs_fold"
# PostgreSQL's French text-search configuration with unaccent before the stemmer.
FRENCH_CONFIG = "cucs_french"

# How many words of a search count, and how long each may be: a search box
# holds a few words; beyond these limits the rest is ignored.
MAX_TERMS = 8
MAX_TERM_LENGTH = 60

# What NFKD leaves whole but unaccent's rules map (letters French uses or
# borrows, and the typographic apostrophes and quotes).
_EXTRA = str.maketrans(
    {
        "œ": "oe",
        "Œ": "oe",
        "æ": "ae",
        "Æ": "ae",
        "ø": "o",
        "Ø": "o",
        "ß": "ss",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
    }
)
_WORD = re.compile(r"\w[\w'-]*")


def fold(text: str | None) -> str | None:
    """``text`` without accents, in lower case: « Boîte À Idées » becomes
    « boite a idees »."""
    if text is None:
        return None
    text = text.translate(_EXTRA)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class Folded(Func):
    """``cucs_fold(expression)``: the text as :func:`fold` makes it, in SQL."""

    function = FOLD_FUNCTION
    output_field = TextField()


def search_terms(text: str) -> list[str]:
    """The folded words of a search, each once, at most :data:`MAX_TERMS`.
    Punctuation alone (« !!! », « - ») holds no word: an empty list."""
    terms: list[str] = []
    for word in _WORD.findall(fold(text or "")):
        word = word.strip("'-")[:MAX_TERM_LENGTH]
        if word and word not in terms:
            terms.append(word)
        if len(terms) == MAX_TERMS:
            break
    return terms


def matching(text: str, *fields: str) -> Q | None:
    """A filter keeping the rows where every word of ``text`` is found in one
    of ``fields`` (accents and case ignored); None when ``text`` holds no word."""
    terms = search_terms(text)
    if not terms:
        return None
    condition = Q()
    for term in terms:
        any_field = Q()
        for field in fields:
            any_field |= Q(Contains(Folded(field), term))
        condition &= any_field
    return condition


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: SQLite gets ``cucs_fold``."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            FOLD_FUNCTION, 1, fold, deterministic=True
        )
