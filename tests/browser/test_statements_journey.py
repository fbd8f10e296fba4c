"""The statements of the footer in a real browser, with axe-core on each: a
visitor who is not signed in reads all four from the login page's footer, then
a partner finds their pages in the site map."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.world import load_reference_fixtures

pytestmark = pytest.mark.browser

FOOTER_LINKS = (
    ("personal_data", "Données personnelles"),
    ("accessibility", "Accessibilité"),
    ("legal_notice", "Mentions légales"),
    ("site_map", "Plan du site"),
)


def test_the_statements_are_read_from_every_footer(visit, a11y, transactional_db):
    """Signed out, each statement opens from the footer of the page before; then
    a partner's site map lists the référentiel and not the journal, and each of
    its first links opens."""
    load_reference_fixtures()
    f.UserFactory(username="partenaire", partner=True)
    visitor = visit()
    visitor.goto(reverse("login"))

    for name, _label in FOOTER_LINKS:
        footer = visitor.page.locator(".portal-footer-links")
        visitor.follow(footer.locator(f'a[href="{reverse(name)}"]'))
        assert visitor.page.url.endswith(reverse(name))
        current = visitor.page.locator('.portal-footer-links a[aria-current="page"]')
        assert current.get_attribute("href") == reverse(name)

    partner = visit()
    partner.log_in("partenaire")
    partner.goto(reverse("site_map"))
    site_map = partner.page.locator("main .site-map")
    assert site_map.locator(f'a[href="{reverse("referentiel:list")}"]').count() == 1
    assert site_map.locator(f'a[href="{reverse("audit:log")}"]').count() == 0
    partner.follow(site_map.locator(f'a[href="{reverse("referentiel:list")}"]'))

    a11y.assert_clean(minimum_pages=1 + len(FOOTER_LINKS) + 3)
