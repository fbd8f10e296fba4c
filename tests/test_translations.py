"""The French catalog is complete and compiled: users read French, never a
source string in English. (`make messages` extracts and compiles; CI checks the
extraction is up to date.)"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
FRENCH = LOCALE / "fr" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")


@pytest.fixture(scope="module")
def french():
    return polib.pofile(str(FRENCH)) if FRENCH.exists() else None


def test_there_is_a_french_catalog():
    """locale/fr holds the catalog users read."""
    assert FRENCH.exists(), "no French catalog: run `make messages` and translate"


def translations(entry):
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_every_french_entry_is_translated(french):
    """No message is left empty."""
    assert french is not None, "no French catalog"
    untranslated = [entry.msgid for entry in french.untranslated_entries()]

    assert untranslated == []


def test_no_french_entry_is_fuzzy(french):
    """A fuzzy entry is ignored by gettext, so users would see the English."""
    assert french is not None, "no French catalog"
    fuzzy = [entry.msgid for entry in french.fuzzy_entries()]

    assert fuzzy == []


def test_french_translations_keep_their_placeholders(french):
    """A translation uses the same %(name)s / {name} placeholders as its source,
    so interpolation never breaks a page."""
    assert french is not None, "no French catalog"
    broken = []
    for entry in french.translated_entries():
        expected = set(PLACEHOLDER.findall(entry.msgid))
        for text in translations(entry):
            if set(PLACEHOLDER.findall(text)) != expected:
                broken.append((entry.msgid, text))

    assert broken == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_compiled_catalog_matches_its_source(language):
    """The .mo that Django reads holds exactly what the .po says."""
    folder = LOCALE / language / "LC_MESSAGES"
    assert (folder / "django.po").exists(), f"no {language} catalog"
    assert (folder / "django.mo").exists(), f"{language} catalog not compiled"

    source = {
        (e.msgctxt, e.msgid): translations(e)
        for e in polib.pofile(str(folder / "django.po")).translated_entries()
    }
    compiled = {
        (e.msgctxt, e.msgid): translations(e)
        for e in polib.mofile(str(folder / "django.mo"))
        if e.msgid
    }

    assert compiled == source
