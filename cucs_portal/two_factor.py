"""Two-factor authentication: a TOTP application and single-use recovery codes
(django-otp), required for the accounts that see everyone's personal data and
administer the portal, optional for everyone else.

**Who must.** ``must_use_two_factor``: the superusers, the staff (the admin)
and the secretariat. Everyone else may turn it on (and off) on « Authentification
à deux facteurs », in the account area.

**Signing in.** The password step (``LoginView``) does not sign in a person who
has a confirmed device: it keeps, in the session, who typed the right password
and when (``PENDING_KEY``, good for ``TWO_FACTOR_PENDING_SECONDS``), and asks
for the code, or a recovery code, on the next page. Only the right code signs
the person in (``django.contrib.auth.login``, then ``django_otp.login``), so
the login lockout (cucs_portal/lockout.py) works as it does for passwords:

- the code step counts an attempt on the pair (username, address) and on the
  account before checking the code, with the wrong passwords; the right code
  takes it back, as a right password does;
- the right password of a person who has a device takes its attempt back but
  does not forget the pair's earlier failures, nor does it make the browser a
  known device: that happens once the code is right. Knowing the password
  gives no fresh start for guessing codes.

A person who must use two-factor authentication and has no device yet is
signed in by the password, then sent to the enrolment, and nowhere else
(``TwoFactorMiddleware``, default deny): every page but the enrolment, the
logout and the language switch sends them there. Their session is verified once
they confirm their first code. The admin is behind the same middleware (every
staff account must use the second factor) and its login page hands over to the
portal's (cucs_portal/urls.py).

**Enrolment.** The secret is made on the enrolment page and kept in the session
until the person types a first code computed from it; only then is the device
saved, confirmed, with ``TWO_FACTOR_RECOVERY_CODES`` new recovery codes shown
once. Enrolling again (a new phone) replaces the device and the codes.
"""

import base64
import time
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.contrib import auth
from django.db import InterfaceError, OperationalError, transaction
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode as django_urlencode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from .middleware import DatabaseUnavailableMiddleware

PENDING_KEY = "two_factor_pending"
ENROL_KEY = "two_factor_enrol_key"
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery"

# What a person who must use the second factor and has not yet may reach: the
# enrolment, the logout and the language switch. Everything else is refused.
UNVERIFIED_ALLOWED = frozenset({"two_factor:enrol", "logout", "set_language", "health"})


def must_use_two_factor(user) -> bool:
    """The accounts that see everyone's personal data or administer: the
    superusers, the staff (the admin) and the secretariat."""
    if not user.is_authenticated:
        return False
    return bool(
        user.is_superuser or user.is_staff or getattr(user, "is_secretariat", False)
    )


def confirmed_device(user) -> TOTPDevice | None:
    """The person's TOTP application, once confirmed by a first code."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def is_verified(request) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


# --- The secret and its presentation -------------------------------------------


def new_key() -> str:
    """A secret of 20 random bytes, hex-encoded as django-otp stores it."""
    return random_hex(20)


def base32_key(key_hex: str) -> str:
    """The secret as an authenticator application takes it, typed by hand."""
    return base64.b32encode(bytes.fromhex(key_hex)).decode("ascii")


def grouped(text: str, size: int = 4) -> str:
    """« ABCD EFGH … »: easier to read out and type."""
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


def otpauth_uri(key_hex: str, username: str) -> str:
    """The ``otpauth://`` URI of the secret (the QR code's content)."""
    issuer = settings.OTP_TOTP_ISSUER.replace(":", "")
    label = quote(f"{issuer}:{username}")
    query = urlencode(
        {
            "secret": base32_key(key_hex),
            "algorithm": "SHA1",
            "digits": 6,
            "period": 30,
        }
    )
    return f"otpauth://totp/{label}?{query}&issuer={quote(issuer)}"


def qr_code_svg(uri: str, title: str) -> str:
    """The QR code of ``uri`` as inline SVG (no image file, no inline style:
    the Content-Security-Policy allows it)."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, title=title, svgclass="two-factor-qr", lineclass=None
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)


def totp_matches(key_hex: str, token: str, *, after: int = -1) -> int | None:
    """The time step of ``token`` if it is the code of ``key_hex`` now (one step
    of clock difference either way), and later than ``after``; else None."""
    token = normalise(token)
    if not (token.isdigit() and len(token) == 6):
        return None
    totp = TOTP(bytes.fromhex(key_hex), step=30, t0=0, digits=6)
    totp.time = time.time()
    if totp.verify(int(token), tolerance=1, min_t=after + 1):
        return totp.t()
    return None


def normalise(token: str) -> str:
    """What the person typed, without spaces or dashes, in lower case: a code
    read out in groups, or a recovery code copied with its dash."""
    return "".join(token.split()).replace("-", "").lower()


# --- Services -----------------------------------------------------------------


@dataclass(frozen=True)
class Enabled:
    device: TOTPDevice
    recovery_codes: list[str]


def _new_recovery_codes(device: StaticDevice) -> list[str]:
    device.token_set.all().delete()
    codes = [
        StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)
    ]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=code) for code in codes
    )
    return [display_code(code) for code in codes]


def display_code(code: str) -> str:
    """« abcd-efgh »: a recovery code as shown (typed with or without the dash)."""
    return f"{code[:4]}-{code[4:]}"


@transaction.atomic
def two_factor_enable(*, user, key_hex: str, step: int) -> Enabled:
    """Saves the TOTP application the person confirmed with the code of
    ``step`` (so that very code cannot be used again), replacing any other, and
    gives them new recovery codes."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name=DEVICE_NAME, key=key_hex, confirmed=True, last_t=step
    )
    recovery = StaticDevice.objects.create(
        user=user, name=RECOVERY_NAME, confirmed=True
    )
    return Enabled(device, _new_recovery_codes(recovery))


