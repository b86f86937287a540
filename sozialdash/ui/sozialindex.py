"""The Sozialindex page's choices and data work: the configuration (MSS defaults, changed in the sidebar, kept in
the URL), the indicator values it reads from the store, and the tables it shows.

Values come from ``published_values`` as everywhere: a secret or missing value leaves its area out of the index
("ohne Zuordnung"), as the MSS does with missing values, and is never estimated.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sozialdash import fmt
from sozialdash.analysis import sozialindex as si
from sozialdash.store import Store
from sozialdash.ui import controls, karte, state
from sozialdash.ui.data import query
from sozialdash.ui.safe import md
from sozialdash.views import colors, maps, xlsx

MSS_INDICATORS = ("arbeitslosigkeit", "sgb2_quote", "kinderarmut")
"""The demo's counterparts of the MSS's Arbeitslosigkeit, Transferbezug and Kinderarmut; a city whose catalogue
lacks them starts with its first three shares where higher is worse."""
INDEXABLE = ("proportion", "rate")
P_STATUS, P_DYNAMICS, P_PERIOD, P_MINIMUM, P_WEIGHT = "status", "dynamik", "zeitraum", "mindestens", "gewicht"
P_BOUNDS = {"status": "grenzen_status", "dynamics": "grenzen_dynamik"}
BOUND_LABELS = {"status": ["hoch | mittel", "mittel | niedrig", "niedrig | sehr niedrig"],
                "dynamics": ["positiv | stabil", "stabil | negativ"]}
PERIODS = [1, 2, 3, 4, 5]


def candidates(catalogue: pd.DataFrame) -> pd.DataFrame:
    """Indicators that can enter: shares and rates with a direction."""
    return catalogue[catalogue["value_type"].isin(INDEXABLE) & catalogue["polarity"].isin(list(si.SIGN))]


def defaults(catalogue: pd.DataFrame) -> tuple[str, ...]:
    usable = candidates(catalogue)
    mss = tuple(i for i in MSS_INDICATORS if i in usable.index)
    if mss:
        return mss
    worse = usable[(usable["polarity"] == "higher_is_worse") & (usable["value_type"] == "proportion")]
    return tuple(worse.index[:3])


def _weights_from_url(chosen: list[str]) -> dict[str, float]:
    weights = {}
    for item in state.url_list(P_WEIGHT):
        indicator, _, weight = item.partition(":")
        try:
            if indicator in chosen and 0 < float(weight.replace(",", ".")) <= 10:
                weights[indicator] = float(weight.replace(",", "."))
                continue
        except ValueError:
            pass
        state.not_found("Gewicht", item)
    return weights


def _thresholds_from_url(part: str) -> tuple[float, ...]:
    """A link's class thresholds, or the MSS's with a notice naming what was wrong."""
    mss, wanted = si.MSS_THRESHOLDS[part], state.url_value(P_BOUNDS[part])
    if wanted is None:
        return mss
    try:
        problem = si.threshold_problem(part, si.parse_thresholds(wanted))
    except ValueError:
        problem = f"Klassengrenzen {si.PARTS[part]}: keine Zahlen"
    if problem is None:
        return si.parse_thresholds(wanted)
    state.report(f"{md(problem)} (im Link „{md(fmt.shorten(wanted, state.LONGEST))}“); MSS-Grenzen "
                 f"{si.bounds_text(mss)} gezeigt.")
    return mss


def _thresholds(part: str, seeded: tuple[float, ...]) -> tuple[float, ...]:
    """The thresholds of one part (status or dynamics) as entered, starting from ``seeded``; to two places."""
    return tuple(round(float(st.number_input(f"{si.PARTS[part]}: {label}", min_value=si.BOUNDS[0],
                                             max_value=si.BOUNDS[1], step=0.1, format="%.2f",
                                             value=float(value), key=f"index_bound_{part}_{i}")), 2)
                 for i, (label, value) in enumerate(zip(BOUND_LABELS[part], seeded)))


@st.cache_data(show_spinner=False, max_entries=64)
def _values(_store: Store, build_id: str, indicators: tuple[str, ...], year: int, level: int) -> pd.DataFrame:
    frame = pd.DataFrame()
    for indicator in indicators:
        values = query(_store, "level_values", indicator=indicator, year=year, level=level).set_index("area_id")
        frame[indicator] = values["value"].where(values["suppression"].isna()).astype(float)
    return frame


def values(store: Store, indicators: tuple[str, ...], year: int, level: int) -> pd.DataFrame:
    """Area × indicator, the published values of ``year`` (NaN where secret or missing)."""
    return _values(store, store.build_id, tuple(indicators), year, level)


def changes(store: Store, indicators: tuple[str, ...], year: int, period: int, level: int) -> pd.DataFrame:
    """Area × indicator, the change over ``period`` years, in the indicator's unit (percentage points for shares)."""
    now, before = values(store, indicators, year, level), values(store, indicators, year - period, level)
    return now - before.reindex(index=now.index, columns=now.columns)


