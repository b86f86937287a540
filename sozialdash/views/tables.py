"""Tables, tooltips, legends and CSV files built from one area table; every cell formatted the German way.

All of them take the output of ``analysis.area_table`` (or the same columns), in which suppressed cells are
already NULL: there is nothing here that could leak a suppressed number. A secret cell reads "." (in words
"geheim") and never says which rule hid it; an absent value reads "keine Daten" with its reason from
``analysis.gaps``, the same words in the map's tooltip, the table beside it and the download.
"""

from __future__ import annotations

import io
import re
import unicodedata

import pandas as pd

from sozialdash import fmt
from sozialdash.analysis.change import change_decimals, change_unit
from sozialdash.analysis.gaps import why_missing
from sozialdash.glossary import COMPARATOR, MISSING_REASON, SECRET, SECRET_LABEL, TREND, judgement_text, missing_text
from sozialdash.views.colors import JUDGEMENT_COLOURS, JUDGEMENT_LEGEND_LABELS, NO_DATA, SECRET_FILL

# Fields Excel's "General" conversion would turn into a number, date, time or percentage when a CSV is opened
# by double-click: digits with number and date punctuation only.
_EXCEL_CONVERTS = re.compile(r"^[\s\d.,:/%+\-eE€]*\d[\s\d.,:/%+\-eE€]*$")


def secret_cells(table: pd.DataFrame, column: str = "value") -> pd.Series:
    """Which areas' ``column`` is secret: the value when it is suppressed, a change ("trend") when either of its
    two years is."""
    hidden = table["suppression"].notna()
    return hidden | table["first_suppression"].notna() if column == "trend" else hidden


def missing_reasons(table: pd.DataFrame, ind: pd.Series) -> list[str]:
    """The ``why_missing`` code for every row (``has_children`` from the level_values query says whether the area
    has areas below it); callers use it only where a value is absent."""
    return [why_missing(ind.get("aggregation"), bool(c)) for c in table["has_children"]]


def interval_gap(value: float | None) -> str:
    """The word for an absent interval: 'kein Intervall' beside a value (a published share, a mean), else the
    value's own gap."""
    return fmt.MISSING if value is None or pd.isna(value) else fmt.NO_INTERVAL


def interval_text(low: float, high: float, decimals: int, value: float | None = None) -> str:
    """'13,0 – 29,0', or ``interval_gap``."""
    if pd.isna(low) or pd.isna(high):
        return interval_gap(value)
    return f"{fmt.number(low, decimals)} – {fmt.number(high, decimals)}"


def city_text(value: float | None, ind: pd.Series, secret: bool = False) -> str:
    """The whole city's value for a caption (the Karte's): formatted, '.', or 'keine Daten (reason)'. The city
    always has areas below it, so a missing total is either a published value nobody published or a gap below."""
    return fmt.cell(value, int(ind["decimals"]), ind["unit"], secret,
                    missing_text(why_missing(ind.get("aggregation"), True)))


def display_table(table: pd.DataFrame, ind: pd.Series, first_year: int,
                  comparator: str = "judgement_city") -> pd.DataFrame:
    """The table beside the map: what a planner reads, in the order of the map's ranking; the judgement is the
    one the map shows (against the city or against the parent area)."""
    d, unit = int(ind["decimals"]), ind["unit"]
    hidden = secret_cells(table)
    missing = [missing_text(reason) for reason in missing_reasons(table, ind)]
    cd, cu = change_decimals(ind["value_type"], d), change_unit(ind["value_type"], unit)
    return pd.DataFrame({
        "Rang": [fmt.number(r) if pd.notna(r) else fmt.SUPPRESSED if h else fmt.MISSING
                 for r, h in zip(table["rank"], hidden)],
        "Gebiet": table["name"],
        "Wert": [fmt.cell(v, d, unit, h, m) for v, h, m in zip(table["value"], hidden, missing)],
        "KI 95 %": [fmt.SUPPRESSED if h else interval_text(lo, hi, d, v)
                    for lo, hi, v, h in zip(table["ci_low"], table["ci_high"], table["value"], hidden)],
        "Bewertung": [judgement_text(j) for j in table[comparator]],
        f"seit {first_year}": [fmt.SUPPRESSED if h else fmt.change(t, cd, cu)
                               for t, h in zip(table["trend"], secret_cells(table, "trend"))],
    })


