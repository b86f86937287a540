"""Vergleich: bars with intervals, time series, table, one area's overview and the scatter, against the store."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from sozialdash import fmt

from .conftest import shown

PAGE = "pages/2_Vergleich.py"
CHOSEN = ["303", "405", "101"]
TOPIC = "existenzsicherung"


@pytest.fixture(scope="module")
def vergleich(open_page):
    at = open_page(PAGE, gebiet=CHOSEN, thema=TOPIC)
    assert not at.exception
    return at


@pytest.fixture(scope="module")
def topic_indicators(catalogue) -> pd.DataFrame:
    return catalogue[catalogue["topic_id"] == TOPIC]


@pytest.fixture(scope="module")
def suppressed_case(store, catalogue) -> tuple[str, str, int]:
    """(indicator, Stadtteil, year): a value the store suppresses in the indicator's latest year."""
    for ind in catalogue[catalogue["value_type"] != "count"].itertuples():
        year = int(ind.last_year)
        values = store.run("level_values", indicator=ind.indicator_id, year=year, level=2)
        hidden = values[values["suppression"].notna()].sort_values("suppression")  # "primary" first: a real count
        if len(hidden):
            return ind.indicator_id, str(hidden["area_id"].iloc[0]), year
    pytest.fail("the demo store has no suppressed Stadtteil value in any indicator's latest year")


@pytest.fixture(scope="module")
def labelled(store, areas):
    """'Name (Level)' per area id, built from the store's level labels (the city keeps its plain name)."""
    levels = store.run("area_levels").set_index("level")["label"]
    return {a: areas.at[a, "name"] if areas.at[a, "level"] == 0 else f"{areas.at[a, 'name']} ({levels[areas.at[a, 'level']]})"
            for a in areas.index}


def latest_values(store, indicator_id: str, year: int, area_ids: list[str]) -> pd.Series:
    """The store's published values of the areas (any level), in the given order."""
    levels = store.run("areas").set_index("area_id")["level"]
    found = {}
    for area_id in area_ids:
        values = store.run("level_values", indicator=indicator_id, year=year, level=int(levels[area_id]))
        found[area_id] = values.set_index("area_id").loc[area_id]
    return pd.DataFrame(found).T


def test_title_and_selection_follow_the_url(vergleich, catalogue):
    assert [t.value for t in vergleich.title] == ["Vergleich"]
    assert vergleich.multiselect(key="vergleich_areas").value == CHOSEN
    assert vergleich.selectbox(key="vergleich_topic").value == TOPIC
    assert vergleich.selectbox(key="vergleich_year").value == int(catalogue["last_year"].max())


def test_bars_one_trace_per_indicator_with_the_chosen_areas(vergleich, figure, topic_indicators, labelled):
    fig = figure(vergleich, "vergleich_bars")
    bars = [trace for trace in fig["data"] if trace["type"] == "bar"]
    assert len(bars) == len(topic_indicators)
    names = [labelled[a] for a in CHOSEN]
    for trace in bars:
        assert trace["x"] == names
    titles = [a["text"] for a in fig["layout"]["annotations"]]
    for ind in topic_indicators.itertuples():
        assert f"{ind.short_name} ({ind.unit})" in titles


def test_bar_heights_and_labels_are_the_store_values(vergleich, figure, topic_indicators, store):
    fig = figure(vergleich, "vergleich_bars")
    bars = [trace for trace in fig["data"] if trace["type"] == "bar"]
    for trace, ind in zip(bars, topic_indicators.itertuples()):
        expected = latest_values(store, ind.indicator_id, int(ind.last_year), CHOSEN)
        assert np.round(trace["y"], 6).tolist() == np.round(expected["value"].astype(float), 6).tolist(), \
            ind.indicator_id
        assert trace["text"] == [fmt.with_unit(v, int(ind.decimals), ind.unit) for v in expected["value"]]


def test_bars_show_the_city_line(vergleich, figure, topic_indicators, store):
    fig = figure(vergleich, "vergleich_bars")
    notes = [a["text"] for a in fig["layout"]["annotations"]]
    for ind in topic_indicators.itertuples():
        city = store.run("city_value", indicator=ind.indicator_id, year=int(ind.last_year))["value"].iloc[0]
        assert f"Stadt {fmt.number(city, int(ind.decimals))}" in notes


