"""Journey 3, in a real browser: the secretariat prepares and publishes an
edition of the référentiel, follows the making of its PDF on the edition's page
(which polls the state and shows the download button without a reload) while
the background worker renders it, creates a share link, and a partner without
an account opens the link and downloads the PDF, then the ODT."""

from pathlib import Path

import pytest
from django.urls import reverse
from odfdo import Document

from axes.models import Axis
from tests import factories as f
from tests.referentiel.support import normalized, page_texts, read_pdf
from tests.world import load_reference_fixtures

from .support import WorkerThread

pytestmark = pytest.mark.browser

PROPOSAL = "Un entretien partagé des espaces extérieurs"
EDITION = "Référentiel CUCS : édition du séminaire du 10 mai 2007"
# The worker renders with WeasyPrint in a subprocess: seconds for one proposal,
# more on a loaded machine.
PDF_TIMEOUT_MS = 120_000


@pytest.fixture
def validated_proposal(transactional_db):
    load_reference_fixtures()
    atelier = f.AtelierFactory(axis=Axis.objects.get(number=1))
    enjeu = f.EnjeuFactory(axis=atelier.axis, position=1)
    f.UserFactory(username="secretariat", secretariat=True)
    return f.ProposalFactory(
        atelier=atelier,
        enjeu=enjeu,
        status="validated",
        title=PROPOSAL,
        description="Les bailleurs et la ville se répartissent l’entretien.",
    )


def test_publish_follow_the_pdf_and_share_it(visit, a11y, validated_proposal):
    # --- The secretariat starts an edition ------------------------------------
    secretariat = visit()
    secretariat.log_in("secretariat")
    page = secretariat.page
    editions = reverse("referentiel:list")
    secretariat.follow(page.locator(f'a.nav-link[href="{editions}"]'))
    secretariat.follow(page.locator(f'main a[href="{reverse("referentiel:create")}"]'))
    page.fill("#id_title", EDITION)
    page.fill("#id_place", "Saint-Étienne")
    page.fill("#id_event_date", "2007-05-10")
    secretariat.follow(page.locator("main form button[type=submit]"))
    assert page.locator("h1").inner_text() == EDITION
    assert PROPOSAL in page.locator(".edition-entries").inner_text()

    # --- It publishes it -----------------------------------------------------
    publish = page.locator('.action-bar a[href$="/publier/"]')
    secretariat.follow(publish)
    secretariat.follow(page.locator("main form button[type=submit]"))
    assert page.locator(".status-badge--edition-published").is_visible()
    progress = page.locator("[data-pdf-progress]")
    download = page.locator("[data-pdf-download] a[data-pdf-link]")
    assert progress.is_visible()
    assert not download.is_visible()
    queued_message = page.locator("[data-pdf-message]").inner_text()

    # --- The worker renders the PDF while the page waits ----------------------
    page.evaluate("window.stillTheSamePage = true")
    worker = WorkerThread()
    worker.start()
    try:
        download.wait_for(state="visible", timeout=PDF_TIMEOUT_MS)
    finally:
        worker.join(timeout=PDF_TIMEOUT_MS / 1000)
    assert worker.error is None, worker.error
    assert not worker.is_alive()
    assert page.evaluate("window.stillTheSamePage === true"), "the page reloaded"
    assert not progress.is_visible()
    assert page.locator("[data-pdf-message]").inner_text() != queued_message
    assert len(page.locator("[data-pdf-sha]").inner_text().strip()) == 64
    a11y.check(page)  # the page as the polling left it

    # --- It creates a share link for a partner --------------------------------
    page.fill("#id_label", "Préfecture de la Loire")
    secretariat.follow(page.locator("#share-links form button[type=submit]"))
    share_url = page.locator("#share-links input.share-url").input_value()
    assert "/partage/" in share_url

    # --- A partner without an account opens it and downloads the PDF ----------
    partner = visit()
    partner.goto(share_url)
    assert partner.page.locator("h1").inner_text() == EDITION
    assert partner.page.locator(".portal-user-name").count() == 0
    with partner.page.expect_download() as downloading:
        partner.page.locator(".share-document a.btn-primary").click()
    data = Path(downloading.value.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    assert downloading.value.suggested_filename.endswith(".pdf")
    text = normalized(" ".join(page_texts(read_pdf(data))))
    assert PROPOSAL in text

    # --- And the ODT, to rework it in LibreOffice -----------------------------
    with partner.page.expect_download() as downloading:
        partner.page.locator('[data-editable-link="odt"]').click()
    odt = Path(downloading.value.path())
    assert downloading.value.suggested_filename.endswith(".odt")
    document = Document(str(odt))
    assert PROPOSAL in normalized(document.body.text_recursive)

    # Both downloads are counted on the edition's page.
    secretariat.goto(page.url.split("#")[0])
    assert "2 téléchargements" in page.locator("#share-links").inner_text()

    a11y.assert_clean(minimum_pages=9)
