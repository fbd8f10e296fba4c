"""Real second factors for the tests' logins (cucs_portal/two_factor.py).

Two-factor authentication is enforced in the tests as everywhere: a superuser,
a staff account or the secretariat whose session is not verified is sent to the
enrolment (or to the login), page after page. So the test client's login
helpers (``force_login`` and ``login``, which both end in ``_login``) give such
a person a real confirmed TOTP device, if they have none, and mark the new
session as verified by it, as ``django_otp.login`` does after a right code
(``install``, from tests/conftest.py). Anyone with a confirmed device gets a
verified session too. ``unverified_login`` is the original, for the tests of
what an unverified session may not do.

The browser's login (tests/browser/support.py) types a real code computed from
the device's key: ``next_code``.
"""

import time

from django.test.client import ClientMixin
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cucs_portal import two_factor

_original_login = ClientMixin._login


def unverified_login(client, user, backend=None) -> None:
    """``client.force_login`` as Django has it: signed in, not verified."""
    user.backend = backend or client._get_backend()
    _original_login(client, user, user.backend)


def give_device(user) -> TOTPDevice:
    """The person's confirmed TOTP device; a new one (a random key) if none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=two_factor.DEVICE_NAME, confirmed=True
        )
    return device


def needs_device(user) -> bool:
    return two_factor.must_use_two_factor(user)


def verify(client, user) -> TOTPDevice | None:
    """Marks the client's session as verified by the person's device (given
    first if they must have one)."""
    if needs_device(user):
        device = give_device(user)
    else:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            return None
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def _login(self, user, backend=None):
    _original_login(self, user, backend)
    verify(self, user)


def install() -> None:
    ClientMixin._login = _login


def code_at(key_hex: str, step: int) -> str:
    """The code of the secret ``key_hex`` at the 30-second time step ``step``."""
    return f"{hotp(bytes.fromhex(key_hex), step, digits=6):06d}"


def current_step() -> int:
    return int(time.time()) // 30


def next_code(device: TOTPDevice) -> str:
    """A code the device accepts now: of the earliest time step it allows (one
    step of clock difference either way) after the last code used, so that two
    sign-ins of the same person within 30 seconds each have theirs. Waits for
    the clock when the three steps allowed are used up."""
    device.refresh_from_db()
    while True:
        now = current_step() + device.drift
        step = max(now - device.tolerance, device.last_t + 1)
        if step <= now + device.tolerance:
            return code_at(device.key, step)
        time.sleep(1)


def wrong_code(device: TOTPDevice) -> str:
    """Six digits that are none of the codes the device accepts now."""
    return wrong_code_of(device.key, device.drift)


def wrong_code_of(key_hex: str, drift: int = 0) -> str:
    now = current_step() + drift
    valid = {code_at(key_hex, now + d) for d in range(-2, 3)}
    return next(f"{n:06d}" for n in range(123456, 1000000) if f"{n:06d}" not in valid)
