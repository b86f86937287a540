import re

import pytest

from sozialdash.ui.safe import md


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


@pytest.mark.parametrize("text", [
    "Einwohner*innen und Schüler*innen", "![Bild](http://example.org/x.png)", "[Link](http://example.org)",
    "<img src=x>", "`code`", ":red[rot] und :material/home:", "# Überschrift", "- Liste", "1. Liste", "$x^2$",
    "a | b", "~~weg~~", "__fett__",
])
def test_markdown_characters_are_escaped_and_nothing_is_lost(text):
    escaped = md(text)
    assert unescape(escaped) == text
    unescaped_openers = re.findall(r"(?<!\\)[*\[<`$|~_]|(?<!\\):(?=\S)", escaped)
    assert unescaped_openers == []


@pytest.mark.parametrize("text", ["SGB-II-Quote", "Kinderarmut (unter 15-Jährige) 2025: Bewertung", "Mühlenfeld"])
def test_ordinary_names_stay_readable(text):
    assert md(text) == text
