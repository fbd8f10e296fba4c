"""The path converters of every URL of the portal, registered once on import
(``cucs_portal/urls.py`` imports this module before any app's URLs).

Django's ``str``, ``slug`` and ``int`` accept values no object of ours can
have: a NUL byte (which PostgreSQL refuses in a query: a 500), ten thousand
characters, or an id beyond PostgreSQL's bigint. Each converter here matches
exactly what the portal makes, so anything else is a 404 before a view runs.
"""

from django.urls import register_converter


class IdConverter:
    """A primary key or a number: 1 to 18 digits, always within a bigint
    (PostgreSQL's ``bigint`` stops at 9 223 372 036 854 775 807, 19 digits)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


class SlugConverter:
    """A territory's slug: ASCII letters, digits, ``-`` and ``_``, no longer
    than the column (``SlugField(max_length=150)``)."""

    regex = "[-a-zA-Z0-9_]{1,150}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


class ReplyKeyConverter(SlugConverter):
    """A seminar guest's reply key: ``secrets.token_urlsafe(32)``, 43 characters
    of the URL-safe base64 alphabet. Shorter keys of the same alphabet, up to
    the column's 64, still reach the view, so that a link cut short by a mail
    client gets the page telling the guest whom to ask, not a bare 404."""

    regex = "[-a-zA-Z0-9_]{1,64}"


class ShareTokenConverter(SlugConverter):
    """A référentiel share link's token: its key (``token_urlsafe(32)``, 43
    characters), a colon and the key's signature (HMAC-SHA256, 43 characters of
    URL-safe base64), as ``django.core.signing.Signer`` makes it. A bare key or
    a signature cut short, of the same alphabet and bounded, still reaches the
    view, which answers its own "this link is not valid" 404."""

    regex = "[-a-zA-Z0-9_]{1,64}(?::[-a-zA-Z0-9_]{1,64})?"


class ResetTokenConverter(SlugConverter):
    """The two parts of a password reset link: the account's id in URL-safe
    base64 and Django's token (``<base36>-<hex>``, or ``set-password`` once
    the link has been opened). Bounded, so that a mistyped link still gets
    Django's "invalid link" page and anything else a 404."""

    regex = "[-a-zA-Z0-9_]{1,100}"


class FeedTokenConverter(SlugConverter):
    """A calendar feed's token: 40 hexadecimal digits (calendars/models.py);
    shorter ones of the same alphabet reach the view, which answers 404."""

    regex = "[0-9a-f]{1,64}"


register_converter(IdConverter, "id")
register_converter(SlugConverter, "short_slug")
register_converter(ReplyKeyConverter, "reply_key")
register_converter(ShareTokenConverter, "share_token")
register_converter(ResetTokenConverter, "reset_part")
register_converter(FeedTokenConverter, "feed_token")
