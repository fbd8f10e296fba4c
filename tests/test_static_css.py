"""Our stylesheets are well formed: a brace lost in a merge silently drops
every rule after it (the browser reads the rest as one broken block)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

STYLESHEETS = sorted((Path(settings.BASE_DIR) / "static" / "css").glob("*.css"))
COMMENT = re.compile(r"/\*.*?\*/", re.S)
STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda path: path.name)
def test_every_block_is_closed_where_it_opens(path):
    text = STRING.sub('""', COMMENT.sub("", path.read_text(encoding="utf-8")))
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        for char in line:
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0, f"{path.name}:{number}: a brace closes nothing"
        # A rule never holds another rule's selector: only @media and
        # friends nest, so a depth above 2 is a lost brace.
        assert depth <= 2, f"{path.name}:{number}: a block is not closed"
    assert depth == 0, f"{path.name}: a block is not closed"
    assert "<<<<<<<" not in text and ">>>>>>>" not in text