def tooltips(table: pd.DataFrame, ind: pd.Series, city_value: float | None, level_count: int, first_year: int,
             comparator: str = "judgement_city") -> pd.Series:
    """Plain-text hover per area: name, value with unit, numerator/denominator, rank, difference to the city,
    change since ``first_year`` and the judgement the map shows; a secret or absent value gets one line."""
    d, unit = int(ind["decimals"]), ind["unit"]
    cd, cu = change_decimals(ind["value_type"], d), change_unit(ind["value_type"], unit)
    texts = []
    for row, trend_hidden, reason in zip(table.itertuples(), secret_cells(table, "trend"),
                                         missing_reasons(table, ind)):
        if pd.notna(row.suppression):
            texts.append(f"{row.name}\n{ind['short_name']}: {fmt.SUPPRESSED} ({SECRET})")
            continue
        if pd.isna(row.value):
            texts.append(f"{row.name}\n{ind['short_name']}: {missing_text(reason)}")
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
        lines.append(f"Bewertung {COMPARATOR[comparator]}: {judgement_text(getattr(row, comparator))}")
        texts.append("\n".join(lines))
    return pd.Series(texts, index=table.index)


def class_legend(bins: tuple[float, ...], lower: float, counts: tuple[int, ...], colours: list[str],
                 decimals: int, unit: str, secret: int, missing: int) -> pd.DataFrame:
    """Class bounds with units and counts, plus one entry each for secret and for missing areas."""
    edges = [lower, *bins]
    rows = [{"Farbe": colour, "Klasse": f"{fmt.number(edges[i], decimals)} bis {fmt.with_unit(edges[i + 1], decimals, unit)}",
             "Gebiete": fmt.number(count)}
            for i, (colour, count) in enumerate(zip(colours, counts))]
    for colour, label, count in [(SECRET_FILL, SECRET_LABEL, secret), (NO_DATA, fmt.MISSING, missing)]:
        if count:
            rows.append({"Farbe": colour, "Klasse": label, "Gebiete": fmt.number(count)})
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


def slug(text: object, max_chars: int = 40) -> str:
    """ASCII, lower case, words joined by '_': 'Musterstadt (Demo)' -> 'musterstadt_demo', 'Höhe' -> 'hoehe'."""
    text = str(text).lower()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, spelled)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:max_chars].strip("_")


def csv_file_name(meta_name: str, indicator: str, year: int, level_key: str) -> str:
    """'musterstadt_demo_kinderarmut_2025_stadtteil.csv' (``file_name``)."""
    return file_name(meta_name, indicator, year, level_key, "csv")


def file_name(meta_name: str, indicator: str, year: int, level_key: str, extension: str) -> str:
    """'musterstadt_demo_kinderarmut_2025_stadtteil.png': dataset, indicator, year and level, safe on every
    file system (no spaces, umlauts spelled out, nothing a path could be built from)."""
    parts = [slug(meta_name), slug(indicator), str(int(year)), slug(level_key)]
    return "_".join(p for p in parts if p) + "." + extension


def excel_text(value: object) -> str:
    """A text cell that Excel opens as written.

    Spreadsheets run a cell starting with = + - @ as a formula: a leading apostrophe keeps it text (OWASP's
    advice against CSV injection). Excel also opens a CSV by double-click with its "General" conversion, which
    makes "0101" the number 101 and "1-2" a date: a leading tab makes such a field text, so area ids keep their
    leading zeros. The tab is whitespace, unlike ``="0101"`` no formula and unlike an apostrophe invisible in
    Excel; programs that parse the file (pandas, R) get it back with ``str.strip()``.
    """
    value = str(value)
    if value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "\t" + value if _EXCEL_CONVERTS.match(value) else value


