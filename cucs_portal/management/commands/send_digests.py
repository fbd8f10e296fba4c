"""``manage.py send_digests``: send the daily digests now, as the worker's task
does at ``NOTIFICATION_DIGEST_TIME``. Whoever has had theirs today gets no
second one; the scheduled task is left as it is."""

from django.core.management.base import BaseCommand

from cucs_portal.digests import send_digests


class Command(BaseCommand):
    help = (
        "Send the daily digest of notifications to everyone with events waiting "
        "(once per person and day)."
    )

    def handle(self, *args, **options):
        counts = send_digests()
        if options["verbosity"]:
            self.stdout.write(
                "Digests sent {sent}, already sent today {already}, "
                "dropped (no address or inactive) {dropped}, failed {failed}".format(
                    **counts
                )
            )
