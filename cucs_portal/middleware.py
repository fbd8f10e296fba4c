import logging
import time

from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    InterfaceError,
    OperationalError,
    connections,
)
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)


class LanguageMiddleware:
    """French unless the person chose another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a
    partner with an English browser would get an English portal by surprise. Here
    only an explicit choice (the language cookie set by ``set_language``) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class DatabaseUnavailableMiddleware:
    """During a database outage, a French page saying the portal is
    momentarily unavailable (503, with Retry-After), not a generic 500.

    Only when the database cannot be reached: an OperationalError or an
    InterfaceError raised by a view (or the template it renders) counts as an
    outage if a new connection fails too. Any other database error (a missing
    table, a deadlock the next request will not meet) stays a 500 for the
    error report. The page is rendered without the database: templates/503.html
    extends nothing and reads neither the user nor the menu.
    """

    RETRY_AFTER_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if database_reachable():
            return None
        logger.error(
            "The database is unreachable: %s answered 503.",
            request.path,
            exc_info=exception,
        )
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response


def database_reachable() -> bool:
    """Whether a fresh connection to the default database answers; the
    request's own connection is left as it is. A server that does not answer
    at all is given a few seconds, not the system's TCP timeout."""
    current = connections[DEFAULT_DB_ALIAS]
    settings_dict = {**current.settings_dict}
    if current.vendor == "postgresql":
        settings_dict["OPTIONS"] = {
            "connect_timeout": 5,
            **settings_dict.get("OPTIONS", {}),
        }
    probe = current.__class__(settings_dict, DEFAULT_DB_ALIAS)
    try:
        with probe.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    finally:
        probe.close()
    return True


class SessionIdleTimeoutMiddleware:
    """Sliding sessions that end after ``SESSION_COOKIE_AGE`` seconds without
    a request, for one write every ``SESSION_REFRESH_SECONDS`` at most.

    Django writes a session only when it changes, so its expiry never moves
    and a busy person is signed out in the middle of their work; with
    ``SESSION_SAVE_EVERY_REQUEST`` every page would cost an UPDATE. Here a
    session in use is written again (pushing its expiry back) once its last
    refresh is older than the interval: the idle timeout is exact to within
    that interval.
    """

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # An existing session that this request read: a visitor without one
        # gets none, and a session changed anyway is saved with a new expiry.
        if session is None or not session.session_key or not session.accessed:
            return response
        if session.modified:
            session[self.KEY] = int(time.time())
            return response
        try:
            refreshed = session.get(self.KEY, 0)
        except DatabaseError:  # unreadable now: the next request refreshes it
            return response
        if time.time() - refreshed >= settings.SESSION_REFRESH_SECONDS:
            session[self.KEY] = int(time.time())  # SessionMiddleware saves it
        return response


def mark_session_fresh(sender, request, user, **kwargs) -> None:
    """A new login's session is new: its first pages need no refresh (it is
    saved by the login anyway). Connected to ``user_logged_in``."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SessionIdleTimeoutMiddleware.KEY] = int(time.time())
