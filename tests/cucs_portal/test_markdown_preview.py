"""The live preview of the Markdown fields (``POST /apercu-markdown/``,
cucs_portal/previews.py): the portal's own rendering of a text, for signed-in
people, with the form's CSRF token, within the longest field's maximum."""

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from cucs_portal import texts
from cucs_portal.markdown import cache_key, render_markdown
from cucs_portal.previews import MAX_LENGTH
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/apercu-markdown/"


@pytest.fixture
def person(client):
    user = f.UserFactory()
    client.force_login(user)
    return user


def test_the_preview_lives_at_its_french_address():
    assert reverse("markdown_preview") == URL


def test_signed_out_visitors_are_sent_to_the_login_page(client):
    response = client.post(URL, {"text": "**gras**"})

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={URL}"


def test_a_post_without_the_forms_csrf_token_is_refused():
    """A page elsewhere cannot use a signed-in person's session to have texts
    rendered: without the token, 403; with it, the preview."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(f.UserFactory())

    refused = browser.post(URL, {"text": "**gras**"})
    # The token a form of the portal carries (its cookie and its field).
    browser.get(reverse("password_change"))
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(URL, {"text": "**gras**"}, headers={"X-CSRFToken": token})

    assert refused.status_code == 403
    assert accepted.status_code == 200
    assert accepted.content == b"<p><strong>gras</strong></p>\n"


def test_the_preview_is_the_pages_rendering(client, person):
    """The same HTML as the ``markdown`` filter gives the saved text: lists,
    bold, links and the French typography."""
    text = (
        "Les étapes :\n- **repérer** les impayés\n- voir [le site](https://example.org)"
    )

    response = client.post(URL, {"text": text})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert html == render_markdown(text)
    assert "<ul>\n<li><strong>repérer</strong> les impayés</li>" in html
    assert "étapes&nbsp;:" in html


@pytest.mark.parametrize(
    ("typed", "never"),
    [
        ("Avant <script>alert(1)</script> après", "<script"),
        ("Voir <img src=x onerror=alert(1)> ici", "<img"),
        ("[x](javascript:alert(1))", 'href="javascript'),
        ('<a href="https://example.org" onclick="alert(1)">x</a>', "<a "),
        ("<style>body{display:none}</style>", "<style"),
    ],
)
def test_script_and_html_are_stripped(client, person, typed, never):
    """What people type is sanitised by nh3 before it reaches the preview, as
    on the page: no script, no tag typed as HTML, no javascript: link."""
    response = client.post(URL, {"text": typed})

    assert response.status_code == 200
    assert never not in response.content.decode().lower()


def test_a_text_at_the_longest_maximum_is_previewed(client, person):
    """Line breaks count one, as the forms count them (CR LF from a browser)."""
    text = "a\r\n" * (MAX_LENGTH // 2)

    response = client.post(URL, {"text": text})

    assert MAX_LENGTH == texts.DOCUMENT
    assert response.status_code == 200


def test_a_text_past_the_longest_maximum_is_refused_with_a_sentence(client, person):
    response = client.post(URL, {"text": "a" * (MAX_LENGTH + 1)})

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    message = response.content.decode()
    assert "20\u202f000" in message or "20\u00a0000" in message or "20 000" in message
    assert "<" not in message


def test_an_empty_text_previews_as_nothing(client, person):
    response = client.post(URL, {})

    assert response.status_code == 200
    assert response.content == b""


def test_drafts_are_not_kept_in_the_cache(client, person):
    """The preview is asked at every pause in the typing: its renders do not
    fill the cache of the saved texts' HTML."""
    cache = caches["markdown"]
    cache.clear()

    response = client.post(URL, {"text": "Un brouillon **en cours**"})

    assert response.status_code == 200
    assert cache.get(cache_key("Un brouillon **en cours**")) is None


def test_the_preview_reads_the_same_queries_for_any_text(
    client, person, django_assert_num_queries
):
    """The preview reads the session and the person, nothing else, however
    long or rich the text."""
    client.post(URL, {"text": "échauffement"})
    short = "Un mot."
    long = "\n".join(
        f"- **point {n}** [lien](https://example.org/{n})" for n in range(400)
    )

    with django_assert_num_queries(2):
        assert client.post(URL, {"text": short}).status_code == 200
    with django_assert_num_queries(2):
        assert client.post(URL, {"text": long}).status_code == 200
