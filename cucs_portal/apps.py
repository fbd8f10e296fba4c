from django.apps import AppConfig


class CucsPortalConfig(AppConfig):
    """The project package: template tags, the login lockout
    (cucs_portal/lockout.py) with its models, and deployment checks
    (cucs_portal/checks.py)."""

    name = "cucs_portal"
    verbose_name = "Portail CUCS"

    def ready(self):
        from . import checks  # noqa: F401  (registers them)
        from .lockout import connect_signals

        connect_signals()
