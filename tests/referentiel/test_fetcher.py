"""The only URL fetcher WeasyPrint gets (cucs_portal/documents/fetcher.py):
``data:`` URLs and regular files under our static files, nothing else. Tested
with the real WeasyPrint, in this process and through the render subprocess,
against a real HTTP server on the loopback that counts the requests it receives.

Each refusal test has its positive control (the same fetcher serving a file of
the root, the server answering a plain request), so that "nothing was fetched"
cannot hold merely because nothing could have been.
"""

import os
import signal
import threading
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from weasyprint import HTML

from cucs_portal.documents.fetcher import (
    MAX_FILE_BYTES,
    RefusedURL,
    StaticOnlyURLFetcher,
)
from cucs_portal.documents.pdf import render_pdf, static_base
from tests.referentiel.support import normalized, page_texts, read_pdf

PASSWD = Path("/etc/passwd")
# A line every /etc/passwd has; never in a PDF of ours.
PASSWD_LINE = "root:x:0:0"
# A 1×1 PNG.
PIXEL = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9aw"
    "AAAABJRU5ErkJggg=="
)


class LocalServer:
    """An HTTP server on 127.0.0.1 that records every request; /redirect sends
    to file:///etc/passwd."""

    def __init__(self):
        self.requests: list[str] = []
        requests = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                requests.append(self.path)
                if self.path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", PASSWD.as_uri())
                    self.end_headers()
                    return
                body = b"body { color: red }"
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )

    def assert_it_counts_requests(self):
        """Positive control: a plain request does reach the server."""
        before = len(self.requests)
        with urllib.request.urlopen(f"{self.url}/control", timeout=5) as response:
            assert response.status == 200
        assert self.requests[before:] == ["/control"]


@pytest.fixture
def server():
    local = LocalServer()
    local.thread.start()
    yield local
    local.server.shutdown()
    local.server.server_close()


@pytest.fixture
def root(tmp_path):
    """A static root with a stylesheet and a text file, and beside it (outside)
    a secret file; inside, symbolic links to the secret, to /etc/passwd, to
    /dev/urandom and to a file of the root."""
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "ok.css").write_text(
        'body::after { content: "FEUILLE-AUTORISEE"; }', encoding="utf-8"
    )
    (static / "ok.txt").write_text("PIECE-JOINTE-AUTORISEE", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("SECRET-HORS-RACINE", encoding="utf-8")
    (static / "escape.txt").symlink_to(outside / "secret.txt")
    (static / "passwd.txt").symlink_to(PASSWD)
    (static / "random.txt").symlink_to("/dev/urandom")
    (static / "alias.txt").symlink_to(static / "ok.txt")
    return static


@contextmanager
def at_most(seconds):
    """Fails the test instead of hanging when a fetch blocks (a FIFO, a device)."""

    def expired(signum, frame):
        raise TimeoutError(f"the fetch blocked for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def fetched(fetcher, url) -> bytes:
    response = fetcher.fetch(url)
    try:
        return response.read()
    finally:
        response.close()


# --- The fetcher, URL by URL -------------------------------------------------


def test_a_file_of_the_root_is_served_with_its_type(root):
    fetcher = StaticOnlyURLFetcher([root])

    response = fetcher.fetch((root / "css" / "ok.css").as_uri())

    assert response.read() == (root / "css" / "ok.css").read_bytes()
    assert response.content_type == "text/css"
    assert fetcher.refused == []


def test_a_link_to_a_file_of_the_root_is_served(root):
    """A symbolic link that stays inside the root is followed."""
    fetcher = StaticOnlyURLFetcher([root])

    assert fetched(fetcher, (root / "alias.txt").as_uri()) == b"PIECE-JOINTE-AUTORISEE"


def test_a_data_url_is_served():
    fetcher = StaticOnlyURLFetcher([static_base()])

    assert fetched(fetcher, "data:text/plain;base64,Qm9uam91cg==") == b"Bonjour"


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(PASSWD.as_uri(), id="etc-passwd"),
        pytest.param("FILE:///etc/passwd", id="upper-case-scheme"),
        pytest.param("file://localhost/etc/passwd", id="localhost"),
        pytest.param("file://example.org/etc/passwd", id="another-host"),
        pytest.param("file:///dev/urandom", id="dev-urandom"),
        pytest.param("file:///proc/self/environ", id="proc"),
    ],
)
def test_files_outside_the_root_are_refused(root, url):
    fetcher = StaticOnlyURLFetcher([root])

    with at_most(5), pytest.raises(RefusedURL):
        fetcher.fetch(url)

    assert fetcher.refused == [url]


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("css/../../outside/secret.txt", id="dot-dot"),
        pytest.param("css/%2e%2e/%2e%2e/outside/secret.txt", id="encoded-dot-dot"),
        pytest.param("escape.txt", id="link-to-a-file-outside"),
        pytest.param("passwd.txt", id="link-to-etc-passwd"),
        pytest.param("random.txt", id="link-to-dev-urandom"),
        pytest.param("missing.txt", id="missing"),
        pytest.param("css", id="directory"),
    ],
)
def test_paths_that_leave_the_root_or_are_no_file_are_refused(root, name):
    fetcher = StaticOnlyURLFetcher([root])
    url = root.as_uri() + "/" + name

    with at_most(5), pytest.raises(RefusedURL):
        fetcher.fetch(url)

    assert fetcher.refused == [url]