def population(store: Store, year: int, level: int) -> pd.Series:
    return values(store, (store.meta["population_indicator"],), year, level).iloc[:, 0]


def choose(store: Store) -> tuple[si.IndexConfig, pd.Series, int]:
    """The configuration in the sidebar, seeded from the URL like every page; returns it with the level and year."""
    catalogue = controls.catalogue(store)
    usable = candidates(catalogue)
    names = usable["short_name"]
    start = defaults(catalogue)
    with st.sidebar:
        st.markdown("**Sozialindex**")
        level = controls.level(store, key="index_level", indicator=start[0] if start else None)
        status = st.multiselect("Status-Indikatoren", list(usable.index), format_func=names.get, key="index_status",
                                default=state.pick_many(state.url_list(P_STATUS), usable.index, 8, "Indikatoren")
                                or list(start))
        dynamics = st.multiselect("Dynamik-Indikatoren", list(usable.index), format_func=names.get,
                                  key="index_dynamics",
                                  default=state.pick_many(state.url_list(P_DYNAMICS), usable.index, 8, "Indikatoren")
                                  or list(start))
        chosen = list(dict.fromkeys([*status, *dynamics]))
        years = sorted({int(y) for i in chosen for y in query(store, "indicator_years", indicator=i)["year"]},
                       reverse=True) or [int(store.meta["reference_year"])]
        year = st.selectbox("Jahr", years, key="index_year",
                            index=years.index(state.pick(years, state.url_value(state.P_YEAR), years[0], "Jahr")))
        period = st.selectbox("Zeitraum der Dynamik (Jahre)", PERIODS, key="index_period",
                              index=PERIODS.index(state.pick(PERIODS, state.url_value(P_PERIOD), 2, "Zeitraum")))
        minimum = st.number_input("Mindestbevölkerung", min_value=0, max_value=100_000, step=50, key="index_minimum",
                                  value=int(state.pick(range(0, 100_001), state.url_value(P_MINIMUM), 300,
                                                       "Mindestbevölkerung")))
        wanted = _weights_from_url(chosen)   # a notice outside the popover, where it is seen
        with st.popover("Gewichte", icon=":material/balance:", width="stretch"):
            weights = {i: float(st.number_input(names[i], min_value=0.1, max_value=10.0, step=0.5,
                                                value=wanted.get(i, 1.0), key=f"index_weight_{i}"))
                       for i in chosen}
        seeded = {part: _thresholds_from_url(part) for part in si.PARTS}   # likewise
        with st.popover("Klassengrenzen", icon=":material/straighten:", width="stretch"):
            st.caption("In Standardabweichungen; ein Wert genau auf einer Grenze gehört zur milderen Klasse.")
            thresholds = {part: _thresholds(part, seeded[part]) for part in si.PARTS}
        for part, bounds in thresholds.items():   # entered ones that cannot classify: refused, the MSS's used
            problem = si.threshold_problem(part, bounds)
            if problem:
                st.error(f"{md(problem)}. Es gelten die MSS-Grenzen {si.bounds_text(si.MSS_THRESHOLDS[part])}.",
                         icon=":material/error:")
                thresholds[part] = si.MSS_THRESHOLDS[part]
    config = si.IndexConfig(tuple(status), tuple(dynamics), weights={k: w for k, w in weights.items() if w != 1.0},
                            period_years=int(period), min_population=int(minimum),
                            status_thresholds=tuple(thresholds["status"]),
                            dynamics_thresholds=tuple(thresholds["dynamics"]))
    return config, level, int(year)


