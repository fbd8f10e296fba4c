"""The demo's second factor (data.DEMO_OTP_SECRET), shared by seed_demo and
demo_otp_code."""

import base64

from demo import data


def demo_otp_key() -> str:
    """The demo secret, hex-encoded as django-otp stores a device's key."""
    return base64.b32decode(data.DEMO_OTP_SECRET).hex()
