"""Names as people type them: one key for "01 Altstadt", "altstadt" and "ALTSTADT", for "Höhe" and "Hoehe",
for "Bahnhofstr." and "Bahnhofstraße", so a city's own spelling joins without a lookup table of its own."""

from __future__ import annotations

import re

from sozialdash.analysis.finder import fold

_NUMBERING = re.compile(r"^\d+[a-z]?\s+(?=\D)")
"""A numbering before a folded name ("01 altstadt", "12a nord")."""


def text(value: object) -> str:
    """A cell as text: None and NaN (pandas' empty cell) are "", everything else stripped."""
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


def slug(*parts: str) -> str:
    """A readable, stable id from words ("Kinderhaus", "Marientreppe 10" -> "kinderhaus-marientreppe-10")."""
    return fold(" ".join(p for p in parts if p))[0].replace(" ", "-")[:60]


def _spelled(text: object) -> str:
    """Folded words (``finder.fold``: case, umlauts written out or not, ß, accents, punctuation, underscores),
    the abbreviations of saint and street written out, one space between words."""
    spelled = re.sub(r"\bst\b", "sankt", fold(text)[1])
    return re.sub(r"str\b", "strasse", spelled)


def name_key(text: object) -> str:
    """The comparison key of a name with its numbering: "1 Nord" and "2 Nord" stay apart, "01 Altstadt",
    "01_ALTSTADT" and "01 Altstädt" meet; spaces do not count ("Neu Mühlenholz" is "Neumühlenholz")."""
    return _spelled(text).replace(" ", "")


def normalised(text: object) -> str:
    """The comparison key of a name without a numbering prefix ("01 ", "3. ", "12a "): "Altstadt" finds
    "01 Altstadt", "Bahnhofstr." finds "Bahnhofstraße", "St. Jürgen" finds "Sankt Juergen"."""
    spelled = _spelled(text)
    return (_NUMBERING.sub("", spelled) or spelled).replace(" ", "")


TRUE = frozenset({"x", "ja", "j", "1", "wahr", "true", "yes", "y", "vorhanden"})
FALSE = frozenset({"nein", "n", "0", "falsch", "false", "no"})


class NotABoolean(ValueError):
    """The text says neither yes nor no."""


def boolean(text: object) -> bool | None:
    """Yes or no as lists write it ("X", "ja", "Nein", "1", "wahr", True); None for an empty cell, so an
    unanswered question stays unknown. Raises ``NotABoolean`` for anything else, so "vielleicht" is reported."""
    if isinstance(text, bool):
        return text
    said = "" if text is None or text != text else str(text).strip().casefold()
    if said in ("", "-"):
        return None
    if said in TRUE:
        return True
    if said in FALSE:
        return False
    raise NotABoolean(str(text))
