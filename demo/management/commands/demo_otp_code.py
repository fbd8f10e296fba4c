"""The code of the moment of a demo account's second factor, for a
demonstration without an authenticator application at hand.

It prints a code only for an account whose device holds the demo's published
secret (demo/data.py, DEMO_OTP_SECRET), which anyone can compute anyway: on
any other account (a real one, or a demo account set up with a real phone)
it refuses, so it can never be used to get into a real account."""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.two_factor import demo_otp_key


class Command(BaseCommand):
    help = (
        "Print the current two-factor code of a demo account (admin, secretariat). "
        "Refuses any account whose device is not the demo's published one."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        user = User._default_manager.filter(username=username).first()
        if user is None:
            raise CommandError(f"Aucun compte « {username} ».")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None or device.key != demo_otp_key():
            raise CommandError(
                f"Le compte « {username} » n’a pas le second facteur de "
                "démonstration : cette commande ne donne que les codes de la clé "
                "de démonstration publique."
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        left = device.step - int(totp.time - device.t0) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}")
        if options["verbosity"] > 1:
            self.stdout.write(f"(valable encore {left} s)")
