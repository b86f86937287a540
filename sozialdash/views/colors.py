"""Colours, the one place for them: ColorBrewer ramps (colour-blind safe) and the judgement colours.

Value maps darken towards the worse end, so the eye goes first where need is greatest; neutral indicators get
a ramp that implies no judgement. Gaps are neutral greys no ramp contains, one per kind, so the map tells them
apart as the words do: "geheim (.)" mid grey, "keine Daten" light grey and, on a judgement map, "nicht
vergleichbar" (a value without an interval) almost white. The three greys differ in lightness only (about 10 and
20 CIELAB units), which colour-blind eyes read as well as anyone.
"""

from __future__ import annotations

from sozialdash.glossary import JUDGEMENT, SECRET_LABEL

# ColorBrewer 9-class schemes; k classes are sampled from them evenly.
YL_OR_RD = ["#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"]
YL_GN_BU = ["#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58"]  # without #ffffd9
NO_DATA = "#d0d0d0"       # keine Daten
SECRET_FILL = "#969696"        # geheim (.)
NOT_COMPARABLE = "#f0f0f0"
OUTLINE = "#ffffff"       # between the areas of a map
BACKGROUND = "#ffffff"

# Lines, text and marks on charts and maps: near-black reads best on a projector.
TEXT = "#222222"
CITY_LINE = "#333333"     # the whole city's value, dashed
PARENT_OUTLINE = "#282828"  # the areas of the level above, drawn over the map
GRID = "#e5e5e5"
MARK_EDGE = "#555555"     # around bars and legend squares
RANGE_FULL = "#e3e3e3"    # spine chart: all areas of the level
RANGE_MIDDLE = "#b5b5b5"  # spine chart: the middle half
# Dark2 (ColorBrewer, colour-blind safe) for lines of areas; its magenta marks the chosen areas everywhere and
# its orange the chosen points of a scatter, named so that captions can say which colour means what.
SERIES_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]
CHOSEN, CHOSEN_WORD = "#e7298a", "magenta"
CHOSEN_POINT, CHOSEN_POINT_WORD = "#d95f02", "Orange"
POINT = "#2b83ba"

# Need against supply (analysis.supply.QUADRANTS), from ColorBrewer's RdBu (colour-blind safe): the dark red where
# need is high and supply low draws the eye first, high need with good supply is a light red, low need a blue.
QUADRANT_COLOURS = {
    "high_need_low_supply": "#b2182b",
    "high_need_high_supply": "#f4a582",
    "low_need_low_supply": "#92c5de",
    "low_need_high_supply": "#2166ac",
}

# Institutions on a map: Okabe–Ito (colour-blind safe; its black is left out, the chosen point's ring is dark),
# strongest first, since the most frequent categories get the first colours. More categories than colours share
# one grey under one legend entry: an eighth hue would no longer be told apart.
OKABE_ITO = ["#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#f0e442"]
OTHER_CATEGORIES, OTHER_CATEGORIES_LABEL = "#8c8c8c", "Weitere Kategorien"
POINT_EDGE = "#ffffff"       # around each dot, so it reads over any fill
PLAIN_AREA = "#e4e4e4"       # areas under points when the map shows no indicator
SEARCH_CIRCLE = "#333333"    # the radius search: its outline, and a faint fill of the same colour
OFFER_POINT = "#222222"      # the offers over the need-against-supply map, whose areas carry the colours
CELL = "#3d5a80"             # institutions counted per cell, when there are too many to draw one by one

JUDGEMENT_COLOURS = {
    "worse": "#d7301f",
    "similar": "#fdcc3d",
    "better": "#2b83ba",
    "higher": "#54278f",
    "lower": "#bcbddc",
    "not_comparable": NOT_COMPARABLE,
    "suppressed": SECRET_FILL,
    "missing": NO_DATA,
}
JUDGEMENT_LEGEND_LABELS = {**JUDGEMENT, "suppressed": SECRET_LABEL}


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


def category_colours(categories) -> dict[str, str]:
    """Each of ``categories`` (most frequent first) to its colour: the first distinct ones to Okabe–Ito's colours
    in turn, every further one to the shared grey (``category_legend`` names it)."""
    distinct = list(dict.fromkeys(categories))
    return {category: OKABE_ITO[i] if i < len(OKABE_ITO) else OTHER_CATEGORIES for i, category in enumerate(distinct)}


def category_legend(categories) -> list[tuple[str, str]]:
    """(label, colour) for the legend of ``category_colours``: its own colours, then one entry for the pooled
    rest when there is one."""
    colours = category_colours(categories)
    legend = [(category, colour) for category, colour in colours.items() if colour != OTHER_CATEGORIES]
    return legend + [(OTHER_CATEGORIES_LABEL, OTHER_CATEGORIES)] if len(legend) < len(colours) else legend


# The Sozialindex map, status × dynamics, designed in CIELCh so that no cell turns into a muddy mix: the status
# class sets the lightness (L* 95, 80, 64, 48: hoch is lightest) on a warm hue that runs from light yellow to red;
# a stable dynamics is that colour, a positive one a paler tint of it (L* + 9, less chroma), a negative one the same
# class in purple, 12 L* darker. So "1+" is the lightest cell and "4-" the strongest, the negative column stands
# out, and with red-green colour blindness the warm columns read yellow to olive, the negative one blue (checked
# with Machado et al.'s simulation); the 4 × 3 matrix beside the map is painted in the same colours and is its
# legend, each count in colors.text_colour_on.
INDEX_COLOURS = {
    (1, "+"): "#fff5d9", (1, "+/-"): "#ffeebb", (1, "-"): "#edc0f4",
    (2, "+"): "#ffd8b4", (2, "+/-"): "#faba78", (2, "-"): "#cf8fd9",
    (3, "+"): "#e8a385", (3, "+/-"): "#ed7c47", (3, "-"): "#ac5cbc",
    (4, "+"): "#ce6d64", (4, "+/-"): "#dc2532", (4, "-"): "#89239f",
}
