"""Names as people type them: one key for "01 Altstadt", "altstadt" and "ALTSTADT", for "Höhe" and "Hoehe",
for "Bahnhofstr." and "Bahnhofstraße", so a city's own spelling joins without a lookup table of its own."""

from __future__ import annotations

import re
import unicodedata

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NUMBERING = re.compile(r"^\s*\d+[\s.)_-]+(?=\D)")


def text(value: object) -> str:
    """A cell as text: None and NaN (pandas' empty cell) are "", everything else stripped."""
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


def slug(*parts: str) -> str:
    """A readable, stable id from words ("Kinderhaus", "Marientreppe 10" -> "kinderhaus-marientreppe-10")."""
    said = " ".join(p for p in parts if p).casefold().translate(_UMLAUTS)
    return re.sub(r"[^0-9a-z]+", "-", said).strip("-")[:60]


def normalised(text: object) -> str:
    """The comparison key of a name: lower case, umlauts spelled out, "str." as "strasse", a numbering prefix
    ("01 ", "3. ") dropped, and everything but letters and digits removed."""
    text = _NUMBERING.sub("", str(text)).casefold().translate(_UMLAUTS)
    text = re.sub(r"str\.", "strasse", unicodedata.normalize("NFKC", text))
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if ch.isalnum())


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