def url(config: si.IndexConfig, level: pd.Series, year: int) -> dict[str, object]:
    return {P_STATUS: list(config.status), P_DYNAMICS: list(config.dynamics), state.P_YEAR: year,
            state.P_LEVEL: int(level["level"]), P_PERIOD: config.period_years, P_MINIMUM: config.min_population,
            P_WEIGHT: [f"{i}:{fmt.number(w, 1).replace(',', '.')}" for i, w in config.weights.items()],
            P_BOUNDS["status"]: si.thresholds_param(config.status_thresholds),
            P_BOUNDS["dynamics"]: si.thresholds_param(config.dynamics_thresholds)}


def _inputs(store: Store, config: si.IndexConfig, level: int, year: int) -> tuple:
    """What the index is computed from: status values, dynamics changes, population, polarity."""
    return (values(store, config.status, year, level),
            changes(store, config.dynamics, year, config.period_years, level),
            population(store, year, level), controls.catalogue(store)["polarity"].to_dict())


@st.cache_resource(show_spinner=False, max_entries=32, ttl=1800)
def _index(_store: Store, build_id: str, config: si.IndexConfig, level: int, year: int) -> pd.DataFrame:
    result = si.sozialindex(*_inputs(_store, config, level, year), config)
    names = query(_store, "areas").set_index("area_id")["name"]
    return result.assign(name=names.reindex(result.index).to_numpy(),
                         population=population(_store, year, level).reindex(result.index).to_numpy())


def index(store: Store, config: si.IndexConfig, level: int, year: int) -> pd.DataFrame:
    """The index of every area of the level, shared by every session per configuration; read-only."""
    return _index(store, store.build_id, config, level, year)


@st.cache_resource(show_spinner=False, max_entries=32, ttl=1800)
def _sensitivity(_store: Store, build_id: str, config: si.IndexConfig, level: int, year: int) -> pd.Series:
    return si.sensitivity(*_inputs(_store, config, level, year), config)


def sensitivity(store: Store, config: si.IndexConfig, level: int, year: int) -> pd.Series:
    """How many areas change their code without each indicator, per configuration for every session."""
    return _sensitivity(store, store.build_id, config, level, year)


def map_data(store: Store, result: pd.DataFrame, level: int) -> tuple[dict, dict[str, bytes]]:
    """The level's areas in their status × dynamics colour, each with its name and code as tooltip."""
    key, payload, ids = karte.shapes(store, store.build_id, level)
    areas = pd.DataFrame({"area_id": result.index, "fill": fills(result).to_numpy(),
                          "tooltip": [f"{n}\n{'Code ' + c if c else si.UNASSIGNED}"
                                      for n, c in zip(result["name"], result["code"])]})
    return maps.view_data(key, ids, areas, labels=True), {key: payload}


def cell_colour(status_class, dynamics_class) -> str:
    return colors.INDEX_COLOURS.get((status_class, dynamics_class), colors.NO_DATA)


def fills(result: pd.DataFrame) -> pd.Series:
    return pd.Series([cell_colour(s, d) for s, d in zip(result["status_class"], result["dynamics_class"])],
                     index=result.index)


def legend(result: pd.DataFrame) -> pd.DataFrame:
    """The map's colours as a legend frame (Farbe, Klasse, Gebiete) for its PNG (``karte.map_png``): each status ×
    dynamics cell that has areas, in the matrix's order, then the areas without a code in the no-data grey."""
    counts = si.matrix(result)
    rows = [{"Farbe": cell_colour(s, d), "Klasse": f"Status {STATUS_HEAD[s]}, Dynamik {DYNAMICS_HEAD[d]}",
             "Gebiete": fmt.number(counts.at[s, d])}
            for s in counts.index for d in counts.columns if counts.at[s, d]]
    unassigned = int(result["excluded"].notna().sum())
    if unassigned:
        rows.append({"Farbe": colors.NO_DATA, "Klasse": si.UNASSIGNED, "Gebiete": fmt.number(unassigned)})
    return pd.DataFrame(rows, columns=["Farbe", "Klasse", "Gebiete"])


