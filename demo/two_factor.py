"""The demo's second factor (data.DEMO_OTP_SECRET), shared by seed_demo and
demo_otp_code."""

import base64

from demo import data


def demo_otp_key() -> str:
    """The demo secret, hex-encoded as django-otp stores a device's key."""
    return base64.b32decode(data.DEMO_OTP_SECRET).hex()


def demo_otp_code() -> str:
    """The code of the moment of the demo's published secret (the scripts
    that sign in as the demo's admin and secretariat type it)."""
    from django_otp.oath import TOTP

    return f"{TOTP(bytes.fromhex(demo_otp_key())).token():06d}"


def pass_second_step(page) -> None:
    """After the password, in a Playwright page: type the demo's code if the
    login asks for it (the demo's admin and secretariat)."""
    if "/compte/deux-facteurs/verification/" in page.url:
        page.fill("#id_code", demo_otp_code())
        with page.expect_navigation():
            page.click("main form button[type=submit]")