def test_a_fifo_in_the_root_is_refused_without_blocking(root):
    """Opening a FIFO blocks until someone writes: never opened."""
    os.mkfifo(root / "pipe.css")
    fetcher = StaticOnlyURLFetcher([root])

    with at_most(5), pytest.raises(RefusedURL, match="regular file"):
        fetcher.fetch((root / "pipe.css").as_uri())


def test_a_file_larger_than_ours_is_refused(root):
    huge = root / "huge.css"
    with huge.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
    fetcher = StaticOnlyURLFetcher([root])

    with pytest.raises(RefusedURL, match="reasonable size"):
        fetcher.fetch(huge.as_uri())


@pytest.mark.parametrize("path", ["/style.css", "/redirect"])
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_the_network_is_never_reached(root, server, scheme, path):
    """http(s), a redirect included: refused before any connection."""
    fetcher = StaticOnlyURLFetcher([root])
    url = f"{scheme}://127.0.0.1:{server.port}{path}"

    with pytest.raises(RefusedURL, match="only data: URLs"):
        fetcher.fetch(url)

    assert server.requests == []
    server.assert_it_counts_requests()


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "javascript:alert(1)"])
def test_other_schemes_are_refused(root, url):
    with pytest.raises(RefusedURL):
        StaticOnlyURLFetcher([root]).fetch(url)


# --- WeasyPrint with the fetcher ---------------------------------------------


def hostile_html(server, root) -> tuple[str, list[str]]:
    """A page that tries every way out, plus the resources it may use; returns
    the HTML and the URLs that must be refused."""
    refused = [
        f"{server.url}/style.css",
        f"{server.url}/redirect",
        f"{server.url}/background.png",
        PASSWD.as_uri(),
        "file:///dev/urandom",
        root.as_uri() + "/escape.txt",
        root.as_uri() + "/random.txt",
    ]
    html = f"""<!DOCTYPE html>
<html lang="fr">
<head>
  <title>Page hostile</title>
  <link rel="stylesheet" href="css/ok.css">
  <link rel="stylesheet" href="{server.url}/style.css">
  <link rel="stylesheet" href="{server.url}/redirect">
  <link rel="attachment" href="file:///etc/passwd" title="passwd">
  <link rel="attachment" href="escape.txt" title="secret">
  <link rel="attachment" href="ok.txt" title="autorisé">
  <style>p {{ background: url({server.url}/background.png) }}</style>
</head>
<body>
  <h1>Page hostile</h1>
  <p>Bonjour.</p>
  <img src="file:///etc/passwd" alt="">
  <img src="/dev/urandom" alt="">
  <img src="random.txt" alt="">
  <img src="data:image/png;base64,{PIXEL}" alt="" width="10" height="10">
</body>
</html>"""
    return html, refused


