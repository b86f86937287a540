"""Why an area has no value: the one rule for tooltips, tables, downloads, the Übersicht and the Karte caption.

"keine Daten" alone leaves a planner guessing whether the data are late, lost or impossible. The build knows
which it is: an indicator that aggregates leaves a parent empty exactly when a child has no value (a partial sum
would look like a real total, see ``aggregate``), and a published value (aggregation "none") can never be derived
from sub-areas, so a parent the source did not publish stays empty for good.
"""

from __future__ import annotations

PUBLISHED_ONLY = "published_only"
CHILDREN_MISSING = "children_missing"
NOT_DELIVERED = "not_delivered"


def why_missing(aggregation: str | None, has_children: bool) -> str:
    """The reason code (``glossary.MISSING_REASON``) for an absent, not suppressed, value of an area.

    ``aggregation`` is the indicator's ("sum", "ratio_of_sums" or "none"); ``has_children`` whether the area has
    areas below it. A finest-level area only has what the source delivered.
    """
    if not has_children:
        return NOT_DELIVERED
    return PUBLISHED_ONLY if aggregation == "none" else CHILDREN_MISSING
