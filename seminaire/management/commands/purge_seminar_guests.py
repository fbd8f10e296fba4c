"""``manage.py purge_seminar_guests``: what the worker does every night
(seminaire/retention.py), at once."""

from django.conf import settings
from django.core.management.base import BaseCommand

from seminaire import retention


class Command(BaseCommand):
    help = (
        "Anonymise the seminar guests without an account whose seminar ended "
        "more than SEMINAR_GUEST_RETENTION_MONTHS months ago."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say how many guests are due, change nothing.",
        )

    def handle(self, *args, **options):
        months = settings.SEMINAR_GUEST_RETENTION_MONTHS
        if options["dry_run"]:
            due = retention.guests_to_purge().count()
            self.stdout.write(
                f"{due} guest(s) past {months} months would be anonymised."
            )
            return
        purged = retention.guests_purge()
        self.stdout.write(f"{purged} guest(s) past {months} months anonymised.")
