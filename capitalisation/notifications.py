"""Who hears about what happens to an experience sheet."""

from cucs_portal.mail import absolute_url, notify
from people.models import User

from .models import ExperienceSheet


def sheet_submitted(*, sheet: ExperienceSheet) -> None:
    """The secretariat: a sheet waits for its review."""
    notify(
        recipients=User.objects.filter(is_active=True, is_secretariat=True),
        template="capitalisation/emails/sheet_submitted",
        context={"sheet": sheet, "url": absolute_url(sheet.get_absolute_url())},
    )


def sheet_reviewed(*, sheet: ExperienceSheet) -> None:
    """The author: the secretariat published their sheet or returned it."""
    author = User.objects.filter(pk=sheet.author_id, is_active=True)
    notify(
        recipients=author,
        template="capitalisation/emails/sheet_reviewed",
        context={"sheet": sheet, "url": absolute_url(sheet.get_absolute_url())},
    )
