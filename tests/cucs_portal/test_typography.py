"""« Note : voir ici ! »: French typography on the texts people type, applied
where stored text becomes HTML (cucs_portal/typography.py, the Markdown
renderer and the ``typo`` filter)."""

import re

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from cucs_portal.markdown import render_markdown
from cucs_portal.typography import french

NBSP, NNBSP = "\u00a0", "\u202f"


def shown(html: str) -> str:
    """The HTML with nh3's ``&nbsp;`` read back as the character it stands for."""
    return html.replace("&nbsp;", NBSP)


# --- ; ! ? ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Pourquoi ?", f"Pourquoi{NNBSP}?"),
        ("Pourquoi?", f"Pourquoi{NNBSP}?"),
        (f"Pourquoi{NBSP}?", f"Pourquoi{NNBSP}?"),
        ("Pourquoi   ?", f"Pourquoi{NNBSP}?"),
        ("un point ; un autre", f"un point{NNBSP}; un autre"),
        ("un point; un autre", f"un point{NNBSP}; un autre"),
        ("Enfin !", f"Enfin{NNBSP}!"),
        ("Enfin!", f"Enfin{NNBSP}!"),
        ("« Vraiment »?", f"«{NBSP}Vraiment{NBSP}»{NNBSP}?"),
        ("(voir plus bas)!", f"(voir plus bas){NNBSP}!"),
        ("le 3?", f"le 3{NNBSP}?"),
    ],
)
def test_a_narrow_no_break_space_comes_before_semicolon_exclamation_and_question(
    typed, expected
):
    """; ! ? follow a narrow no-break space, typed (any space) or not."""
    assert french(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Quoi?!", f"Quoi{NNBSP}?!"),
        ("Quoi ?!", f"Quoi{NNBSP}?!"),
        ("Non!!!", f"Non{NNBSP}!!!"),
    ],
)
def test_a_run_of_marks_gets_one_space_before_it(typed, expected):
    """?! and !!! get one space, before the run, none inside it."""
    assert french(typed) == expected


@pytest.mark.parametrize("typed", ["!", "? non", ";"])
def test_nothing_is_put_before_a_mark_at_the_start(typed):
    """A text starting with ; ! ? gets no space before it."""
    assert french(typed) == typed
    assert french(typed, before=" ") == typed


def test_the_character_before_says_whether_a_mark_follows_a_word():
    """The character before the text (a bold word's last letter) counts as
    context, and is not returned."""
    assert french("!", before="t") == f"{NNBSP}!"
    assert french(" !", before="t") == f"{NNBSP}!"
    assert french("!", before="") == "!"


# --- : --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Note : voir", f"Note{NBSP}: voir"),
        (f"Note{NNBSP}: voir", f"Note{NBSP}: voir"),
        ("Note: voir", f"Note{NBSP}: voir"),
        ("Objectifs:", f"Objectifs{NBSP}:"),
        ("« Titre »: texte", f"«{NBSP}Titre{NBSP}»{NBSP}: texte"),
        ("(a): b", f"(a){NBSP}: b"),
    ],
)
def test_a_no_break_space_comes_before_a_colon(typed, expected):
    """A colon follows a no-break space: the typed one, or one put after a
    letter or a closing guillemet or bracket when a space or the end follows."""
    assert french(typed) == expected


@pytest.mark.parametrize(
    "typed", ["à 10:30", "un ratio de 1:2", "clé:valeur", "Article 3: voir"]
)
def test_a_colon_between_digits_or_inside_a_word_is_left_alone(typed):
    """10:30, 1:2 and key:value stay as typed (no space is put in)."""
    assert french(typed) == typed


