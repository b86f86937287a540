"""md(): every data string reaches Streamlit's Markdown as text.

Streamlit 1.67 parses the source (react-markdown, remark-gfm, remark-math, remark-directive) and then looks for
more features in the parsed text nodes, where backslash escapes are already gone. ``hostile.markdown_features``
holds the patterns its bundle (StreamlitMarkdown.js) applies; md()'s output must match none of them.
"""

import pytest
from tests.hostile import HOSTILE, SOURCE_PATTERNS, TEXT_NODE_PATTERNS, markdown_features, shown

from sozialdash.ui.safe import md

SYNTAX = set("\\`*_{}[]<>~$|&#")


def unescaped_syntax(markdown: str) -> list[str]:
    """Characters that open Markdown syntax and are not preceded by a backslash (an escaped backslash counts)."""
    found, chars = [], iter(markdown)
    for char in chars:
        if char == "\\":
            next(chars, None)
        elif char in SYNTAX:
            found.append(char)
    return found


@pytest.mark.parametrize("text", HOSTILE)
def test_nothing_is_lost(text):
    assert shown(md(text)) == " ".join(text.split("\n"))


@pytest.mark.parametrize("text", HOSTILE)
def test_no_syntax_character_is_left_unescaped(text):
    assert unescaped_syntax(md(text)) == []


@pytest.mark.parametrize("text", [*HOSTILE, "Preis $5 und $6", "\\$x$", "mailto:a@b.example", ":+1:"])
def test_no_streamlit_feature_survives(text):
    assert markdown_features(md(text)) == []


def test_the_feature_checks_catch_the_unescaped_strings():
    """The checks above could fail: on the raw strings every pattern finds something."""
    raw = " ".join(HOSTILE)
    assert sorted(markdown_features(raw)) == sorted([*TEXT_NODE_PATTERNS, *SOURCE_PATTERNS])
    assert unescaped_syntax(raw)


@pytest.mark.parametrize(("text", "start"), [
    ("# Titel", "\\#"), ("> Zitat", "\\>"), ("- Liste", "\\-"), ("+ Liste", "\\+"), ("1. Liste", "1\\."),
    ("12) Liste", "12\\)"), ("    eingerückt", "eingerückt"), ("---", "-\u2060-\u2060-"),
])
def test_no_line_starts_a_block(text, start):
    assert md(text).startswith(start)


def test_line_breaks_become_spaces():
    """A break would let the next line start a heading or a list, and two trailing blanks make a hard break."""
    assert md("Zeile  \n# Titel\r\n\r\n- Liste") == "Zeile \\# Titel - Liste"


@pytest.mark.parametrize("text", ["SGB-II-Quote", "Kinderarmut (unter 15-Jährige) 2025: Bewertung", "Mühlenfeld",
                                  "12,3 %", "Übergang aufs Gymnasium", "Stadtteil 1: Mitte", "205.317", "-3,0 %"])
def test_ordinary_names_stay_readable(text):
    assert md(text) == text
