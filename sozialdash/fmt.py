"""German number formatting and the words for gaps, the one place for them: 1.234,5 and 12,3 %.

Three kinds of gap are never confused: a secret cell is ".", an absent value is "keine Daten" and a value that
cannot be judged is "nicht vergleichbar" (in German official statistics a dash means "exactly nothing", so it is
not used for missing data). A value without a confidence interval (a published share, a mean) has one, but its
interval column says "kein Intervall", not "keine Daten".
"""

from __future__ import annotations

import math

SUPPRESSED = "."      # the statistical offices' sign for "secret" (Geheimhaltung)
MISSING = "keine Daten"
NOT_COMPARABLE = "nicht vergleichbar"
NO_INTERVAL = "kein Intervall"
ELLIPSIS = "…"
LABEL_CHARS = 28  # names where space is scarce (map labels, axis categories, legends): longer ones get an ellipsis


def number(value: float | None, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5'. Missing values become 'keine Daten', never 'nan' or a dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def counted(count: int, singular: str, plural: str) -> str:
    """'1 Lücke', '3 Lücken', '1.200 Überlappungen': a count with its noun in the number it needs."""
    return f"{number(count)} {singular if count == 1 else plural}"


def with_unit(value: float | None, decimals: int, unit: str) -> str:
    """'12,3 %', '1.234 Personen'; the unit is dropped for missing values."""
    text = number(value, decimals)
    if text == MISSING or not unit:
        return text
    return f"{text}\u00a0{unit}"


def cell(value: float | None, decimals: int, unit: str = "", suppressed: bool = False, missing: str = MISSING) -> str:
    """A table or tooltip cell: '.' for suppressed values, the value with its unit, or ``missing`` (the
    "keine Daten" wording, with its reason where the caller knows it)."""
    if suppressed:
        return SUPPRESSED
    return with_unit(value, decimals, unit) if number(value) != MISSING else missing


def change(value: float | None, decimals: int, unit: str) -> str:
    """Signed difference: '+1,2 %-Punkte' for shares, '-3,4 %' for relative changes.

    The sign is ASCII because Streamlit's metric reads a leading '-' to point its arrow down; a change that
    rounds to zero is shown as '±0,0' instead of a misleading '+0,0' or '-0,0'.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    rounded = round(value, decimals)
    sign = "+" if rounded > 0 else ("-" if rounded < 0 else "±")
    return f"{sign}{with_unit(abs(rounded), decimals, unit)}"


def share_unit(unit: str) -> str:
    """Differences of percentages are percentage points, not percent."""
    return "%-Punkte" if unit == "%" else unit


def distance(metres: float) -> str:
    """'420 m' to the nearest ten metres, '1,2 km' from a kilometre, '12 km' from ten, '2 km' for a radius
    of whole kilometres: as a map scale says it."""
    if metres < 995:
        return f"{number(round(metres, -1))}\u00a0m"
    whole = metres % 1000 == 0 or metres >= 9_950
    return f"{number(metres / 1000, 0 if whole else 1)}\u00a0km"


def age_range(low: float | None, high: float | None) -> str:
    """'0–6 Jahre', 'ab 60 Jahren', 'alle Altersgruppen': a missing bound is open."""
    low = None if absent(low) else int(low)
    high = None if absent(high) else int(high)
    if low in (None, 0) and high is None:
        return "alle Altersgruppen"
    if high is None:
        return f"ab {low} Jahren"
    if low in (None, 0):
        return f"0–{high} Jahre"
    return f"{low}–{high} Jahre"


def absent(value: object) -> bool:
    """A missing number as databases and pandas hand it over: None, NaN or pandas' NA."""
    try:
        return value is None or bool(value != value)
    except TypeError:
        return True


def day(value) -> str:
    """'15.01.2025'; a missing date is 'keine Daten'."""
    return MISSING if absent(value) else f"{value:%d.%m.%Y}"


def shorten(text: object, max_chars: int = 40) -> str:
    """``text`` cut to ``max_chars`` with an ellipsis where space is scarce (axis labels, map names); the full
    text belongs in the hover text next to it."""
    text = str(text)
    return text if len(text) <= max_chars else text[:max_chars - 1].rstrip() + ELLIPSIS


def area_label(name: object, level_label: object = None, joint: str = " ") -> str:
    """'Nord (Sozialraum)': an area named with its level, because a Sozialraum and a Stadtteil may share a name.
    Shorten the name (``shorten_all``) before, never the label, so the level always stays readable; ``joint``
    goes between name and level (a line break on chart axes)."""
    return f"{name}{joint}({level_label})" if isinstance(level_label, str) and level_label else str(name)


def shorten_all(names, max_chars: int = 40) -> list[str]:
    """Each name cut like ``shorten``; names that would then look alike keep their start and their end instead
    ("Quartier am …Nordteil"), since names that share a start usually differ at the end."""
    names = [str(n) for n in names]
    short = [shorten(n, max_chars) for n in names]
    counts = {s: short.count(s) for s in short}
    head = max_chars // 2
    return [f"{shorten(n, head)}{n[-(max_chars - head):].lstrip()}" if counts[s] > 1 and s != n else s
            for n, s in zip(names, short)]
