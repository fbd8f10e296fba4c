"""Login brute force: after ``LOGIN_LOCKOUT_FAILURES`` failed logins with one
username from one address, logins with that username from that address are
refused for ``LOGIN_LOCKOUT_MINUTES`` with a page saying so (HTTP 429).

Why not django-axes: its Python package and app label are ``axes``, the name of
our app of the six thematic axes, so the two cannot be installed together. This
module follows its design in a few lines, with its state in the database
(shared by every worker process, kept across restarts):

- ``LoginLockoutBackend``, first of ``AUTHENTICATION_BACKENDS``, refuses an
  attempt on a locked pair before any password is checked;
- the ``user_login_failed`` signal counts a failure, ``user_logged_in`` forgets
  the pair's failures, and ``PasswordResetConfirmView`` (a new password chosen
  through the e-mailed link) forgets the account's;
- ``LoginLockoutMiddleware`` turns the refused attempt into the lockout page.

Every login form that goes through ``authenticate(request, ...)`` is covered:
the portal's and the admin's. ``authenticate`` without a request (e.g. the test
client's ``login()``) has no address and is not counted.

The pair (username, address), rather than either alone: locking a username
would let anyone lock the secretariat out from anywhere, and locking an address
would lock out every colleague behind a landlord's shared internet access.
"""

import datetime
import ipaddress
import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model, signals
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from .models import LoginFailure

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


def _pair(request, username: str) -> dict:
    return {"username": username[:USERNAME_LENGTH], "ip_address": client_ip(request)}


def _cooloff() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


@dataclass(frozen=True)
class Lockout:
    username: str
    until: datetime.datetime

    @property
    def minutes_left(self) -> int:
        return max(1, math.ceil((self.until - timezone.now()).total_seconds() / 60))


def current_lockout(request, username: str) -> Lockout | None:
    """The lockout of this username from this request's address, if any."""
    failure = LoginFailure.objects.filter(**_pair(request, username)).first()
    if failure is None or failure.failures < settings.LOGIN_LOCKOUT_FAILURES:
        return None
    until = failure.last_failure_at + _cooloff()
    return Lockout(username, until) if until > timezone.now() else None


def record_failure(request, username: str) -> None:
    now = timezone.now()
    pair = _pair(request, username)
    # Failures further apart than the cool-off start again from one.
    LoginFailure.objects.filter(last_failure_at__lte=now - _cooloff()).delete()
    counted = {"failures": F("failures") + 1, "last_failure_at": now}
    if LoginFailure.objects.filter(**pair).update(**counted):
        return
    try:
        with transaction.atomic():
            LoginFailure.objects.create(**pair, failures=1, last_failure_at=now)
    except IntegrityError:  # a concurrent first failure of the same pair
        LoginFailure.objects.filter(**pair).update(**counted)


class LoginLockoutBackend:
    """Refuses, before any other backend, an attempt on a locked pair.

    It never signs anyone in, so it has no ``get_user``: sessions and the test
    client's ``force_login`` use the next backend that has one.
    """

    def authenticate(self, request, username=None, password=None, **credentials):
        if username is None:
            username = credentials.get(get_user_model().USERNAME_FIELD)
        if request is None or username is None:
            return None
        lockout = current_lockout(request, username)
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


def connect_signals() -> None:
    """Called by the app's ready()."""
    signals.user_login_failed.connect(on_login_failed, dispatch_uid="login-lockout")
    signals.user_logged_in.connect(on_logged_in, dispatch_uid="login-lockout")


class LoginLockoutMiddleware:
    """Answers an attempt refused by ``LoginLockoutBackend`` with the lockout
    page, whatever the login view would have shown."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
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
        add_never_cache_headers(response)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view; a new password chosen through the e-mailed link also lifts
    the lockouts of the account, from every address."""

    def form_valid(self, form):
        response = super().form_valid(form)
        LoginFailure.objects.filter(
            username=form.user.get_username()[:USERNAME_LENGTH]
        ).delete()
        return response