def test_time_series_has_a_line_per_area_and_the_city(vergleich, figure, topic_indicators, areas, labelled, store):
    fig = figure(vergleich, "vergleich_lines")
    city_name = areas.loc[areas["level"] == 0, "name"].iloc[0]
    expected_names = {labelled[a] for a in CHOSEN} | {city_name}
    lines = fig["data"]
    assert len(lines) == len(topic_indicators) * len(expected_names)
    per_axis: dict[str, set[str]] = {}
    for trace in lines:
        per_axis.setdefault(trace["xaxis"], set()).add(trace["name"])
    assert len(per_axis) == len(topic_indicators)
    assert all(names == expected_names for names in per_axis.values())
    city_lines = [trace for trace in lines if trace["name"] == city_name]
    assert all(trace["line"]["dash"] == "dash" for trace in city_lines)
    first = topic_indicators.iloc[0]
    city = [trace for trace in city_lines if trace["xaxis"] == "x"][0]
    assert city["x"][-1] == int(first["last_year"])
    stored = store.run("city_value", indicator=first["indicator_id"], year=int(first["last_year"]))["value"].iloc[0]
    assert math.isclose(city["y"][-1], stored)


def test_comparison_table_has_a_row_per_indicator_and_area(vergleich, topic_indicators, labelled, store):
    table = vergleich.dataframe[0].value
    assert len(table) == len(topic_indicators) * len(CHOSEN)
    assert list(dict.fromkeys(table["Gebiet"])) == [labelled[a] for a in CHOSEN]
    assert list(dict.fromkeys(table["Indikator"])) == list(topic_indicators["short_name"])
    ind = topic_indicators.loc["sgb2_quote"]
    expected = latest_values(store, "sgb2_quote", int(ind["last_year"]), CHOSEN)
    rows = table[table["Indikator"] == ind["short_name"]].set_index("Gebiet")
    for area_id, value in expected["value"].items():
        assert rows.at[labelled[area_id], "Wert"] == fmt.with_unit(value, int(ind["decimals"]), ind["unit"])


def test_spine_chart_leaves_out_counts(vergleich, figure, catalogue):
    fig = figure(vergleich, "vergleich_spine")
    labels = {label for trace in fig["data"] for label in trace["y"] if label is not None}  # None: colour key
    counts = set(catalogue.loc[catalogue["value_type"] == "count", "short_name"])
    assert counts, "the demo should have a count indicator to leave out"
    assert not labels & counts
    others = set(catalogue.loc[catalogue["value_type"] != "count", "short_name"])
    assert labels <= others
    assert len(labels) >= len(others) // 2


def test_spine_chart_is_about_the_first_chosen_area(vergleich, figure, labelled):
    assert vergleich.selectbox(key="vergleich_focus").value == CHOSEN[0]
    fig = figure(vergleich, "vergleich_spine")
    dots = [trace for trace in fig["data"] if trace["type"] == "scatter"][0]
    assert all(f"{labelled[CHOSEN[0]]}: " in text for text in dots["hovertext"])


def test_scatter_caption_and_point_count(vergleich, figure, store, catalogue):
    """r with its 95 % interval by Fisher's z (computed here by hand), Spearman's ρ and n."""
    caption = [c.value for c in vergleich.caption if "Pearson r =" in c.value]
    assert len(caption) == 1
    x_id = vergleich.selectbox(key="scatter_x_indicator").value
    y_id = vergleich.selectbox(key="scatter_y_indicator").value
    level = vergleich.selectbox(key="scatter_level").value
    xs = store.run("level_values", indicator=x_id, year=int(catalogue.at[x_id, "last_year"]), level=level)
    ys = store.run("level_values", indicator=y_id, year=int(catalogue.at[y_id, "last_year"]), level=level)
    both = xs[["area_id", "value"]].merge(ys[["area_id", "value"]], on="area_id").dropna()
    fig = figure(vergleich, "vergleich_scatter")
    points = [trace for trace in fig["data"] if trace["type"] == "scatter"]
    assert len(points) == 1
    assert len(points[0]["x"]) == len(points[0]["y"]) == len(both)
    assert f"n = {len(both)} " in caption[0]
    r = np.corrcoef(both["value_x"], both["value_y"])[0, 1]
    half = 1.959964 / math.sqrt(len(both) - 3)
    low, high = math.tanh(math.atanh(r) - half), math.tanh(math.atanh(r) + half)
    assert f"Pearson r = {fmt.number(r, 2)} (95-%-KI {fmt.number(low, 2)} bis {fmt.number(high, 2)})" in caption[0]
    rho = pd.Series(both["value_x"]).rank().corr(pd.Series(both["value_y"]).rank())
    assert f"Spearman ρ = {fmt.number(rho, 2)}" in caption[0]


