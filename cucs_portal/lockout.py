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

Both counters count an attempt *before* its password is checked (which takes
half a second with PBKDF2), with the counter's row locked from the check to
the count: of many attempts arriving together when a wait ends, one is let
through and counted, the others find it counted and are refused. A success
then takes its attempt back, as if it had not been made.

The account-wide slowdown cannot be used to lock the real person out (OWASP's
device cookie): a successful login leaves in the browser a signed "known
device" cookie, valid ``LOGIN_KNOWN_DEVICE_DAYS`` (renewed at each login), and
attempts from a browser that signed in to that account are not slowed by the
account's count, only by their own pair's. Anyone else still gets a try every
few minutes at worst, and a new password chosen through the e-mailed link
lifts both counters and makes that browser a known device (whoever used the
link holds the mailbox), so the person gets back in even while the attack
goes on. The cookie is tied to the account's password: a new password revokes
every cookie made before it (a stolen laptop's).

Why not django-axes: its Python package and app label are ``axes``, the name of
our app of the six thematic axes, so the two cannot be installed together. This
module follows its design in a few lines, with its state in the database
(shared by every worker process, kept across restarts):

- ``LoginLockoutBackend``, first of ``AUTHENTICATION_BACKENDS``, refuses an
  attempt on a locked pair or a slowed account before any password is checked,
  otherwise it counts the attempt as a failure, on both counters, before the
  next backend checks the password;
- ``user_logged_in`` forgets the pair's failures and the account's count of
  this attempt only (not the account's other failures), and marks the browser
  as a known device; ``PasswordResetConfirmView`` (a new password chosen
  through the e-mailed link) forgets both counters' failures of the account,
  from every address, and marks the browser as a known device;
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


def _pair_delay(failures: int) -> datetime.timedelta:
    if failures < settings.LOGIN_LOCKOUT_FAILURES:
        return datetime.timedelta(0)
    return _cooloff()


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


@dataclass(frozen=True)
class Attempt:
    """An attempt counted, as a failure, before its password is checked."""

    model: type[models.Model]
    key: dict
    at: datetime.datetime
    # The count's last failure before this attempt; None: the attempt made
    # the row.
    previous_at: datetime.datetime | None

    def forget(self) -> None:
        """Takes the attempt back (it succeeded, or was refused after all):
        as if it had not been made, unless another attempt was counted since,
        whose time then stands."""
        rows = self.model.objects.filter(**self.key)
        if self.previous_at is None:
            if rows.filter(failures=1, last_failure_at=self.at).delete()[0]:
                return
        elif rows.filter(last_failure_at=self.at).update(
            failures=F("failures") - 1, last_failure_at=self.previous_at
        ):
            return
        rows.filter(failures__gt=0).update(failures=F("failures") - 1)


def _take_attempt(
    model: type[models.Model],
    key: dict,
    *,
    delay,
    stale_after: datetime.timedelta,
    enforce: bool = True,
) -> Attempt | datetime.datetime:
    """Counts an attempt on ``key`` as a failure, unless (``enforce``) it comes
    sooner than ``delay(failures)`` after the last one: then the moment it may
    come. The row is locked from the check to the count, so of attempts made
    at the same moment, only as many as the count allows are let through to
    the password check (the others see them counted)."""
    for _ in range(2):  # once more after losing the race to make the row
        now = timezone.now()
        # Failures further apart than this start again from one.
        model.objects.filter(last_failure_at__lte=now - stale_after).delete()
        with transaction.atomic():
            row = model.objects.select_for_update().filter(**key).first()
            if row is None:
                try:
                    with transaction.atomic():
                        model.objects.create(**key, failures=1, last_failure_at=now)
                except IntegrityError:  # a concurrent first attempt
                    continue
                return Attempt(model, key, now, None)
            until = row.last_failure_at + delay(row.failures)
            if enforce and until > now:
                return until
            model.objects.filter(pk=row.pk).update(
                failures=F("failures") + 1, last_failure_at=now
            )
            return Attempt(model, key, now, row.last_failure_at)
    raise IntegrityError("the login failure row could neither be made nor read")


def take_attempt(request, username: str) -> list[Attempt] | Lockout:
    """Counts this attempt, before its password is checked, on its pair and
    (unless this browser is a known device of the account) on the account;
    or the lockout or slowdown that refuses it, counting nothing."""
    pair = _take_attempt(
        LoginFailure,
        _pair(request, username),
        delay=_pair_delay,
        stale_after=_cooloff(),
    )
    if not isinstance(pair, Attempt):
        return Lockout(username, pair)
    account = _take_attempt(
        AccountLoginFailure,
        {"username": _username(username)},
        delay=account_delay,
        stale_after=_account_window(),
        # A known device's failures still count, but it does not wait.
        enforce=not is_known_device(request, username),
    )
    if not isinstance(account, Attempt):
        pair.forget()
        return Lockout(username, account, account_wide=True)
    return [pair, account]


# The known-device cookie: signed and timestamped (it cannot be forged or
# kept past its age), holding keyed hashes of the accounts that signed in from
# this browser, not the usernames themselves. Each hash covers the account's
# password hash too (its session auth hash), so a new password revokes every
# cookie made before it.
KNOWN_DEVICE_COOKIE = "cucs_known_device"
KNOWN_DEVICE_SALT = "cucs_portal.lockout.known_device"
KNOWN_DEVICE_ACCOUNTS = 10  # the most recent accounts a browser remembers


def _device_token(user) -> str:
    value = f"{user.get_username()}\n{user.get_session_auth_hash()}"
    return salted_hmac(KNOWN_DEVICE_SALT, value).hexdigest()[:32]


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
    """Whether this browser signed in to this account, or chose its password
    through the e-mailed link, within ``LOGIN_KNOWN_DEVICE_DAYS`` and since
    the password last changed (the known-device cookie)."""
    tokens = _known_device_tokens(request)
    if not tokens:
        return False
    User = get_user_model()
    user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
    return user is not None and _device_token(user) in tokens


def _set_known_device(request, response, user) -> None:
    token = _device_token(user)
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
    slowed account; otherwise counts it as a failure before the next backend
    checks its password (a success takes it back).

    It never signs anyone in, so it has no ``get_user``: sessions and the test
    client's ``force_login`` use the next backend that has one.
    """

    def authenticate(self, request, username=None, password=None, **credentials):
        if username is None:
            username = credentials.get(get_user_model().USERNAME_FIELD)
        if request is None or username is None:
            return None
        attempt = take_attempt(request, username)
        if isinstance(attempt, Lockout):
            request.login_lockout = attempt
            raise PermissionDenied  # authenticate() stops at once
        request.login_attempts = attempt
        return None


def on_logged_in(sender, request, user, **kwargs):
    if request is None:
        return
    # The account's count forgets this attempt only: an attacker spread over
    # many addresses must not get a fresh start each time the person signs in.
    for attempt in getattr(request, "login_attempts", []):
        if attempt.model is AccountLoginFailure:
            attempt.forget()
    LoginFailure.objects.filter(**_pair(request, user.get_username())).delete()
    # The middleware sets the cookie on the response.
    request.login_known_device = user


def connect_signals() -> None:
    """Called by the app's ready()."""
    signals.user_logged_in.connect(on_logged_in, dispatch_uid="login-lockout")


class LoginLockoutMiddleware:
    """Answers an attempt refused by ``LoginLockoutBackend`` with the lockout
    page, whatever the login view would have shown; after a successful login
    or a new password chosen through the e-mailed link, marks the browser as a
    known device of the account."""

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
    the lockouts of the account, from every address, and its slowdown, and
    makes this browser a known device of the account."""

    def form_valid(self, form):
        response = super().form_valid(form)
        username = _username(form.user.get_username())
        LoginFailure.objects.filter(username=username).delete()
        AccountLoginFailure.objects.filter(username=username).delete()
        # Whoever chose the password here holds the account's mailbox: this
        # browser is a known device, so an attacker who keeps the account
        # slowed cannot keep them out.
        self.request.login_known_device = form.user
        return response
