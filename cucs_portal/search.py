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
- The words typed are folded in Python by :func:`fold`, with the very rules of
  PostgreSQL's ``unaccent`` (a copy of its ``unaccent.rules`` beside this
  module: accents, ligatures œ, æ and ﬁ, the curly apostrophe…), so that both
  sides meet.

:func:`matching` turns what a person typed into a filter: every word must be
found (in any of the fields), as a substring, so that « jardin » finds
« jardins partagés ». The number of words and their length are capped, so a
search costs at most linear time in what was typed.

The library's full-text search (capitalisation) uses PostgreSQL's French
text-search configuration with ``unaccent`` in front of the French stemmer,
``cucs_french``, created by the same migration (:data:`FRENCH_CONFIG`).
"""

import functools
import re
from pathlib import Path

from django.db.models import Func, Q, QuerySet, TextField
from django.db.models.lookups import Contains

FOLD_FUNCTION = "cucs_fold"
# PostgreSQL's French text-search configuration with unaccent before the stemmer.
FRENCH_CONFIG = "cucs_french"

# How many words of a search count, and how long each may be: a search box
# holds a few words; beyond these limits the rest is ignored.
MAX_TERMS = 8
MAX_TERM_LENGTH = 60

# The rules of PostgreSQL's unaccent dictionary (a copy of PostgreSQL 15's
# tsearch_data/unaccent.rules: one character, a tab, what it becomes, or
# nothing for the combining accents). Python folds with the same table, so
# that both backends agree on every character, not only on the French ones
# (tests/cucs_portal/test_search.py compares them on PostgreSQL).
RULES = Path(__file__).with_name("unaccent.rules")
_WORD = re.compile(r"\w[\w'-]*")


@functools.cache
def _unaccent_table() -> dict[int, str]:
    table = {}
    for line in RULES.read_text(encoding="utf-8").splitlines():
        if line:
            table[ord(line[0])] = line[1:].strip(" \t")
    return table


def fold(text: str | None) -> str | None:
    """``text`` without accents, in lower case: « Boîte À Idées » → « boite a
    idees », « Œuvre » → « oeuvre », « l’atelier » → « l'atelier ». Text typed
    with separate combining accents (e + ◌́) loses them too: the rules drop
    combining marks, as PostgreSQL's ``unaccent`` does."""
    if text is None:
        return None
    return text.translate(_unaccent_table()).lower()


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


def _found(term: str, fields) -> Q:
    """``term`` (folded) in one of ``fields``: ``cucs_fold(field) LIKE
    '%term%'``, the wildcards typed escaped by Django's ``contains``."""
    any_field = Q()
    for field in fields:
        any_field |= Q(Contains(Folded(field), term))
    return any_field


def matching(text: str, *fields: str) -> Q | None:
    """A filter keeping the rows where every word of ``text`` is found in one
    of ``fields`` (accents and case ignored); None when ``text`` holds no word."""
    terms = search_terms(text)
    if not terms:
        return None
    condition = Q()
    for term in terms:
        condition &= _found(term, fields)
    return condition


def matching_through(
    text: str,
    *fields: str,
    through: str,
    related: QuerySet,
    related_fields: tuple[str, ...],
) -> Q | None:
    """:func:`matching`, where a word may also be found in ``related_fields``
    of the row the foreign key ``through`` points at (the journal's actor, a
    site action's proposal).

    The related rows holding a word are read first, in one query, and the
    filter names their ids: it stays an OR of this table's folded columns and
    ``through IN (…)``, which PostgreSQL serves with its indexes (a join or a
    subquery in the OR would make it read the whole table). For small related
    tables (people, proposals), whose matching ids are few."""
    terms = search_terms(text)
    if not terms:
        return None
    any_term = Q()
    for term in terms:
        any_term |= _found(term, related_fields)
    rows = list(related.filter(any_term).values_list("pk", *related_fields))
    condition = Q()
    for term in terms:
        ids = [
            row[0]
            for row in rows
            if any(term in fold(value or "") for value in row[1:])
        ]
        condition &= _found(term, fields) | Q(**{f"{through}__in": ids})
    return condition


def folded_trigram_indexes(table: str, indexes: dict[str, str]):
    """A migration operation creating, on PostgreSQL only, a GIN trigram index
    on ``cucs_fold(column)`` for each ``{index name: column}``: the expression
    :func:`matching` filters on, so that ``LIKE '%word%'`` uses the index.
    Nothing on SQLite. Needs ``cucs_portal/0004_search_folding``."""
    from django.db import migrations

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, column in indexes.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                f'USING gin ({FOLD_FUNCTION}("{column}") gin_trgm_ops)'
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: SQLite gets ``cucs_fold``."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            FOLD_FUNCTION, 1, fold, deterministic=True
        )
