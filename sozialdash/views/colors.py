"""Colours, the one place for them: ColorBrewer ramps (colour-blind safe) and the judgement colours.

Value maps darken towards the worse end, so the eye goes first where need is greatest; neutral indicators get
a ramp that implies no judgement. Suppressed and missing areas are grey, a colour no ramp contains.
"""

from __future__ import annotations

from sozialdash.glossary import JUDGEMENT

# ColorBrewer 9-class schemes; k classes are sampled from them evenly.
YL_OR_RD = ["#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"]
YL_GN_BU = ["#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58"]  # without #ffffd9
NO_DATA = "#bdbdbd"
NO_DATA_LABEL = "geheim (.) oder keine Daten"
OUTLINE = "#ffffff"

JUDGEMENT_COLOURS = {
    "worse": "#d7301f",
    "similar": "#fdcc3d",
    "better": "#2b83ba",
    "higher": "#54278f",
    "lower": "#bcbddc",
    "not_comparable": "#f0f0f0",
    "suppressed": NO_DATA,
    "missing": NO_DATA,
}
JUDGEMENT_LEGEND_LABELS = {**JUDGEMENT, "suppressed": "geheim (.)"}


def ramp(k: int, polarity: str) -> list[str]:
    """k colours from light to dark for classes in ascending value order.

    For 'higher_is_better' the list is reversed, so low values (the worse end) are dark.
    """
    if k <= 0:
        return []
    scheme = YL_GN_BU if polarity == "neutral" else YL_OR_RD
    if k == 1:
        picked = [scheme[len(scheme) // 2]]
    else:
        picked = [scheme[round(i * (len(scheme) - 1) / (k - 1))] for i in range(k)]
    return picked[::-1] if polarity == "higher_is_better" else picked


def hex_to_rgba(colour: str, alpha: int = 255) -> list[int]:
    colour = colour.lstrip("#")
    return [int(colour[i:i + 2], 16) for i in (0, 2, 4)] + [alpha]


def text_colour_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (relative luminance)."""
    r, g, b, _ = hex_to_rgba(colour)
    return "#000000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 140 else "#ffffff"