# --- Guillemets and straight quotes ---------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("« ici »", f"«{NBSP}ici{NBSP}»"),
        ("«ici»", f"«{NBSP}ici{NBSP}»"),
        (f"«{NNBSP}ici  »", f"«{NBSP}ici{NBSP}»"),
        ("dit « oui » et « non »", f"dit «{NBSP}oui{NBSP}» et «{NBSP}non{NBSP}»"),
    ],
)
def test_guillemets_hold_their_words_with_no_break_spaces(typed, expected):
    """« is followed and » preceded by a no-break space, typed or not."""
    assert french(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ('Il dit "oui".', f"Il dit «{NBSP}oui{NBSP}»."),
        ('"Bien vieillir" chez soi', f"«{NBSP}Bien vieillir{NBSP}» chez soi"),
        ('(voir "ici")', f"(voir «{NBSP}ici{NBSP}»)"),
        ('un "a" et un "b"', f"un «{NBSP}a{NBSP}» et un «{NBSP}b{NBSP}»"),
    ],
)
def test_a_pair_of_straight_quotes_becomes_guillemets(typed, expected):
    """ "…" opened after a space, the start or ( and closed before a non-word
    character reads « … »."""
    assert french(typed) == expected


@pytest.mark.parametrize("typed", ['12" de large', 'un " seul', 'x"y"z'])
def test_an_unmatched_straight_quote_stays(typed):
    """A " without its pair (inches, a stray one) is left as typed."""
    assert french(typed) == typed


def test_angle_brackets_typed_for_guillemets_are_left_alone():
    """<< >> are not guillemets here: they are escaped where they are shown."""
    assert french("<<Bien vieillir>>") == "<<Bien vieillir>>"


# --- Numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("30 000 habitants", f"30{NNBSP}000 habitants"),
        ("1 250 000", f"1{NNBSP}250{NNBSP}000"),
        (f"1{NBSP}250{NBSP}000", f"1{NNBSP}250{NNBSP}000"),
        (f"1{NNBSP}250", f"1{NNBSP}250"),
        ("10 500,50", f"10{NNBSP}500,50"),
    ],
)
def test_the_thousands_of_a_grouped_number_are_narrow_no_break_spaces(typed, expected):
    """The separators of a number already grouped by threes become narrow
    no-break spaces."""
    assert french(typed) == expected


@pytest.mark.parametrize(
    "typed", ["30000 habitants", "de 2006 2007", "en 2007 120 personnes", "12 34"]
)
def test_numbers_are_not_regrouped_nor_joined(typed):
    """An ungrouped number stays ungrouped, and years or numbers side by side
    are not joined (a group of four digits never starts a grouped number)."""
    assert french(typed) == typed


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("30 000 €", f"30{NNBSP}000{NBSP}€"),
        ("30000€", f"30000{NBSP}€"),
        ("12 %", f"12{NBSP}%"),
        ("12%", f"12{NBSP}%"),
        ("10 500,50 €", f"10{NNBSP}500,50{NBSP}€"),
    ],
)
def test_a_no_break_space_joins_a_number_to_euro_and_percent(typed, expected):
    """A no-break space, typed or not, comes between a number and € or %."""
    assert french(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("30 000 € par an", f"30{NNBSP}000{NBSP}€{NBSP}par{NBSP}an"),
        ("50 € par mois", f"50{NBSP}€{NBSP}par{NBSP}mois"),
        ("3 % par logement social", f"3{NBSP}%{NBSP}par{NBSP}logement social"),
        ("50 € / mois", f"50{NBSP}€{NBSP}/{NBSP}mois"),
        ("50 €/an", f"50{NBSP}€/an"),
        ("50 € parfois", f"50{NBSP}€ parfois"),
    ],
)
def test_an_amount_per_unit_stays_on_one_line(typed, expected):
    """€ or % followed by "par" (or /) and one word are joined by no-break
    spaces."""
    assert french(typed) == expected


# --- Apostrophes and ellipsis -----------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("l'entretien", "l’entretien"),
        ("aujourd'hui", "aujourd’hui"),
        ("qu'", "qu’"),
        ("'bonjour'", "‘bonjour’"),
        ("le mot 'ici'", "le mot ‘ici’"),
        ("les années 80'", "les années 80’"),
        ("l’été", "l’été"),
    ],
)
def test_apostrophes_are_curly(typed, expected):
    """' after a letter is ’; one opening a word after a space or the start is
    ‘; any other is ’."""
    assert french(typed) == expected