def matrix_cells(result: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The 4 × 3 matrix as counts (German text) and the map's colour of each cell, status rows by dynamics
    columns headed by the dynamics sign: the page's table and the document's."""
    counts = si.matrix(result)
    shown = pd.DataFrame({d: [fmt.number(counts.at[s, d]) for s in counts.index] for d in counts.columns},
                         index=[STATUS_HEAD[s] for s in counts.index])
    paint = pd.DataFrame({d: [cell_colour(s, d) for s in counts.index] for d in counts.columns}, index=shown.index)
    return shown, paint


def matrix_table(result: pd.DataFrame):
    """The matrix painted in the map's colours with text that reads on them: the map's bivariate legend (a pandas
    Styler). The columns are headed by the dynamics sign only, as in the code, so the matrix fits beside the map
    at 1280 pixels; ``matrix_columns`` says the words and bounds on hover."""
    shown, paint = matrix_cells(result)
    return shown.style.apply(lambda column: [f"background-color: {c}; color: {colors.text_colour_on(c)}"
                                             for c in paint[column.name]])


def describe(config: si.IndexConfig, level: pd.Series, year: int, names: pd.Series) -> str:
    """What the index is computed from, in one line (plain text): level, year, period and indicators."""
    return (f"{level['label_plural']} · {year}, Dynamik {year - config.period_years}–{year} · Status: "
            + ", ".join(str(names[i]) for i in config.status) + " · Dynamik: "
            + ", ".join(str(names[i]) for i in config.dynamics))


def matrix_columns(config: si.IndexConfig) -> dict:
    """The matrix's column headers with the dynamics class and its interval as their tooltip."""
    bounds = si.class_bounds(config)["dynamics"]
    return {d: st.column_config.TextColumn(d, help=f"Dynamik {word}: Index {bounds[d]}")
            for d, word in si.DYNAMICS_CLASSES.items()}


def bounds_caption(config: si.IndexConfig) -> str:
    """The thresholds in force and what the matrix's column signs stand for, for the caption under it."""
    signs = ", ".join(DYNAMICS_HEAD.values())
    return (f"Klassengrenzen in Standardabweichungen: Status {si.bounds_text(config.status_thresholds)}, Dynamik "
            f"{si.bounds_text(config.dynamics_thresholds)} (Spalten: {signs}).")


STATUS_HEAD = {k: f"{k} {v}" for k, v in si.STATUS_CLASSES.items()}
DYNAMICS_HEAD = {k: f"{k} {v}" for k, v in si.DYNAMICS_CLASSES.items()}
POPULATION = "Einwohner*innen"


def number_column(decimals: int):
    """A number column of st.dataframe: a real number, so a click on the header sorts by value, shown with
    ``decimals`` places in the reader's browser locale ("localized", Intl.NumberFormat over the browser's
    languages: 1.234,56 in a German browser). Streamlit has no fixed-locale number format; the step sets the
    places, and the grid cuts (not rounds) a number to them, so give it ``rounded`` numbers. A NaN reads "None"
    unless the table is given placeholder="" (the page does)."""
    return st.column_config.NumberColumn(format="localized", step=10.0 ** -decimals)


def decimals(table: pd.DataFrame) -> dict[str, int]:
    """The places of each number column of ``display``: whole inhabitants, z-values and indices to two."""
    return {c: 0 if c == POPULATION else 2 for c in table.columns if pd.api.types.is_float_dtype(table[c])}


def rounded(table: pd.DataFrame) -> pd.DataFrame:
    """``display`` rounded to the places it is shown with: st.dataframe cuts a number to its column's step before
    formatting it (3,2369 read "3,23"), so the page hands it numbers that are already rounded."""
    return table.round(decimals(table))


def table_columns(table: pd.DataFrame) -> dict:
    """Numbers as ``number_column``; the area's name stays in view when the table scrolls sideways, and the
    Status column is wide enough to say why an area is left out."""
    return {**{c: number_column(d) for c, d in decimals(table).items()},
            "Gebiet": st.column_config.TextColumn(pinned=True), "Status": st.column_config.TextColumn(width="medium")}


def display(result: pd.DataFrame, config: si.IndexConfig, names: pd.Series) -> pd.DataFrame:
    """Every area with its z-values, sums, indices and classes: the figures as numbers (empty where an area is
    left out), the classes as words, and for an area left out why, in the Status column."""
    why = {si.EXCLUDED_SMALL: f"{si.UNASSIGNED} (unter {fmt.number(config.min_population)} Einw.)",
           si.EXCLUDED_MISSING: f"{si.UNASSIGNED} (Wert fehlt oder geheim)"}
    unknown = f"{si.UNASSIGNED} (Einwohnerzahl fehlt oder geheim)"
    table = pd.DataFrame({"Gebiet": result["name"].astype(str).to_numpy(),
                          POPULATION: result["population"].astype(float).to_numpy()})
    for part, chosen in (("status", config.status), ("dynamics", config.dynamics)):
        for indicator in chosen:
            word = "z" if part == "status" else "z Δ"
            column = f"{word} {names.get(indicator, indicator)}"
            table[column] = result[f"z_{part}_{indicator}"].astype(float).to_numpy()
    table["Statusindex"] = result["status_index"].astype(float).to_numpy()
    table["Status"] = [STATUS_HEAD[c] if c is not None else unknown if pd.isna(p) else why[e] for c, e, p in
                       zip(result["status_class"], result["excluded"], result["population"])]
    table["Dynamikindex"] = result["dynamics_index"].astype(float).to_numpy()
    table["Dynamik"] = [DYNAMICS_HEAD[c] if c is not None else "" for c in result["dynamics_class"]]
    table["Code"] = [c or "" for c in result["code"]]
    order = result["status_index"].fillna(-1e9).to_numpy().argsort(kind="stable")[::-1]
    return table.iloc[order].reset_index(drop=True)


def text_table(table: pd.DataFrame) -> pd.DataFrame:
    """``display`` in German text for the CSV (views.tables.text_csv): 1.234 and 1,23, an empty cell where an area
    has no figure."""
    shown = table.copy()
    for column, places in decimals(table).items():
        shown[column] = [fmt.number(v, places) if pd.notna(v) else "" for v in table[column]]
    return shown


def notes(store: Store, config: si.IndexConfig, level: pd.Series, year: int, names: pd.Series) -> list[str]:
    """What the Excel file holds, for its Hinweise sheet: dataset, source, the configuration and its classes."""
    meta, bounds = store.meta, si.class_bounds(config)
    lines = [f"Datensatz: {meta['name']}, Stand {meta['reference_year']}", f"Quelle: {meta['source']}"]
    if meta["is_demo"]:
        lines.append("Fiktive Demodaten: alle Zahlen sind erfunden und dienen nur der Vorführung.")
    weight = {i: fmt.number(w, 1) for i, w in config.weights.items()}
    lines += [f"Sozialindex der {level['label_plural']} {year}, Dynamik {year - config.period_years}–{year}",
              "Status-Indikatoren: " + ", ".join(names.get(i, i) + (f" (Gewicht {weight[i]})" if i in weight else "")
                                                 for i in config.status),
              "Dynamik-Indikatoren: " + ", ".join(names.get(i, i) + (f" (Gewicht {weight[i]})" if i in weight else "")
                                                  for i in config.dynamics),
              f"Mindestbevölkerung: {fmt.number(config.min_population)}",
              "Status: " + "; ".join(f"{STATUS_HEAD[k]} {v}" for k, v in bounds["status"].items()),
              "Dynamik: " + "; ".join(f"{DYNAMICS_HEAD[k]} {v}" for k, v in bounds["dynamics"].items()),
              "Nicht mehr die Regeln des MSS: " + ", ".join(config.departures()) if config.departures()
              else "Regeln des Monitorings Soziale Stadtentwicklung (Berlin)",
              f"Leere Zahlenfelder: Gebiet {si.UNASSIGNED}, der Grund steht in der Spalte Status."]
    return lines


def xlsx_bytes(table: pd.DataFrame, lines: list[str]) -> bytes:
    """``display`` as an Excel sheet: figures as numbers (inhabitants whole, the rest to two places), empty
    cells where an area is left out, ``lines`` (``notes``) on the Hinweise sheet."""
    formats = {c: xlsx.WHOLE if d == 0 else "0.00" for c, d in decimals(table).items()}
    return xlsx.workbook_bytes(table, "Sozialindex", lines, formats)
