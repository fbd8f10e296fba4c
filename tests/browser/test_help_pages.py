"""The « Aide » pages in a real browser, with axe-core on each: a member
opens the help from the header, then every role's page."""

import pytest
from django.urls import reverse

from dashboard.help import ROLES
from tests import factories as f
from tests.world import load_reference_fixtures

pytestmark = pytest.mark.browser


def test_a_member_reads_the_help_of_every_role(visit, a11y, transactional_db):
    load_reference_fixtures()
    person = f.UserFactory(username="membre")
    f.AtelierMembershipFactory(user=person)
    nadia = visit()
    nadia.log_in("membre")

    nadia.follow(nadia.page.locator(".portal-user-actions a", has_text="Aide"))
    assert nadia.page.url.endswith(reverse("help"))
    for role in ROLES:
        nadia.goto(reverse("help_role", kwargs={"role": role.slug}))
        screenshots = nadia.page.locator("img.help-screenshot")
        assert screenshots.count() >= 4
        assert screenshots.first.evaluate("img => img.naturalWidth") > 0

    a11y.assert_clean(minimum_pages=1 + len(ROLES))
