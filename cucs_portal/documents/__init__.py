"""The portal's documents: HTML made into PDF by WeasyPrint in a process of its
own, capped in time and memory, fetching nothing but our static files.

- ``pdf``: ``render_pdf`` (the parent side: the child's environment, its caps,
  its stages, the errors the secretariat reads) and ``static_base``;
- ``child``: the WeasyPrint process (``python -m cucs_portal.documents.child``);
- ``fetcher``: the only URL fetcher WeasyPrint gets;
- ``worker``: what a background task rendering a PDF does whatever its
  document: its lease on the row (stage and heartbeat), the render into a
  temporary file and its fingerprint.

The apps bring their own HTML, stylesheet and model (the référentiel's
``Rendition``, the seminar's attendance list, a territory's programming). This
package imports no app of the portal, and this ``__init__`` imports nothing:
the child process imports the fetcher without Django.
"""
