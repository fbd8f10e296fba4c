"""What a change on the portal would make differ from documents already printed.

Moving an enjeu renumbers it (« 2.1 » becomes « 2.2 »), and with it the place
of its proposals; a published edition of the référentiel printed them under
the old numbers. The app that moves enjeux (ateliers) sits below the one that
prints them (referentiel) and cannot ask it: referentiel registers a source
here from its ``AppConfig.ready()``, and ateliers asks ``renumbering_printed``.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class PrintedRenumbering:
    """In one printed document: the headings that get another number, and the
    items printed under them."""

    # « l'édition publiée « Référentiel… » du 10 mai 2007 »
    document: str
    url: str
    # (printed reference, reference it will have on the portal), in print order.
    headings: tuple[tuple[str, str], ...]
    # The references printed under those headings (« P2.03 »), in print order.
    items: tuple[str, ...]


# A source takes {enjeu pk: its reference after the change} and returns what
# changes in the documents it knows of.
Source = Callable[[Mapping[int, str]], list[PrintedRenumbering]]

_sources: list[Source] = []


def register_printed_source(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def renumbering_printed(new_references: Mapping[int, str]) -> list[PrintedRenumbering]:
    """What renumbering enjeux (pk → new reference) changes in printed documents."""
    found: list[PrintedRenumbering] = []
    for source in _sources:
        found.extend(source(new_references))
    return found
