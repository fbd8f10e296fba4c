"""Sections that apps above ateliers add to a proposal's page.

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
