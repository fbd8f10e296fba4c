"""`manage.py seed_demo` against a production configuration (an empty database).
With --allow-production it runs: tests/demo/test_seed_demo.py seeds so."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command, get_commands

from ateliers.models import Proposal
from axes.models import Axis
from people.models import User

pytestmark = pytest.mark.django_db


def seed_demo(*args):
    call_command("seed_demo", *args, stdout=StringIO(), stderr=StringIO())


def test_the_demo_refuses_to_run_without_debug(settings):
    """With DEBUG off (production) the command refuses and writes nothing."""
    assert "seed_demo" in get_commands()
    settings.DEBUG = False

    with pytest.raises(CommandError):
        seed_demo()

    assert not User.objects.exists()
    assert not Axis.objects.exists()
    assert not Proposal.objects.exists()
