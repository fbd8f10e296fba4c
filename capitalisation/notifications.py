"""Who hears about what happens to an experience sheet."""

from django.utils.translation import gettext_lazy as _

from cucs_portal.mail import absolute_url, notify
from cucs_portal.notifications import NotificationKind
from people.models import User

from .models import ExperienceSheet

SHEET_SUBMITTED = NotificationKind(
    "sheet_submitted",
    _("An experience sheet waits for its review"),
    concerns=_("the secretariat"),
)
SHEET_REVIEWED = NotificationKind(
    "sheet_reviewed",
    _("The secretariat published or returned your experience sheet"),
    concerns=_("the sheet's author"),
)
NOTIFICATION_KINDS = [SHEET_SUBMITTED, SHEET_REVIEWED]


def sheet_submitted(*, sheet: ExperienceSheet) -> None:
    """The secretariat: a sheet waits for its review."""
    notify(
        recipients=User.objects.filter(is_active=True, is_secretariat=True),
        kind=SHEET_SUBMITTED,
        template="capitalisation/emails/sheet_submitted",
        context={"sheet": sheet, "url": absolute_url(sheet.get_absolute_url())},
    )


def sheet_reviewed(*, sheet: ExperienceSheet) -> None:
    """The author: the secretariat published their sheet or returned it."""
    author = User.objects.filter(pk=sheet.author_id, is_active=True)
    notify(
        recipients=author,
        kind=SHEET_REVIEWED,
        template="capitalisation/emails/sheet_reviewed",
        context={"sheet": sheet, "url": absolute_url(sheet.get_absolute_url())},
    )
