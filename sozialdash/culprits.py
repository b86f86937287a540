"""How a German message names what went wrong: the first few offenders and how many more there are."""

from __future__ import annotations

from collections.abc import Iterable


def culprits(items: Iterable[object], first: int = 5) -> str:
    """'a, b, c' or 'a, b, c, d, e (und 41 weitere)': enough to find the problem, short enough to read."""
    items = [str(item) for item in items]
    named = ", ".join(items[:first])
    return f"{named} (und {len(items) - first} weitere)" if len(items) > first else named
