"""Login brute force, two counters.

**Per pair**: after ``LOGIN_LOCKOUT_FAILURES`` failed logins with one username
from one address, logins with that username from that address are refused for
``LOGIN_LOCKOUT_MINUTES`` after the last failure, with a page saying so (HTTP
429). An address is an IPv4 address, or an IPv6 address's /64 network (the
block one subscriber or office gets, where a client picks new addresses at
will); an IPv4-mapped IPv6 address is its IPv4 address.

**Per account**: an attacker spread over many addresses or networks is slowed
on the account as a whole. After ``LOGIN_ACCOUNT_FAILURES`` failed logins with
one username from anywhere, each less than ``LOGIN_ACCOUNT_WINDOW_MINUTES``
after the previous, the next attempt must wait 1 second after the last
failure, then 2, 4, 8… seconds for each further failure, never more than
``LOGIN_ACCOUNT_MAX_DELAY_SECONDS``; an attempt made sooner is refused with the
lockout page and how many seconds or minutes are left, and is not counted. So
a password is guessed at no more than one try per that delay, whatever the
number of addresses.

The account-wide slowdown cannot be used to lock the real person out (OWASP's
device cookie): a successful login leaves in the browser a signed "known
device" cookie, valid ``LOGIN_KNOWN_DEVICE_DAYS`` (renewed at each login), and
attempts from a browser that signed in to that account are not slowed by the
account's count, only by their own pair's. Anyone else still gets a try every
few minutes at worst, and a new password chosen through the e-mailed link
lifts both counters.

Why not django-axes: its Python package and app label are ``axes``, the name of
our app of the six thematic axes, so the two cannot be installed together. This
module follows its design in a few lines, with its state in the database
(shared by every worker process, kept across restarts):

- ``LoginLockoutBackend``, first of ``AUTHENTICATION_BACKENDS``, refuses an
  attempt on a locked pair or a slowed account before any password is checked;
- the ``user_login_failed`` signal counts a failure, ``user_logged_in`` forgets
  the pair's failures (not the account's) and marks the browser as a known
  device, and ``PasswordResetConfirmView`` (a new password chosen through the
  e-mailed link) forgets the account's, from every address;
- ``LoginLockoutMiddleware`` turns the refused attempt into the lockout page
  and sets the known-device cookie.

Every login form that goes through ``authenticate(request, ...)`` is covered:
the portal's and the admin's. ``authenticate`` without a request (e.g. the test
client's ``login()``) has no address and is not counted.

The pair (username, address), rather than either alone, for the lockout:
locking a username would let anyone lock the secretariat out from anywhere, and
locking an address would lock out every colleague behind a landlord's shared
internet access.
"""

import datetime
import ipaddress
import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model, signals
from django.contrib.auth import views as auth_views
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import salted_hmac

from .models import AccountLoginFailure, LoginFailure

USERNAME_LENGTH = LoginFailure._meta.get_field("username").max_length


def client_ip(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or behind ``TRUSTED_PROXY_COUNT``
    reverse proxies the address the outermost of them saw, taken from the right
    of X-Forwarded-For (what the client itself wrote there is not trusted).
    Empty when not a valid address."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if proxies and forwarded:
        address = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""


def address_key(address: str) -> str:
    """What failures are counted under for an address: an IPv4 address as it
    is, an IPv6 address's /64 network ("2001:db8:1:2::/64"), an IPv4-mapped
    IPv6 address's IPv4 address. Empty when unknown."""
    if not address:
        return ""
    ip = ipaddress.ip_address(address)
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network((ip, 64), strict=False))
    return str(ip)


def _username(username: str) -> str:
    return username[:USERNAME_LENGTH]


def _pair(request, username: str) -> dict:
    return {
        "username": _username(username),
        "ip_address": address_key(client_ip(request)),
    }


def _cooloff() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _account_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.LOGIN_ACCOUNT_WINDOW_MINUTES)


@dataclass(frozen=True)
class Lockout:
    username: str
    until: datetime.datetime
    # True: the account-wide slowdown, rather than the pair's lockout.
    account_wide: bool = False

    @property
    def seconds_left(self) -> int:
        return max(1, math.ceil((self.until - timezone.now()).total_seconds()))

    @property
    def minutes_left(self) -> int:
        return max(1, math.ceil(self.seconds_left / 60))


def current_lockout(request, username: str) -> Lockout | None:
    """The lockout of this username from this request's address, if any."""
    failure = LoginFailure.objects.filter(**_pair(request, username)).first()
    if failure is None or failure.failures < settings.LOGIN_LOCKOUT_FAILURES:
        return None
    until = failure.last_failure_at + _cooloff()
    return Lockout(username, until) if until > timezone.now() else None


def account_delay(failures: int) -> datetime.timedelta:
    """The wait after the last of ``failures`` account-wide failures: none
    below ``LOGIN_ACCOUNT_FAILURES``, then 1 s doubling with each failure, at
    most ``LOGIN_ACCOUNT_MAX_DELAY_SECONDS``."""
    beyond = failures - settings.LOGIN_ACCOUNT_FAILURES
    if beyond < 0:
        return datetime.timedelta(0)
    cap = settings.LOGIN_ACCOUNT_MAX_DELAY_SECONDS
    # 2**beyond only while it can be below the cap (no huge numbers).
    seconds = cap if beyond >= cap.bit_length() else min(cap, 2**beyond)
    return datetime.timedelta(seconds=seconds)


