from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ateliers.sections import AtelierSection, register_atelier_section


class CalendarsConfig(AppConfig):
    name = "calendars"
    verbose_name = _("Calendars")

    def ready(self):
        # Models are loaded only now.
        from . import selectors

        register_atelier_section(
            AtelierSection(
                template_name="calendars/includes/atelier_calendar.html",
                context=selectors.atelier_section,
            )
        )