def test_the_character_before_says_whether_an_apostrophe_opens_a_word():
    """After a letter (the end of a bold word) ' is an apostrophe."""
    assert french("'s", before="x") == "’s"
    assert french("'s", before=" ") == "‘s"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("Attendez...", "Attendez…"), ("et... puis", "et… puis"), ("....", "....")],
)
def test_three_dots_are_an_ellipsis(typed, expected):
    """... is …; other runs of dots stay."""
    assert french(typed) == expected


# --- Addresses --------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "https://exemple.fr/a?b=1:2",
        "http://exemple.fr/l'été?x=1;y=2",
        "www.x.fr",
        "www.x.fr/page?id=10:30",
        "a@b.fr",
        "jean.dupont@ville-marseille.fr",
        "mailto:a@b.fr?subject=Oui !",
    ],
)
def test_addresses_are_left_exactly_as_typed(address):
    """A web or e-mail address in the text is not touched by any rule."""
    head = address.split(" ")[0]

    assert head in french(f"Voir {address} pour l'accès.")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Voir https://x.fr/a?b=1:2 !", f"Voir https://x.fr/a?b=1:2{NNBSP}!"),
        ("Voir https://x.fr/a.", "Voir https://x.fr/a."),
        ("(www.x.fr)?", f"(www.x.fr){NNBSP}?"),
        ("Écrire à a@b.fr; merci", f"Écrire à a@b.fr{NNBSP}; merci"),
        ("Site: https://x.fr", f"Site{NBSP}: https://x.fr"),
    ],
)
def test_the_punctuation_after_an_address_is_the_sentence_s(typed, expected):
    """A mark that ends the sentence after an address gets its space; the
    address keeps what belongs to it."""
    assert french(typed) == expected


# --- Idempotence and linear time ---------------------------------------------------

_PIECES = st.sampled_from(
    [
        *"aé1 0;:!?«»\"'’.€%()/@\n",
        *(NBSP, NNBSP, "\t", "\ue000", "https://", "www.", "x.fr", "@b.fr"),
        *(" par ", "000", "2007", "..."),
    ]
)
_TEXTS = st.lists(_PIECES, max_size=30).map("".join)
_BEFORE = st.sampled_from(["", " ", "a", "1", "»", "(", ";"])
_SPACES = re.compile(r"[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_PLAIN = str.maketrans({"‘": "'", "’": "'", "«": '"', "»": '"'})


def normalised(text: str) -> str:
    """The text with no spaces (line breaks stay), straight quotes and
    apostrophes, and ... for …."""
    return _SPACES.sub("", text).replace("…", "...").translate(_PLAIN)


@given(_TEXTS, _BEFORE)
def test_typography_applied_twice_is_typography_applied_once(text, before):
    """french(french(x)) == french(x), whatever the text and the context."""
    once = french(text, before)

    assert french(once, before) == once


@given(_TEXTS, _BEFORE)
def test_only_spaces_quotes_apostrophes_and_dots_change(text, before):
    """With spaces, quotes, apostrophes and ellipses normalised, the text is
    what was typed: no word, digit or line break is changed."""
    assert normalised(french(text, before)) == normalised(text)


@pytest.mark.parametrize(
    ("hostile", "start", "end"),
    [
        ("« " * 100_000, f"«{NBSP}«{NBSP}", f"«{NBSP}"),
        (" :" * 100_000, f" :{NBSP}:", f"{NBSP}:"),
        ("a" + " " * 200_000 + "»", f"a{NBSP}»", f"a{NBSP}»"),
        ('"a ' * 70_000, '"a "a', '"a '),
        ("https://a" + ")" * 200_000, "https://a)", ")"),
        ("a@" * 100_000, "a@a@", "a@"),
        ("1 000" * 40_000, "1 0001 000", "1 000"),
        ("'" * 200_000, "’’", "’"),
    ],
)
def test_a_long_hostile_text_is_done_and_right_at_its_edges(hostile, start, end):
    """200,000 characters built to make a regular expression backtrack are
    typeset (in linear time: the test would not finish otherwise), and the
    start and the end are right."""
    typeset = french(hostile)

    assert typeset.startswith(start)
    assert typeset.endswith(end)


# --- Where it is applied ------------------------------------------------------------


def test_markdown_text_gets_french_typography():
    """Rendered Markdown has the spaces of French typography."""
    html = shown(render_markdown("Note : voir « ici » !"))

    assert html == f"<p>Note{NBSP}: voir «{NBSP}ici{NBSP}»{NNBSP}!</p>\n"


def test_nh3_writes_the_no_break_space_as_an_entity():
    """U+00A0 reaches the page as &nbsp;, U+202F as the character: both are
    no-break spaces in the browser."""
    html = render_markdown("Note : 30 000 €")

    assert html == f"<p>Note&nbsp;: 30{NNBSP}000&nbsp;€</p>\n"


def test_a_mark_after_a_bold_word_follows_a_space():
    """The character before a text token is the end of the bold word."""
    html = shown(render_markdown("**Note**: voir *ici*!"))

    assert f"<strong>Note</strong>{NBSP}: voir <em>ici</em>{NNBSP}!" in html


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Écrire `a ; b` ici", "<code>a ; b</code>"),
        ("```\nx = {'a': 1} ; y ?\n```", "<code>x = {'a': 1} ; y ?\n</code>"),
        ("    indenté ; code 'ici'", "<code>indenté ; code 'ici'\n</code>"),
        ("Voir <https://x.fr/a?b=1:2>", ">https://x.fr/a?b=1:2</a>"),
        ("Voir <a@b.fr>", ">a@b.fr</a>"),
        ("Voir https://x.fr/a?b=1:2 ici", "https://x.fr/a?b=1:2 ici"),
        ("[l'accès](https://x.fr/a?b=1:2)", 'href="https://x.fr/a?b=1:2"'),
    ],
)
def test_markdown_code_and_addresses_are_left_as_typed(typed, kept):
    """Inline code, code blocks, an autolink's text and a link's address keep
    exactly what was typed."""
    html = render_markdown(typed)

    assert kept in html


