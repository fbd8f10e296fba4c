from django.apps import AppConfig


class CucsPortalConfig(AppConfig):
    """The project package: template tags, the login lockout
    (cucs_portal/lockout.py) with its models, notification preferences and
    the daily digest (cucs_portal/notifications.py, digests.py), deployment
    checks (cucs_portal/checks.py), and, on SQLite connections, the French
    collation (cucs_portal/collation.py) and the folding function of
    accent-forgiving search (cucs_portal/search.py)."""

    name = "cucs_portal"
    verbose_name = "Portail CUCS"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created

        from . import checks  # noqa: F401  (registers them)
        from .collation import register_sqlite_collation
        from .lockout import connect_signals
        from .middleware import mark_session_fresh
        from .search import register_sqlite_functions

        connect_signals()
        connection_created.connect(
            register_sqlite_collation, dispatch_uid="sqlite-french-collation"
        )
        user_logged_in.connect(mark_session_fresh, dispatch_uid="session-fresh")
        connection_created.connect(
            register_sqlite_functions, dispatch_uid="sqlite-search-functions"
        )

    def recover_interrupted_work(self) -> dict:
        """The daily digest (cucs_portal/tasks.py): a dead run's task failed
        and retried, and one run always waiting."""
        from .tasks import recover_digests

        return recover_digests()