def test_url_keeps_the_view(vergleich, catalogue):
    params = dict(vergleich.query_params)
    assert params["gebiet"] == CHOSEN  # a list: repeated keys, in the chosen order
    assert params["thema"] == TOPIC
    assert params["jahr"] == str(int(catalogue["last_year"].max()))


def test_fewer_than_two_areas_asks_for_more(open_page):
    at = open_page(PAGE, gebiet=["101"], thema=TOPIC)
    assert not at.exception
    assert any("mindestens zwei Gebiete" in info.value for info in at.info)
    assert not [el for el in at.get("plotly_chart") if el.proto.id.endswith("-vergleich_bars")]


# --- suppression -------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def suppressed_page(open_page, store, suppressed_case):
    indicator_id, area_id, _ = suppressed_case
    other = next(a for a in ["101", "303", "405"] if a != area_id)
    at = open_page(PAGE, gebiet=[area_id, other], indikatoren=[indicator_id])
    assert not at.exception
    return at


def test_suppressed_value_never_reaches_the_bars(suppressed_page, figure, suppressed_case, labelled, catalogue,
                                                 demo_dataset):
    indicator_id, area_id, year = suppressed_case
    assert suppressed_page.selectbox(key="vergleich_year").value == year
    fig = figure(suppressed_page, "vergleich_bars")
    bars = [trace for trace in fig["data"] if trace["type"] == "bar"]
    assert len(bars) == 1
    trace = bars[0]
    i = trace["x"].index(f"{labelled[area_id]}<br>geheim")  # the axis says why there is no bar
    assert trace["text"][i] == fmt.SUPPRESSED
    assert trace["y"][i] is None or math.isnan(trace["y"][i])  # no bar at all: neither the hidden height nor 0
    assert "geheim" in trace["hovertext"][i]
    ind = catalogue.loc[indicator_id]
    raw = demo_dataset.values.set_index(["indicator_id", "area_id", "year"]).loc[(indicator_id, area_id, year)]
    hidden = raw["numerator"] / raw["denominator"] * ind["multiplier"] if pd.notna(raw["denominator"]) \
        else raw["value"]
    hidden_text = fmt.number(hidden, int(ind["decimals"]))
    assert hidden_text not in trace["hovertext"][i]
    assert not any(math.isclose(y, hidden) for y in trace["y"] if y is not None and hidden != 0)
    errors = trace["error_y"]  # no whisker either: not even a zero-width one
    assert all(e is None or math.isnan(e) for e in (errors["array"][i], errors["arrayminus"][i]))


def test_suppressed_value_in_table_and_time_series(suppressed_page, figure, suppressed_case, labelled, catalogue):
    indicator_id, area_id, year = suppressed_case
    name = labelled[area_id]
    table = suppressed_page.dataframe[0].value.set_index("Gebiet")
    assert table.at[name, "Wert"] == fmt.SUPPRESSED
    assert table.at[name, "Differenz"] == fmt.SUPPRESSED
    assert table.at[name, "Bewertung"] == "geheim"
    fig = figure(suppressed_page, "vergleich_lines")
    line = [trace for trace in fig["data"] if trace["name"] == name][0]
    i = line["x"].index(year)
    assert line["y"][i] is None or math.isnan(line["y"][i])
    assert line["hovertext"][i] == f"{name} {year}: {fmt.SUPPRESSED}"


# --- interaction and URL state -----------------------------------------------------------------------------------

def test_single_indicators_instead_of_a_topic(open_page, figure, catalogue):
    at = open_page(PAGE, gebiet=CHOSEN, thema=TOPIC)
    at.button_group(key="vergleich_how").set_value("list").run()
    at.multiselect(key="vergleich_list").set_value(["kinderarmut", "uebergang_gym", "wahlbeteiligung"]).run()
    assert not at.exception
    bars = [t for t in figure(at, "vergleich_bars")["data"] if t["type"] == "bar"]
    assert len(bars) == 3
    assert len(at.dataframe[0].value) == 3 * len(CHOSEN)
    assert dict(at.query_params)["indikatoren"] == ["kinderarmut", "uebergang_gym", "wahlbeteiligung"]
    assert "thema" not in at.query_params


def test_selected_areas_carry_over_between_pages(open_page):
    at = open_page(PAGE, gebiet=["303", "405"])
    at.switch_page("pages/1_Karte.py").run()
    assert not at.exception
    assert dict(at.query_params)["gebiet"] == ["303", "405"]
    at.query_params.clear()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.multiselect(key="vergleich_areas").value == ["303", "405"]


