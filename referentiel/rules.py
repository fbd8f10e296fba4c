"""Who may do what with the référentiel. Default deny.

The working group (every signed-in person who is not only a partner) reads the
editions, drafts included, and previews them; partners read published editions
only, and so does anyone holding a share link. The secretariat alone writes.
"""

import rules

from people.rules import is_authenticated, is_secretariat


@rules.predicate
def in_working_group(user) -> bool:
    if not user.is_authenticated:
        return False
    if not user.is_partner or is_secretariat(user) or user.is_commission_delegate:
        return True
    return user.atelier_memberships.exists()


@rules.predicate
def is_published(user, edition) -> bool:
    return edition is not None and edition.is_published


@rules.predicate
def is_draft(user, edition) -> bool:
    return edition is not None and edition.is_draft


rules.add_perm("referentiel.view_edition_list", is_authenticated)
rules.add_perm(
    "referentiel.view_edition", in_working_group | (is_authenticated & is_published)
)
rules.add_perm(
    "referentiel.download_edition",
    in_working_group | (is_authenticated & is_published),
)
rules.add_perm("referentiel.add_edition", is_secretariat)
rules.add_perm("referentiel.change_edition", is_secretariat & is_draft)
rules.add_perm("referentiel.publish_edition", is_secretariat & is_draft)
rules.add_perm("referentiel.export_edition", is_secretariat)
rules.add_perm("referentiel.manage_share_links", is_secretariat & is_published)
rules.add_perm("referentiel.view_share_links", is_secretariat)
