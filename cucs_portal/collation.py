"""Names in French order: « Épicéa » and « Érable » before « Verveine »,
« Cèdre » before « Cyprès », « Hêtre » before « Houx ».

Databases sort text by its bytes unless told otherwise, which puts every
accented capital after Z. ``French(expression)`` orders a query the way a
French reader expects, on both databases the portal runs on:

- PostgreSQL: ``expression COLLATE "fr-x-icu"``, the ICU collation every
  PostgreSQL built with ICU predefines (Debian's is);
- SQLite: ``expression COLLATE cucs_fr``, a collation registered on every new
  connection (``register_sqlite_collation``, connected in ``apps.py``) that
  compares ``french_key``.

``french_key(text)`` is the same order for lists sorted in Python. It compares
letters first, ignoring accents and case (« œ » as « oe », « æ » as « ae »),
then breaks ties by the accents, then by the case (small letters first, as
ICU does), then by the text itself, so two different names never compare
equal and the order is stable.

    Organisation.objects.order_by(French("name"))
    ordering = ["kind", French("name")]       # in a model's Meta
    sorted(names, key=french_key)
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from django.db.models.functions import Collate

POSTGRESQL_COLLATION = "fr-x-icu"
SQLITE_COLLATION = "cucs_fr"

# Letters that Unicode does not decompose but a French reader spells out.
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


class French(Collate):
    """``expression`` compared in French order (see the module's docstring)."""

    def __init__(self, expression):
        super().__init__(expression, POSTGRESQL_COLLATION)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, collation=SQLITE_COLLATION, **extra_context
        )


def _strip_marks(text: str) -> str:
    return "".join(c for c in text if not unicodedata.combining(c))


@lru_cache(maxsize=4096)
def french_key(text: str | None) -> tuple[str, str, str, str]:
    """A sort key putting ``text`` in French order (``None`` as empty text)."""
    text = text or ""
    spelled = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    folded = spelled.casefold()
    # Combining marks have higher code points than letters: a word without an
    # accent comes before the same word with one (cote, coté, côte, côté).
    return (
        _strip_marks(folded),
        folded,
        # Swapping the case puts small letters before capitals, as ICU does.
        _strip_marks(spelled).swapcase(),
        text,
    )


def compare_french(left: str | None, right: str | None) -> int:
    """SQLite's collation function: negative, zero or positive."""
    a, b = french_key(left), french_key(right)
    return (a > b) - (a < b)


def register_sqlite_collation(sender, connection, **kwargs):
    """``connection_created`` receiver: teaches every SQLite connection the
    ``cucs_fr`` collation that ``French`` names there."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, compare_french)
