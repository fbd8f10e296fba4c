"""Helpers shared by the tests of the atelier workspace pages."""

from html.parser import HTMLParser

from ateliers import services
from ateliers.models import Proposal

XSS_PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
)
XSS_TEXT = "Avant\n\n" + "\n\n".join(XSS_PAYLOADS) + "\n\nAprès"


def write_proposal(atelier, author, **fields) -> Proposal:
    """A draft created through the service, so that it has revision 1."""
    data = {
        "title": "Des diagnostics en marchant",
        "summary": "Parcourir les résidences avec les locataires.",
        "description": "Une marche par trimestre.",
        "enjeu": atelier.axis.enjeux.order_by("position").first(),
        "priority": Proposal.Priority.MEDIUM,
        **fields,
    }
    return services.proposal_create(atelier=atelier, author=author, data=data)


def form_data(form) -> dict:
    """What a browser sends back for ``form`` as it was rendered: every field's
    value, lists for multiple choices, nothing for empty values."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, "", []):
            continue
        data[name] = value
    return data


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements = []  # (tag, attrs)
        self.script_texts = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_texts.append(data)


def script_injections(html: str) -> list[str]:
    """What in ``html`` would run a script typed by someone: a <script> with
    an alert, an on* event attribute, a javascript: URL. Empty when safe."""
    parser = _Elements()
    parser.feed(html)
    found = [text for text in parser.script_texts if "alert(" in text]
    for tag, attrs in parser.elements:
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}=…>")
            if (value or "").strip().lower().startswith("javascript:"):
                found.append(f"<{tag} {name}={value}>")
    return found
