"""The « Aide » pages: one per role, in the order a person meets them.

Help is not secret: every signed-in person reads every role's page; the index
puts the signed-in person's own roles first. Each role's steps are written in
its template (``dashboard/help/<slug>.html``), with the screenshots that
``scripts/help_screenshots.py`` takes from the demo.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class HelpRole:
    slug: str
    title: Promise
    summary: Promise

    @property
    def template_name(self) -> str:
        return f"dashboard/help/{self.slug}.html"


MEMBER = "membre"
COANIMATOR = "co-animateur"
DELEGATE = "delegue"
SECRETARIAT = "secretariat"
PARTNER = "partenaire"

ROLES = (
    HelpRole(
        MEMBER,
        _("Atelier member"),
        _("Write proposals in your atelier, rework them and follow them."),
    ),
    HelpRole(
        COANIMATOR,
        _("Co-animator of an atelier"),
        _(
            "Run the atelier: its members, sessions and enjeux, and submit its "
            "proposals to the commission."
        ),
    ),
    HelpRole(
        DELEGATE,
        _("Commission delegate"),
        _(
            "Give your organisation's position on each proposal of a session and "
            "suggest rewordings."
        ),
    ),
    HelpRole(
        SECRETARIAT,
        _("Secretariat of AMO2SM"),
        _(
            "Convene and close the commission's sessions, publish the référentiel, "
            "invite to the seminar and review the experience sheets."
        ),
    ),
    HelpRole(
        PARTNER,
        _("Partner (read only)"),
        _(
            "Read the validated proposals, the published référentiel, the "
            "programming of the sites and the experience sheets."
        ),
    ),
)
BY_SLUG = {role.slug: role for role in ROLES}


def roles_of(user, memberships) -> list[HelpRole]:
    """The help roles of ``user`` (``memberships`` from
    ``ateliers.selectors.memberships_of``), in the order of ``ROLES``."""
    slugs = set()
    for membership in memberships:
        slugs.add(COANIMATOR if membership.is_coanimator else MEMBER)
    if user.is_commission_delegate:
        slugs.add(DELEGATE)
    if user.is_secretariat:
        slugs.add(SECRETARIAT)
    if user.is_partner:
        slugs.add(PARTNER)
    return [role for role in ROLES if role.slug in slugs]
