"""How a German text names many things: the first few and how many more there are, in one wording everywhere
(refusals, link warnings, captions)."""

from __future__ import annotations

from collections.abc import Sequence

FIRST = 5


def culprits(items: Sequence[object], total: int | None = None, separator: str = ", ", limit: int = FIRST) -> str:
    """'a, b, c' or 'a, b, c, d, e (und 41 weitere)': enough to find the problem, short enough to read.

    ``total`` counts all offenders when ``items`` holds only the first few (describing a million bad rows to
    name five would be wasted work)."""
    total = len(items) if total is None else total
    named = [str(item) for item in list(items)[:limit]]
    rest = total - len(named)
    return separator.join(named) + (f" (und {rest} weitere)" if rest > 0 else "")
