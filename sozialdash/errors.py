"""The user-facing build error, in a module of its own so geometry and build can both raise it."""

from __future__ import annotations

from collections.abc import Iterable

from sozialdash import fmt

SHOWN_CULPRITS = 5


class DatasetError(ValueError):
    """The data cannot be built into a store; the message is German and meant for the user."""


def culprits(names: Iterable[str], singular: str = "Gebiet", plural: str = "Gebiete") -> str:
    """'A, B, C, D, E … (12 Gebiete)': the first few offenders and how many there are in all."""
    names = list(names)
    shown = ", ".join(names[:SHOWN_CULPRITS]) + (f" {fmt.ELLIPSIS}" if len(names) > SHOWN_CULPRITS else "")
    return f"{shown} ({fmt.number(len(names))} {singular if len(names) == 1 else plural})"
