from django.apps import AppConfig


class CucsPortalConfig(AppConfig):
    """The project package: template tags, and the login lockout
    (cucs_portal/lockout.py) with its one model."""

    name = "cucs_portal"
    verbose_name = "Portail CUCS"

    def ready(self):
        from .lockout import connect_signals

        connect_signals()
