import pytest
from django.db import transaction

from . import two_factor_support
from .world import World, build_world, load_reference_fixtures


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> World:
    """The portal of tests/world.py, built once per test module.

    It lives in a transaction around the module; every test runs in a savepoint
    inside it, so tests may change its rows freely (not its Python objects);
    everything is rolled back at the end of the module.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def reference_data(db) -> None:
    """The six axes, the three bassins and the partner organisations."""
    load_reference_fixtures()


def pytest_configure(config):
    # WhiteNoise warns that STATIC_ROOT does not exist until collectstatic has run;
    # tests serve no static files.
    config.addinivalue_line(
        "filterwarnings", r"ignore:No directory at.*staticfiles:UserWarning"
    )


# The tests' logins give the accounts that must use two-factor authentication a
# real device and a verified session (tests/two_factor_support.py).
two_factor_support.install()