def current_slowdown(request, username: str) -> Lockout | None:
    """The account-wide wait for this username, if any, unless this browser is
    a known device of the account."""
    if is_known_device(request, username):
        return None
    failure = AccountLoginFailure.objects.filter(username=_username(username)).first()
    if failure is None:
        return None
    until = failure.last_failure_at + account_delay(failure.failures)
    if until <= timezone.now():
        return None
    return Lockout(username, until, account_wide=True)


def _count_failure(
    model: type[models.Model], key: dict, stale_after: datetime.timedelta
) -> None:
    now = timezone.now()
    # Failures further apart than this start again from one.
    model.objects.filter(last_failure_at__lte=now - stale_after).delete()
    counted = {"failures": F("failures") + 1, "last_failure_at": now}
    if model.objects.filter(**key).update(**counted):
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, failures=1, last_failure_at=now)
    except IntegrityError:  # a concurrent first failure of the same key
        model.objects.filter(**key).update(**counted)


def record_failure(request, username: str) -> None:
    _count_failure(LoginFailure, _pair(request, username), _cooloff())
    _count_failure(
        AccountLoginFailure, {"username": _username(username)}, _account_window()
    )


# The known-device cookie: signed and timestamped (it cannot be forged or
# kept past its age), holding keyed hashes of the usernames that signed in
# from this browser, not the usernames themselves.
KNOWN_DEVICE_COOKIE = "cucs_known_device"
KNOWN_DEVICE_SALT = "cucs_portal.lockout.known_device"
KNOWN_DEVICE_ACCOUNTS = 10  # the most recent accounts a browser remembers


def _device_token(username: str) -> str:
    return salted_hmac(KNOWN_DEVICE_SALT, _username(username)).hexdigest()[:32]


def _known_device_tokens(request) -> list[str]:
    cookie = request.COOKIES.get(KNOWN_DEVICE_COOKIE)
    if not cookie:
        return []
    try:
        tokens = signing.loads(
            cookie,
            salt=KNOWN_DEVICE_SALT,
            max_age=datetime.timedelta(days=settings.LOGIN_KNOWN_DEVICE_DAYS),
        )
    except signing.BadSignature:  # also an expired one
        return []
    return [token for token in tokens if isinstance(token, str)]


def is_known_device(request, username: str) -> bool:
    """Whether this browser signed in to this account within
    ``LOGIN_KNOWN_DEVICE_DAYS`` (the known-device cookie)."""
    return _device_token(username) in _known_device_tokens(request)


def _set_known_device(request, response, username: str) -> None:
    token = _device_token(username)
    others = [t for t in _known_device_tokens(request) if t != token]
    tokens = [token, *others][:KNOWN_DEVICE_ACCOUNTS]
    response.set_cookie(
        KNOWN_DEVICE_COOKIE,
        signing.dumps(tokens, salt=KNOWN_DEVICE_SALT),
        max_age=int(
            datetime.timedelta(days=settings.LOGIN_KNOWN_DEVICE_DAYS).total_seconds()
        ),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class LoginLockoutBackend:
    """Refuses, before any other backend, an attempt on a locked pair or a
    slowed account.

    It never signs anyone in, so it has no ``get_user``: sessions and the test
    client's ``force_login`` use the next backend that has one.
    """

    def authenticate(self, request, username=None, password=None, **credentials):
        if username is None:
            username = credentials.get(get_user_model().USERNAME_FIELD)
        if request is None or username is None:
            return None
        lockout = current_lockout(request, username) or current_slowdown(
            request, username
        )
        if lockout is not None:
            request.login_lockout = lockout
            raise PermissionDenied  # authenticate() stops at once
        return None


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get(get_user_model().USERNAME_FIELD)
    if request is None or username is None:
        return
    if getattr(request, "login_lockout", None) is None:  # refused while locked
        record_failure(request, username)


def on_logged_in(sender, request, user, **kwargs):
    if request is not None:
        LoginFailure.objects.filter(**_pair(request, user.get_username())).delete()
        # The middleware sets the cookie on the response.
        request.login_known_device = user.get_username()


def connect_signals() -> None:
    """Called by the app's ready()."""
    signals.user_login_failed.connect(on_login_failed, dispatch_uid="login-lockout")
    signals.user_logged_in.connect(on_logged_in, dispatch_uid="login-lockout")


class LoginLockoutMiddleware:
    """Answers an attempt refused by ``LoginLockoutBackend`` with the lockout
    page, whatever the login view would have shown; after a successful login,
    marks the browser as a known device of the account."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        known_device = getattr(request, "login_known_device", None)
        if known_device is not None:
            _set_known_device(request, response, known_device)
        lockout = getattr(request, "login_lockout", None)
        if lockout is None:
            return response
        response = render(
            request,
            "registration/lockout.html",
            {
                "lockout": lockout,
                "failures": settings.LOGIN_LOCKOUT_FAILURES,
                "minutes": settings.LOGIN_LOCKOUT_MINUTES,
            },
            status=429,
        )
        response["Retry-After"] = str(lockout.seconds_left)
        add_never_cache_headers(response)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view; a new password chosen through the e-mailed link also lifts
    the lockouts of the account, from every address, and its slowdown."""

    def form_valid(self, form):
        response = super().form_valid(form)
        username = _username(form.user.get_username())
        LoginFailure.objects.filter(username=username).delete()
        AccountLoginFailure.objects.filter(username=username).delete()
        return response