def csv_bytes(table: pd.DataFrame, ind: pd.Series, year: int, change_since: int | None = None) -> bytes:
    """A CSV for Excel in Germany: semicolons, decimal commas, UTF-8 with BOM; text cells through
    ``excel_text`` (ids keep their leading zeros). Number columns hold a number, '.' (secret) or 'keine Daten',
    the interval 'kein Intervall' where a value has none, and "Hinweis" says 'geheim' or why a value is absent.
    With ``change_since`` the change since that year is a column too, in the change rule's unit."""
    hidden = secret_cells(table)

    def column(values: pd.Series, decimals: int, secret: pd.Series = hidden, gaps=None) -> list[str]:
        gaps = gaps if gaps is not None else [fmt.MISSING] * len(values)
        return [fmt.SUPPRESSED if h else (gap if pd.isna(v) else fmt.number(v, decimals).replace(".", ""))
                for v, h, gap in zip(values, secret, gaps)]

    def interval(values: pd.Series, decimals: int) -> list[str]:
        return column(values, decimals, gaps=[interval_gap(v) for v in table["value"]])

    d = int(ind["decimals"])
    columns = {
        "Gebiets-ID": table["area_id"].map(excel_text),
        "Gebiet": table["name"].map(excel_text),
        "Indikator": excel_text(ind["name"]),
        "Einheit": excel_text(ind["unit"]),
        "Jahr": year,
        "Wert": column(table["value"], d),
        "Zähler": column(table["numerator"], 0),
        "Nenner": column(table["denominator"], 0),
        "KI unten": interval(table["ci_low"], d),
        "KI oben": interval(table["ci_high"], d),
    }
    if change_since is not None:
        unit = change_unit(ind["value_type"], ind["unit"])
        columns[f"Veränderung seit {change_since} ({unit})"] = column(
            table["trend"], change_decimals(ind["value_type"], d), secret_cells(table, "trend"))
    columns["Bewertung ggü. Gesamtstadt"] = [judgement_text(j) for j in table["judgement_city"]]
    columns["Hinweis"] = [SECRET if h else (MISSING_REASON[reason] if pd.isna(v) else "")
                          for v, h, reason in zip(table["value"], hidden, missing_reasons(table, ind))]
    buffer = io.StringIO()
    pd.DataFrame(columns).to_csv(buffer, sep=";", index=False)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def latest_run(values) -> list[float]:
    """The published years since the last secret or missing one: Streamlit's sparkline cannot leave a gap (a None
    breaks the column), so it shows the latest stretch without one rather than draw a line across a secret year."""
    values = list(values)
    gaps = [i for i, v in enumerate(values) if v is None or v != v]
    return values[gaps[-1] + 1:] if gaps else values


def profile_table(rows: pd.DataFrame, parent_label: str | None, year: int) -> pd.DataFrame:
    """An area's profile (``analysis.profile.profile_rows``) as the Profil shows it, what a dialogue reads first on
    the left (on a 1280 px screen the changes are the part that scrolls): "Farbe" painted in the judgement's
    colour (``styled_legend``), the values with their unit, "." for secret ones, changes in the change rule's
    unit, the series for a sparkline (``latest_run``) and the trend in words. A value older than ``year`` (the
    profile's Stand) says its year: "12,3 % (2021)"."""
    def changed(row, column):
        if row.secret:
            return fmt.SUPPRESSED
        number = getattr(row, column)
        return fmt.change(number, change_decimals(row.value_type, row.decimals),
                          change_unit(row.value_type, row.unit)) if pd.notna(number) else fmt.MISSING

    table = pd.DataFrame({
        "Farbe": [JUDGEMENT_COLOURS.get(j, NO_DATA) for j in rows["judgement_city"]],
        "Indikator": rows["short_name"].astype(str).to_numpy(),
        "Wert": [fmt.cell(r.value, r.decimals, r.unit, r.secret) + (f" ({r.year})" if r.year != year else "")
                 for r in rows.itertuples()],
        "Stadt": [fmt.cell(r.city_value, r.decimals, r.unit, r.city_secret) for r in rows.itertuples()],
        "Bewertung": [judgement_text(j) for j in rows["judgement_city"]],
        "Zuerst": ["ja" if flag else "" for flag in rows["red_red"]],
        "Trend": [TREND[t] for t in rows["trend"]],
        "Verlauf": [latest_run(values) for values in rows["series"]],
        "seit Vorjahr": [changed(r, "change_previous") for r in rows.itertuples()],
        "seit Beginn": [changed(r, "change_first") for r in rows.itertuples()],
    })
    if parent_label:
        table.insert(4, parent_label, [fmt.cell(r.parent_value, r.decimals, r.unit, r.parent_secret)
                                       for r in rows.itertuples()])
    return table


def text_csv(table: pd.DataFrame) -> bytes:
    """A table of text cells (already formatted the German way) as a CSV for Excel in Germany, like the Karte's:
    semicolons, UTF-8 with BOM, every cell through ``excel_text``."""
    buffer = io.StringIO()
    table.map(lambda v: excel_text(v) if v != "" else "").to_csv(buffer, sep=";", index=False)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
