"""Sections that apps above ateliers add to a proposal's page, and to an
atelier's (its sessions' calendar: the calendars app).

A validated proposal's page shows its actions on the sites (declinaison) and the
experience sheets about it (capitalisation). Both apps sit above ateliers, which
therefore cannot ask them: each registers a section here from its
``AppConfig.ready()``, and ProposalDetailView shows the registered sections, in
the order of INSTALLED_APPS, after the page's "Where" section.

A section's ``context(proposal=…, user=…)`` returns the variables its template
reads (they join the page's context) or None to leave the section out.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProposalSection:
    template_name: str
    context: Callable[..., dict | None]
    # A stylesheet (a static path) the page links when the section shows.
    stylesheet: str = ""


_sections: list[ProposalSection] = []


def register_proposal_section(section: ProposalSection) -> None:
    if section not in _sections:
        _sections.append(section)


def proposal_sections(*, proposal, user) -> tuple[list[ProposalSection], dict]:
    """The sections shown on ``proposal``'s page for ``user``, and the variables
    they bring to its context."""
    shown, variables = [], {}
    for section in _sections:
        data = section.context(proposal=proposal, user=user)
        if data is not None:
            shown.append(section)
            variables.update(data)
    return shown, variables


@dataclass(frozen=True)
class AtelierSection:
    """Shown in an atelier's "Sessions" section, after its title."""

    template_name: str
    context: Callable[..., dict | None]


_atelier_sections: list[AtelierSection] = []


def register_atelier_section(section: AtelierSection) -> None:
    if section not in _atelier_sections:
        _atelier_sections.append(section)


def atelier_sections(*, atelier, user) -> tuple[list[AtelierSection], dict]:
    """The sections shown on ``atelier``'s page for ``user``, and their
    variables, as ``proposal_sections``."""
    shown, variables = [], {}
    for section in _atelier_sections:
        data = section.context(atelier=atelier, user=user)
        if data is not None:
            shown.append(section)
            variables.update(data)
    return shown, variables