@transaction.atomic
def recovery_codes_regenerate(*, user) -> list[str]:
    """New recovery codes; the old ones stop working."""
    recovery, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    return _new_recovery_codes(recovery)


@transaction.atomic
def two_factor_disable(*, user) -> None:
    if must_use_two_factor(user):
        raise PermissionError("two-factor authentication is required for this account")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify_second_factor(user, token: str):
    """The device that accepts ``token`` (the application's code, or a recovery
    code, which is then used up), or None."""
    token = normalise(token)
    if token.isdigit() and len(token) == 6:
        with transaction.atomic():
            device = (
                TOTPDevice.objects.select_for_update()
                .filter(user=user, confirmed=True)
                .first()
            )
            if device is not None and device.verify_token(token):
                return device
        return None
    if not token or len(token) > 16:
        return None
    with transaction.atomic():
        device = (
            StaticDevice.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .first()
        )
        if device is not None and device.verify_token(token):
            return device
    return None


# --- Between the password and the code -----------------------------------------


def pending_start(request, user, *, next_url: str) -> None:
    """The password was right: remember who, until the code."""
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "hash": user.get_session_auth_hash(),
        "at": int(time.time()),
        "next": next_url,
    }


def pending_user(request):
    """The person whose password was right, within the time allowed, with the
    same password still; else None (and the pending state is dropped)."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    User = auth.get_user_model()
    user = User._default_manager.filter(pk=pending.get("user"), is_active=True).first()
    fresh = time.time() - pending.get("at", 0) <= settings.TWO_FACTOR_PENDING_SECONDS
    if user is None or not fresh or user.get_session_auth_hash() != pending.get("hash"):
        request.session.pop(PENDING_KEY, None)
        return None
    user.backend = pending["backend"]
    return user


def pending_finish(request, user, device) -> str:
    """The code was right: signs the person in, verified; where they go next."""
    next_url = request.session[PENDING_KEY].get("next") or reverse(
        settings.LOGIN_REDIRECT_URL
    )
    del request.session[PENDING_KEY]
    auth.login(request, user, backend=user.backend)
    otp_login(request, device)
    return next_url


def verify_session(request, device) -> None:
    """Marks the signed-in person's session as verified by ``device``."""
    otp_login(request, device)


def forget_verification(request) -> None:
    request.session.pop(DEVICE_ID_SESSION_KEY, None)


# --- Default deny for those who must ------------------------------------------


def open_before_second_factor(view):
    """Mark a public, read-only view as readable by a person who still owes
    their second factor (the footer's statements): it shows nothing that is
    theirs and changes nothing."""
    view.open_before_second_factor = True
    return view


class TwoFactorMiddleware:
    """A person who must use the second factor and whose session is not
    verified reaches only ``UNVERIFIED_ALLOWED``: without a device they are
    sent to the enrolment; with one (a session opened before it was required,
    or elsewhere), they are signed out and sent to the login, to sign in with
    their code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie, no one is signed in: the session is not
        # read (no Vary: Cookie on the health endpoint, say), nor on the pages
        # everyone may reach.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        # The footer's statements (``open_before_second_factor``) stay
        # readable too: they are public and change nothing.
        if match is not None and (
            match.view_name in UNVERIFIED_ALLOWED
            or getattr(match.func, "open_before_second_factor", False)
        ):
            return self.get_response(request)
        try:
            user = request.user
            refused = must_use_two_factor(user) and not user.is_verified()
        except (OperationalError, InterfaceError) as error:
            # The session cannot be read: the outage page, as a view would get.
            outage = DatabaseUnavailableMiddleware(self.get_response)
            response = outage.process_exception(request, error)
            if response is None:
                raise
            return response
        if refused:
            return self.refuse(request, user)
        return self.get_response(request)

    @staticmethod
    def refuse(request, user):
        next_query = django_urlencode({"next": request.get_full_path()})
        if confirmed_device(user) is None:
            return redirect(f"{reverse('two_factor:enrol')}?{next_query}")
        auth.logout(request)
        return redirect(f"{reverse(settings.LOGIN_URL)}?{next_query}")
