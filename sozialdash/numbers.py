"""Numbers as German statistics offices write them: "1.234,5", "12,3 %", "1 675", "−0,4", "±0,0", and the
markers they use for a missing or a secret value.

One reader for every file a city hands over, so "1.234" means one thousand two hundred and thirty-four in every
import. A point alone is a thousands separator only where it groups digits in threes ("1.234", "12.345.678");
otherwise it is a decimal point ("12.5", as software exports write it). Where a column never groups
(coordinates: "54.792" is a latitude), ``grouping=False`` reads every lone point as a decimal point.
"""

from __future__ import annotations

import re

MISSING = frozenset({"", ".", "-", "–", "—", "x", "X", "/", "k. A.", "k.A.", "nan", "NaN"})
"""What cells without a value say in German tables (a file's own markers can be named on top)."""
SECRET = frozenset({"*", "geheim", "(.)"})
"""What a secret cell says; a file's own markers can be named on top."""

_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class NotANumber(ValueError):
    """The text is neither a number nor a known marker."""


def german_number(text: object, missing: frozenset[str] = MISSING, secret: frozenset[str] = SECRET,
                  grouping: bool = True) -> float | None:
    """The number ``text`` says, or None for a missing or secret marker (tell them apart with ``is_secret``).
    Raises ``NotANumber`` for anything else, so a typo is reported, never read as a gap."""
    if text is None or (isinstance(text, float) and text != text):
        return None
    if isinstance(text, int | float):
        return float(text)
    cleaned = str(text).strip()
    if cleaned in missing or cleaned in secret:
        return None
    cleaned = (cleaned.replace("\u2212", "-").removeprefix("±").replace("\u2009", "").replace("\u202f", "").replace("\xa0", "")
               .replace(" ", "").removesuffix("%").removesuffix("‰"))
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif grouping and _GROUPED.match(cleaned):
        cleaned = cleaned.replace(".", "")
    if not _NUMBER.match(cleaned):
        raise NotANumber(str(text))
    return float(cleaned)


def is_secret(text: object, secret: frozenset[str] = SECRET) -> bool:
    return isinstance(text, str) and text.strip() in secret
