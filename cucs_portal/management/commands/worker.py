"""``manage.py worker``: django-tasks' ``db_worker`` (same options), which first
finds the work a dead worker left behind and frees it.

A worker killed outright (SIGKILL, out of memory, the machine restarted) runs
no cleanup: its PDF stays "being rendered", its guests "being sent", its task
rows RUNNING. Each app that leases work says how to recover it with a
``recover_interrupted_work()`` method on its AppConfig (the kernel imports no
app); this command calls them all before the first task is taken up.
"""

from django.apps import apps
from django_tasks_db.management.commands import db_worker


def recover_interrupted_work() -> dict[str, dict]:
    """Every app's recovery, by app label: what each found and did."""
    return {
        config.label: config.recover_interrupted_work()
        for config in apps.get_app_configs()
        if callable(getattr(config, "recover_interrupted_work", None))
    }


class Command(db_worker.Command):
    help = (
        "Run the background worker (django-tasks' db_worker), after recovering "
        "the work a worker that died left behind."
    )

    def handle(self, *args, **options):
        for label, counts in recover_interrupted_work().items():
            if any(counts.values()) and options["verbosity"]:
                done = ", ".join(f"{key} {value}" for key, value in counts.items())
                self.stdout.write(f"Recovered interrupted work of {label}: {done}")
        return super().handle(*args, **options)