def test_weasyprint_gets_only_what_the_fetcher_allows(root, server):
    """In WeasyPrint itself: the stylesheet of the root and the data: image are
    used, the attachment of the root is embedded; /etc/passwd, the file behind
    the link, /dev/urandom and the HTTP server are not touched."""
    html, refused = hostile_html(server, root)
    fetcher = StaticOnlyURLFetcher([root])

    with at_most(60):
        pdf = HTML(
            string=html, base_url=root.as_uri() + "/", url_fetcher=fetcher
        ).write_pdf(pdf_variant="pdf/ua-1")

    reader = read_pdf(pdf)
    text = normalized(" ".join(page_texts(reader)))
    assert "FEUILLE-AUTORISEE" in text  # the stylesheet of the root
    assert len(reader.pages[0].images) == 1  # the data: image
    assert dict(reader.attachments) == {"ok.txt": [b"PIECE-JOINTE-AUTORISEE"]}
    assert set(refused) <= set(fetcher.refused)
    assert not {url for url in fetcher.refused if "ok." in url}
    assert PASSWD_LINE not in text
    assert b"SECRET-HORS-RACINE" not in pdf
    assert server.requests == []
    server.assert_it_counts_requests()


def test_the_default_fetcher_would_have_embedded_etc_passwd(root):
    """Why the fetcher exists (PDF-NOTES): WeasyPrint's own fetcher embeds a
    local file named by <link rel=attachment>. The control for the test above."""
    html = '<link rel="attachment" href="file:///etc/passwd"><p>Bonjour</p>'

    reader = read_pdf(HTML(string=html).write_pdf())

    (content,) = dict(reader.attachments)["passwd"]
    assert PASSWD_LINE.encode() in content


def test_the_render_subprocess_uses_the_fetcher(settings, tmp_path, server):
    """The real pipeline (render_pdf → cucs_portal.documents.child, rooted at our
    static files): our logo is used and, named as an attachment, embedded (it is
    ours); the hostile URLs are refused and reported, /etc/passwd is not embedded, the
    server gets no request, and /dev/urandom does not hang the render."""
    settings.PDF_RENDER_TIMEOUT = 60
    html = f"""<!DOCTYPE html>
<html lang="fr"><head><title>Page hostile</title>
  <link rel="attachment" href="file:///etc/passwd">
  <link rel="attachment" href="img/logo.svg">
  <link rel="stylesheet" href="{server.url}/redirect">
</head><body>
  <p>Bonjour.</p>
  <img src="img/logo.svg" alt="" width="20" height="20">
  <img src="file:///etc/passwd" alt="">
  <img src="/dev/urandom" alt="">
  <img src="{server.url}/image.png" alt="">
</body></html>"""
    output = tmp_path / "hostile.pdf"

    result = render_pdf(html, output)

    assert result.pages == 1
    assert set(result.refused) == {
        PASSWD.as_uri(),
        "file:///dev/urandom",
        f"{server.url}/redirect",
        f"{server.url}/image.png",
    }
    reader = read_pdf(output.read_bytes())
    logo = (static_base() / "img" / "logo.svg").read_bytes()
    assert dict(reader.attachments) == {"logo.svg": [logo]}
    assert PASSWD_LINE not in normalized(reader.pages[0].extract_text())
    assert server.requests == []
    server.assert_it_counts_requests()


def test_fetcher_refusals_do_not_stop_the_render(root):
    """A refused URL leaves the resource out; the rest of the page renders."""
    fetcher = StaticOnlyURLFetcher([root])
    html = '<img src="file:///etc/passwd"><p>Texte après une image refusée</p>'

    pdf = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=fetcher)
    text = read_pdf(pdf.write_pdf()).pages[0].extract_text()

    assert "Texte après une image refusée" in normalized(text)
    assert fetcher.refused == [PASSWD.as_uri()]
