"""What a person reads in a page's choices: the labels of a drop-down's options
or of a group of checkboxes, in the order the page shows them."""

from html.parser import HTMLParser


class _Choices(HTMLParser):
    def __init__(self, name):
        super().__init__()
        self.name = name
        self.options = []  # (value, label) of <select name=…>
        self.input_ids = []  # ids of <input name=…>, in order
        self.labels = {}  # for → text
        self._select = False
        self._option = None
        self._label_for = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select" and attrs.get("name") == self.name:
            self._select = True
        elif tag == "option" and self._select:
            self._option = [attrs.get("value", ""), ""]
        elif tag == "input" and attrs.get("name") == self.name and attrs.get("id"):
            self.input_ids.append(attrs["id"])
        elif tag == "label" and attrs.get("for"):
            self._label_for = attrs["for"]
            self.labels.setdefault(self._label_for, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = False
        elif tag == "option" and self._option is not None:
            self.options.append((self._option[0], self._option[1].strip()))
            self._option = None
        elif tag == "label":
            self._label_for = None

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data
        if self._label_for:
            self.labels[self._label_for] += data


def choice_labels(html: str, name: str) -> list[str]:
    """The labels of field ``name``'s choices in ``html``: a drop-down's
    options (the empty one left out) or its checkboxes' labels."""
    parser = _Choices(name)
    parser.feed(html)
    if parser.options:
        return [label for value, label in parser.options if value]
    return [" ".join(parser.labels[i].split()) for i in parser.input_ids]


# The examples, in French order: a byte order puts « Épicéa » and
# « Érable » after « Verveine », « Cèdre » after « Cyprès » and « Houx » before
# « Hêtre ».
FRENCH_ORDER = ["Cèdre", "Cyprès", "Épicéa", "Érable", "Hêtre", "Houx", "Verveine"]
# The same, shuffled the same way every time: what the database is given.
SHUFFLED = ["Houx", "Verveine", "Érable", "Cèdre", "Hêtre", "Épicéa", "Cyprès"]


def in_page_order(labels: list[str], wanted: list[str]) -> list[str]:
    """Those of ``wanted`` found in ``labels``, in the page's order."""
    return [label for label in labels if label in wanted]
