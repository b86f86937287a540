"""Tables, tooltips, legends and CSV files built from one area table; every cell formatted the German way.

All of them take the output of ``analysis.area_table`` (or the same columns), in which suppressed cells are
already NULL: there is nothing here that could leak a suppressed number.
"""

from __future__ import annotations

import io

import pandas as pd

from sozialdash import fmt
from sozialdash.analysis.change import change_decimals, change_unit
from sozialdash.glossary import SUPPRESSION, judgement_text
from sozialdash.views.colors import JUDGEMENT_LEGEND_LABELS, NO_DATA, NO_DATA_LABEL

COMPARATOR_WORDS = {"judgement_city": "ggü. Gesamtstadt", "judgement_parent": "ggü. übergeordnetem Gebiet"}


def _trend_hidden(table: pd.DataFrame) -> pd.Series:
    """A change is secret when either of its two years is."""
    return table["suppression"].notna() | table["first_suppression"].notna()


def interval_text(low: float, high: float, decimals: int) -> str:
    if pd.isna(low) or pd.isna(high):
        return fmt.MISSING
    return f"{fmt.number(low, decimals)} – {fmt.number(high, decimals)}"


def display_table(table: pd.DataFrame, ind: pd.Series, first_year: int,
                  comparator: str = "judgement_city") -> pd.DataFrame:
    """The table beside the map: what a planner reads, in the order of the map's ranking; the judgement is the
    one the map shows (against the city or against the parent area)."""
    d, unit = int(ind["decimals"]), ind["unit"]
    hidden = table["suppression"].notna()
    cd, cu = change_decimals(ind["value_type"], d), change_unit(ind["value_type"], unit)
    return pd.DataFrame({
        "Rang": [fmt.number(r) if pd.notna(r) else fmt.SUPPRESSED if h else fmt.MISSING
                 for r, h in zip(table["rank"], hidden)],
        "Gebiet": table["name"],
        "Wert": [fmt.cell(v, d, unit, h) for v, h in zip(table["value"], hidden)],
        "KI 95 %": [fmt.SUPPRESSED if h else interval_text(lo, hi, d)
                                   for lo, hi, h in zip(table["ci_low"], table["ci_high"], hidden)],
        "Bewertung": [judgement_text(j) for j in table[comparator]],
        f"seit {first_year}": [fmt.SUPPRESSED if h else fmt.change(t, cd, cu)
                                     for t, h in zip(table["trend"], _trend_hidden(table))],
    })


def tooltips(table: pd.DataFrame, ind: pd.Series, city_value: float | None, level_count: int, first_year: int,
             comparator: str = "judgement_city") -> pd.Series:
    """Plain-text hover per area: name, value with unit, numerator/denominator, rank, difference to the city,
    change since ``first_year`` and the judgement the map shows."""
    d, unit = int(ind["decimals"]), ind["unit"]
    cd, cu = change_decimals(ind["value_type"], d), change_unit(ind["value_type"], unit)
    texts = []
    for row, trend_hidden in zip(table.itertuples(), _trend_hidden(table)):
        if pd.notna(row.suppression):
            texts.append(f"{row.name}\n{ind['short_name']}: {fmt.SUPPRESSED} ({SUPPRESSION[row.suppression]})")
            continue
        lines = [row.name, f"{ind['short_name']}: {fmt.with_unit(row.value, d, unit)}"]
        if pd.notna(row.numerator) and pd.notna(row.denominator):
            lines.append(f"{fmt.number(row.numerator)} von {fmt.number(row.denominator)}")
        if pd.notna(row.rank):
            lines.append(f"Rang {fmt.number(row.rank)} von {fmt.number(level_count)}")
        if pd.notna(row.diff_city):
            lines.append(f"Differenz zur Gesamtstadt ({fmt.with_unit(city_value, d, unit)}): "
                         f"{fmt.change(row.diff_city, cd, cu)}")
        lines.append(f"Veränderung seit {first_year}: "
                     f"{fmt.SUPPRESSED if trend_hidden else fmt.change(row.trend, cd, cu)}")
        lines.append(f"Bewertung {COMPARATOR_WORDS[comparator]}: {judgement_text(getattr(row, comparator))}")
        texts.append("\n".join(lines))
    return pd.Series(texts, index=table.index)


def class_legend(bins: tuple[float, ...], lower: float, counts: tuple[int, ...], colours: list[str],
                 decimals: int, unit: str, missing: int) -> pd.DataFrame:
    """Class bounds with units and counts, plus the grey entry for suppressed or missing areas."""
    edges = [lower, *bins]
    rows = [{"Farbe": colour, "Klasse": f"{fmt.number(edges[i], decimals)} bis {fmt.with_unit(edges[i + 1], decimals, unit)}",
             "Gebiete": fmt.number(count)}
            for i, (colour, count) in enumerate(zip(colours, counts))]
    if missing:
        rows.append({"Farbe": NO_DATA, "Klasse": NO_DATA_LABEL, "Gebiete": fmt.number(missing)})
    return pd.DataFrame(rows, columns=["Farbe", "Klasse", "Gebiete"])


def judgement_legend(judgements: pd.Series, colours: dict[str, str]) -> pd.DataFrame:
    counts = judgements.value_counts()
    rows = [{"Farbe": colours[code], "Klasse": JUDGEMENT_LEGEND_LABELS[code], "Gebiete": fmt.number(counts[code])}
            for code in colours if code in counts.index]
    return pd.DataFrame(rows, columns=["Farbe", "Klasse", "Gebiete"])


def styled_legend(legend: pd.DataFrame):
    """The colour column painted in its own colour (pandas Styler; Streamlit renders it without HTML)."""
    return legend.style.apply(
        lambda column: [f"background-color: {c}; color: {c}" for c in column], subset=["Farbe"]
    )


def csv_bytes(table: pd.DataFrame, ind: pd.Series, year: int) -> bytes:
    """A CSV for Excel in Germany: semicolons, decimal commas, UTF-8 with BOM, '.' for suppressed cells."""
    hidden = table["suppression"].notna()

    def column(values: pd.Series, decimals: int) -> list[str]:
        return [fmt.SUPPRESSED if h else ("" if pd.isna(v) else fmt.number(v, decimals).replace(".", ""))
                for v, h in zip(values, hidden)]

    def text(value: object) -> str:
        """Spreadsheets run a cell starting with = + - @ as a formula; a leading apostrophe keeps it text."""
        value = str(value)
        return "'" + value if value[:1] in ("=", "+", "-", "@") else value

    d = int(ind["decimals"])
    out = pd.DataFrame({
        "Gebiets-ID": table["area_id"].map(text),
        "Gebiet": table["name"].map(text),
        "Indikator": text(ind["name"]),
        "Einheit": text(ind["unit"]),
        "Jahr": year,
        "Wert": column(table["value"], d),
        "Zähler": column(table["numerator"], 0),
        "Nenner": column(table["denominator"], 0),
        "KI unten": column(table["ci_low"], d),
        "KI oben": column(table["ci_high"], d),
        "Bewertung ggü. Gesamtstadt": [judgement_text(j) for j in table["judgement_city"]],
        "Geheimhaltung": [SUPPRESSION.get(s, "") if isinstance(s, str) else "" for s in table["suppression"]],
    })
    buffer = io.StringIO()
    out.to_csv(buffer, sep=";", index=False)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")

