"""The live preview of the Markdown fields (static/js/markdown-editor.js).

``POST /apercu-markdown/`` with ``text`` answers the HTML fragment the portal
would show for it: the same renderer and the same sanitiser
(``cucs_portal.markdown``), so the preview cannot promise what the page will
not do. Signed-in people only, with the form's CSRF token; a text past the
longest field's maximum (``texts.DOCUMENT``) is refused (400) with a sentence
that says so, as plain text. Nothing is read from the database but the
session, and nothing is kept: the render skips the cache.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cucs_portal import texts
from cucs_portal.markdown import render_markdown

#: The longest text any Markdown field takes.
MAX_LENGTH = texts.DOCUMENT


@never_cache
@login_required
@require_POST
def markdown_preview(request):
    text = texts.normalise_newlines(request.POST.get("text", ""))
    if len(text) > MAX_LENGTH:
        message = _(
            "The preview stops at %(maximum)s characters: this text is longer. "
            "Shorten it to see its preview."
        ) % {"maximum": number_format(MAX_LENGTH, force_grouping=True)}
        return HttpResponse(
            message, status=400, content_type="text/plain; charset=utf-8"
        )
    return HttpResponse(
        render_markdown(text, cache=False), content_type="text/html; charset=utf-8"
    )