def test_a_link_s_words_get_typography_but_not_its_address():
    """The words of a link are text people wrote; its address is not."""
    html = render_markdown("[l'accès](https://x.fr/l'a?b=1:2)")

    assert ">l’accès</a>" in html
    assert 'href="https://x.fr/l\'a?b=1:2"' in html


def render_typo(value) -> str:
    return Template("{% load portal %}{{ value|typo }}").render(
        Context({"value": value})
    )


def test_the_typo_filter_typesets_and_still_escapes():
    """{{ value|typo }} is French typography on a plain text, escaped."""
    assert render_typo("<b>l'été</b>") == "&lt;b&gt;l’été&lt;/b&gt;"
    assert render_typo("Pourquoi ?") == f"Pourquoi{NNBSP}?"


@pytest.mark.parametrize("value", [None, ""])
def test_the_typo_filter_shows_nothing_for_nothing(value):
    """An empty value renders as an empty string."""
    assert render_typo(value) == ""


def test_the_typo_filter_reads_a_number():
    """A value that is not a string is shown as str() shows it."""
    assert render_typo(30) == "30"


@pytest.mark.parametrize(
    "text",
    [
        "saint-etienne-metropole.fr/agenda?annee=2026",
        "la page agenda.html?mois=5;jour=10",
    ],
)
def test_a_mark_inside_an_address_without_its_scheme_is_left_alone(text):
    """A ? or ; followed by more of the word is not the end of a sentence."""
    assert french(text) == text


def test_typo_leaves_html_it_is_given_alone():
    """``join`` escapes its items and returns HTML: |typo does not typeset the
    entities (« l&#x27;habitat » would become « l&#x27 ;habitat »)."""
    from django.template import Context, Template

    rendered = Template('{% load portal %}{{ names|join:", "|typo }}').render(
        Context({"names": ["Office public de l'habitat", "Loire & Co"]})
    )
    assert rendered == "Office public de l&#x27;habitat, Loire &amp; Co"
