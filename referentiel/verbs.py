"""What the journal records about the editions of the référentiel and their share links
(see audit.verbs). A value is stored in the journal as is: never change one that was
used.
"""

from django.utils.translation import gettext_lazy as _

from audit.verbs import Verbs


class ReferentielVerb(Verbs):
    EDITION_CREATE = "edition_create", _("Edition of the référentiel started")
    EDITION_CHANGE = "edition_change", _("Edition changed")
    EDITION_INCLUDE = "edition_include", _("Proposal put back in an edition")
    EDITION_EXCLUDE = "edition_exclude", _("Proposal left out of an edition")
    EDITION_MOVE = "edition_move", _("Proposal moved in an edition")
    EDITION_PUBLISH = "edition_publish", _("Edition published")
    SHARE_CREATE = "share_create", _("Share link created")
    SHARE_REVOKE = "share_revoke", _("Share link revoked")
    REVIEW_OPEN = "review_open", _("Review of an edition opened")
    REVIEW_CLOSE = "review_close", _("Review of an edition closed")
    REVIEW_COMMENT = "review_comment", _("Comment on an edition")
    REVIEW_ANSWER = "review_answer", _("Comment on an edition answered")
    REVIEW_RESOLVE = "review_resolve", _("Comment on an edition resolved")
    REVIEW_REOPEN = "review_reopen", _("Comment on an edition reopened")
