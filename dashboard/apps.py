from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The pages that gather every app (the dashboard, each axis's page): the top
    floor, which imports the domain apps and is imported by none."""

    name = "dashboard"
    verbose_name = _("Dashboard")