def test_link_after_clicking_reproduces_the_view(open_page, figure, catalogue):
    """Every choice on the page is in the link: opened fresh, it shows the same widgets and figures."""
    at = open_page(PAGE, gebiet=CHOSEN, thema=TOPIC)
    at.selectbox(key="vergleich_topic").set_value("bildung").run()
    years = [int(y) for y in at.selectbox(key="vergleich_year").options]
    at.selectbox(key="vergleich_year").set_value(years[2]).run()
    at.selectbox(key="vergleich_focus").set_value(CHOSEN[1]).run()
    x_topic = at.selectbox(key="scatter_x_topic").value
    at.selectbox(key="scatter_y_topic").set_value(x_topic).run()
    x_id = at.selectbox(key="scatter_x_indicator").value
    y_id = next(i for i in catalogue.index[catalogue["topic"] == x_topic] if i != x_id)
    at.selectbox(key="scatter_y_indicator").set_value(y_id).run()
    at.selectbox(key="scatter_level").set_value(1).run()
    at.session_state["vergleich_tab"] = "Streudiagramm"
    at.run()
    assert not at.exception
    assert dict(at.query_params)["ansicht"] == "streuung"
    link = dict(at.query_params)
    fresh = open_page(PAGE, **link)
    assert not fresh.exception
    for key in ["vergleich_topic", "vergleich_year", "vergleich_focus",
                "scatter_x_indicator", "scatter_y_indicator", "scatter_level"]:
        assert fresh.selectbox(key=key).value == at.selectbox(key=key).value, key
    assert fresh.multiselect(key="vergleich_areas").value == CHOSEN
    for key in ["vergleich_bars", "vergleich_lines", "vergleich_spine", "vergleich_scatter"]:
        # compared as JSON text: gaps in a series are NaN, and NaN != NaN
        assert json.dumps(figure(fresh, key), sort_keys=True) == json.dumps(figure(at, key), sort_keys=True), key


def headline_shares(catalogue) -> list[str]:
    return list(catalogue.index[catalogue["headline"].astype(bool) & (catalogue["value_type"] == "proportion")
                                & catalogue["last_year"].notna()])


def test_invalid_axis_in_link_falls_back_to_the_page_default(open_page, catalogue):
    """A mistyped x/y in a shared link gives the page's defaults: the catalogue's first two headline shares
    (not the first indicator, a population count, and not ids of the demo)."""
    at = open_page(PAGE, gebiet=CHOSEN, x="gibtsnicht", y="auchnicht")
    assert not at.exception
    first, second = headline_shares(catalogue)[:2]
    assert at.selectbox(key="scatter_x_indicator").value == first
    assert at.selectbox(key="scatter_y_indicator").value == second
    assert first != second


def test_invalid_areas_in_link_are_dropped(open_page, areas):
    at = open_page(PAGE, gebiet=["gibtsnicht", "101", "303"], thema="nix")
    assert not at.exception
    assert at.multiselect(key="vergleich_areas").value == ["101", "303"]
    assert dict(at.query_params)["gebiet"] == ["101", "303"]
    assert at.selectbox(key="vergleich_topic").value == TOPIC


# --- count indicators --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def population_page(open_page, catalogue):
    counts = catalogue[catalogue["value_type"] == "count"]
    at = open_page(PAGE, gebiet=CHOSEN, indikatoren=list(counts["indicator_id"][:1]) + ["sgb2_quote"])
    assert not at.exception
    return at


def test_bars_of_a_count_have_no_city_total_line(population_page, figure, catalogue, store):
    """An area's count against the city total says nothing (the spine chart leaves counts out for that reason),
    and a city line at the total squeezes the area bars to a sliver."""
    fig = figure(population_page, "vergleich_bars")
    count = catalogue[catalogue["value_type"] == "count"].iloc[0]
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    assert len(bars) == 2
    count_axis = bars[0]["yaxis"]  # the count comes first, as listed in the link
    assert f"{count['short_name']}" in [a["text"] for a in fig["layout"]["annotations"]]
    lines_on_count = [s for s in fig["layout"].get("shapes", []) if s.get("yref") == count_axis]
    assert not lines_on_count, f"city line at {lines_on_count[0].get('y0')} drawn on the {count['short_name']} bars"
    assert [s for s in fig["layout"].get("shapes", []) if s.get("yref") == bars[1]["yaxis"]], \
        "the proportion keeps its city line"


def test_bar_hover_without_interval_does_not_show_dashes(population_page, figure):
    fig = figure(population_page, "vergleich_bars")
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    assert not any("– – –" in text for trace in bars for text in trace["hovertext"])
