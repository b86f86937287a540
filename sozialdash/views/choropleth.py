"""Colouring a map: classes of a value (or of a change) on a polarity ramp, or judgements in their colours."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sozialdash.analysis.classify import Classification
from sozialdash.views import tables
from sozialdash.views.colors import JUDGEMENT_COLOURS, NO_DATA, SECRET_FILL, ramp


@dataclass(frozen=True)
class Colouring:
    fills: pd.Series         # hex colour per row of the area table
    legend: pd.DataFrame     # Farbe, Klasse, Gebiete


def by_class(classes, classification: Classification, polarity: str, decimals: int, unit: str,
             secret) -> Colouring:
    """``classes`` is the class index per area (-1 for suppressed or missing), from ``classify``; ``secret``
    says per area whether the classified value is secret (``tables.secret_cells``), so the two gaps get their
    own colours and legend entries."""
    colours = ramp(classification.k, polarity)
    secret = [bool(s) for s in secret]
    fills = pd.Series([colours[c] if c >= 0 else SECRET_FILL if s else NO_DATA for c, s in zip(classes, secret)])
    hidden = sum(1 for c, s in zip(classes, secret) if c < 0 and s)
    missing = sum(1 for c in classes if c < 0) - hidden
    legend = tables.class_legend(classification.bins, classification.lower, classification.counts, colours,
                                 decimals, unit, hidden, missing)
    return Colouring(fills, legend)


def by_judgement(judgements: pd.Series) -> Colouring:
    fills = judgements.map(JUDGEMENT_COLOURS).fillna(NO_DATA).reset_index(drop=True)
    return Colouring(fills, tables.judgement_legend(judgements, JUDGEMENT_COLOURS))
