from django.apps import AppConfig


class CucsPortalConfig(AppConfig):
    """The project package, installed for its template tags only."""

    name = "cucs_portal"
    verbose_name = "Portail CUCS"
