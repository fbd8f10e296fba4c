"""The only URL fetcher WeasyPrint gets: ``data:`` URLs and regular files under
the roots it is given (our own static files), nothing else.

No ``http(s)``, no ``file://`` outside the roots (``/etc/passwd``), no device or
FIFO (``/dev/urandom`` would never end: WeasyPrint's timeout does not apply to
files), no symbolic link leading out of a root, no redirect. This module imports
no Django: it runs inside the render subprocess (see ``child``).
"""

from __future__ import annotations

import mimetypes
import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

# A stylesheet, font or image of ours is far below this; anything larger is not ours.
MAX_FILE_BYTES = 20 * 1024 * 1024


class RefusedURL(ValueError):
    """The fetcher refused a URL; WeasyPrint logs it and leaves the resource out."""


class StaticOnlyURLFetcher(URLFetcher):
    def __init__(self, roots, **kwargs):
        kwargs.update(allowed_protocols=("data", "file"), allow_redirects=False)
        super().__init__(**kwargs)
        self.roots = [Path(root).resolve() for root in roots]
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            return self.refuse(url, "only data: URLs and our static files are fetched")
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return self.refuse(url, "a file on another host")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            return self.refuse(url, "outside the static files")
        try:
            info = path.stat()
        except OSError:
            return self.refuse(url, "no such file")
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            return self.refuse(url, "not a regular file of a reasonable size")
        mime, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            path.as_uri(),
            path.read_bytes(),
            headers={"Content-Type": mime or "application/octet-stream"},
        )

    def refuse(self, url, reason):
        self.refused.append(url)
        raise RefusedURL(f"Refused {url[:200]}: {reason}")
