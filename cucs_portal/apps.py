from django.apps import AppConfig


class CucsPortalConfig(AppConfig):
    """The project package: template tags, the login lockout
    (cucs_portal/lockout.py) with its models, deployment checks
    (cucs_portal/checks.py), and SQLite's French collation
    (cucs_portal/collation.py)."""

    name = "cucs_portal"
    verbose_name = "Portail CUCS"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created

        from . import checks  # noqa: F401  (registers them)
        from .collation import register_sqlite_collation
        from .lockout import connect_signals
        from .middleware import mark_session_fresh

        connect_signals()
        connection_created.connect(
            register_sqlite_collation, dispatch_uid="sqlite-french-collation"
        )
        user_logged_in.connect(mark_session_fresh, dispatch_uid="session-fresh")
