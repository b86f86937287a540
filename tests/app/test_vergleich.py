"""Vergleich: bars with intervals, time series, table, one area's overview and the scatter, against the store."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from sozialdash import fmt
from sozialdash.analysis.gaps import NOT_DELIVERED
from sozialdash.glossary import missing_text

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
    return {a: row.name if row.level == 0 else f"{row.name} ({levels[row.level]})"
            for a, row in zip(areas.index, areas.itertuples())}


def one_line(categories: list[str]) -> list[str]:
    """Axis categories put the level (and a gap word) on lines of their own."""
    return [c.replace("<br>", " ") for c in categories]


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
        assert one_line(trace["x"]) == names
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
    i = one_line(trace["x"]).index(f"{labelled[area_id]} geheim")  # the axis says why there is no bar
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


@pytest.fixture(scope="module")
def base_link(catalogue) -> dict:
    return dict(gebiet=CHOSEN, thema=TOPIC, jahr=str(int(catalogue["last_year"].max())), profil=CHOSEN[0],
                x="sgb2_quote", y="kinderarmut", ebene="2")


@pytest.mark.parametrize("param, value, key", [
    ("jahr", "earlier", "vergleich_bars"),
    ("jahr", "earlier", "vergleich_spine"),
    ("jahr", "earlier", "vergleich_scatter"),
    ("gebiet", CHOSEN[::-1], "vergleich_bars"),
    ("gebiet", CHOSEN[::-1], "vergleich_lines"),
    ("gebiet", CHOSEN + ["304"], "vergleich_scatter"),
    ("thema", "bildung", "vergleich_bars"),
    ("thema", "bildung", "vergleich_lines"),
    ("profil", CHOSEN[1], "vergleich_spine"),
    ("x", "arbeitslosigkeit", "vergleich_scatter"),
    ("y", "arbeitslosigkeit", "vergleich_scatter"),
    ("ebene", "1", "vergleich_scatter"),
    ("jahr", "earlier", "table"),
    ("gebiet", CHOSEN[::-1], "table"),
    ("thema", "bildung", "table"),
])
def test_a_shared_result_follows_every_choice_it_shows(open_page, figure, base_link, param, value, key):
    """Figures and the table are shared between sessions under the view they show (``ui.shared``): a choice
    missing from that view would hand what the view opened before showed to this one."""
    def shown(at) -> str:
        if key == "table":
            return at.dataframe[0].value.to_json(force_ascii=False)
        return json.dumps(figure(at, key), sort_keys=True)

    first = open_page(PAGE, **base_link)
    changed = {**base_link, param: str(int(base_link["jahr"]) - 3) if value == "earlier" else value}
    second = open_page(PAGE, **changed)
    assert not first.exception and not second.exception
    assert dict(second.query_params)[param] == changed[param]  # the page took the changed choice
    assert shown(second) != shown(first)


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


# --- intervals, levels, German axes, readable text ---------------------------------------------------------------

@pytest.fixture(scope="module")
def no_interval_page(open_page):
    """A mean (no interval by definition) next to a share with Wilson intervals, for a Sozialraum and a
    Stadtteil."""
    at = open_page(PAGE, gebiet=["2", "303"], indikatoren=["einkommen", "sgb2_quote"])
    assert not at.exception
    return at


def test_bars_without_an_interval_get_no_whisker(no_interval_page, figure, catalogue):
    bars = [t for t in figure(no_interval_page, "vergleich_bars")["data"] if t["type"] == "bar"]
    mean, share = bars
    assert not mean.get("error_y", {}).get("array"), "a mean has no interval: no whisker, not a zero-width one"
    assert all(e is not None and e > 0 for e in share["error_y"]["array"] + share["error_y"]["arrayminus"])
    note = [shown(c.value) for c in no_interval_page.caption if "Ohne Vertrauensbereich" in c.value]
    assert len(note) == 1
    assert f"{catalogue.at['einkommen', 'short_name']} (Durchschnitt: kein Intervall)" in note[0]
    assert catalogue.at["sgb2_quote", "short_name"] not in note[0]


def test_every_label_names_the_level(no_interval_page, figure, store, labelled):
    levels = store.run("area_levels").set_index("level")["label"]
    expected = [labelled["2"], labelled["303"]]
    assert expected[0].endswith(f"({levels[1]})") and expected[1].endswith(f"({levels[2]})")
    for trace in [t for t in figure(no_interval_page, "vergleich_bars")["data"] if t["type"] == "bar"]:
        assert one_line(trace["x"]) == expected
    legend = {t["name"] for t in figure(no_interval_page, "vergleich_lines")["data"]}
    assert set(expected) <= legend
    assert list(dict.fromkeys(no_interval_page.dataframe[0].value["Gebiet"])) == expected
    assert no_interval_page.multiselect(key="vergleich_areas").format_func("2") == expected[0]


def test_table_says_not_comparable_where_there_is_no_judgement(no_interval_page, catalogue):
    table = no_interval_page.dataframe[0].value
    means = table[table["Indikator"] == catalogue.at["einkommen", "short_name"]]
    assert set(means["Bewertung"]) == {fmt.NOT_COMPARABLE}
    assert not means["Wert"].isin([fmt.MISSING, fmt.SUPPRESSED]).any()


def test_count_difference_is_not_comparable(population_page, catalogue):
    count = catalogue[catalogue["value_type"] == "count"].iloc[0]
    table = population_page.dataframe[0].value
    rows = table[table["Indikator"] == count["short_name"]]
    assert set(rows["Differenz"]) == {fmt.NOT_COMPARABLE}


@pytest.mark.parametrize("key", ["vergleich_bars", "vergleich_lines", "vergleich_spine", "vergleich_scatter"])
def test_axes_are_german_and_text_is_large(vergleich, figure, key):
    """'35.000' rather than '35k': German separators, no SI suffix; base text >= 16 px, ticks >= 15 px, dark."""
    layout = figure(vergleich, key)["layout"]
    assert layout["separators"] == ",."
    assert layout["font"]["size"] >= 16 and layout["font"]["color"] == "#222222"
    axes = [value for name, value in layout.items() if name.startswith(("xaxis", "yaxis"))]
    assert axes
    for axis in axes:
        assert axis["exponentformat"] == "none" and axis["separatethousands"] is True
        assert axis["tickfont"]["size"] >= 15


def test_time_series_ticks_on_the_years_with_data(vergleich, figure):
    fig = figure(vergleich, "vergleich_lines")
    years = sorted({int(y) for trace in fig["data"] for y in trace["x"]})
    axes = [value for name, value in fig["layout"].items() if name.startswith("xaxis")]
    for axis in axes:
        assert axis["tickvals"] == years
        labelled_years = [t for t in axis["ticktext"] if t]
        assert labelled_years[-1] == str(years[-1]) and "." not in "".join(labelled_years)


def test_bars_and_spine_have_a_key_of_the_judgement_colours(vergleich, figure):
    from sozialdash.views.colors import JUDGEMENT_COLOURS, JUDGEMENT_LEGEND_LABELS

    bars = figure(vergleich, "vergleich_bars")
    drawn = {c for t in bars["data"] if t["type"] == "bar" for c, y in zip(t["marker"]["color"], t["y"])
             if y is not None and not math.isnan(y)}
    key = {t["name"]: t["marker"]["color"] for t in bars["data"] if t.get("showlegend")}
    assert set(key.values()) == drawn
    assert all(JUDGEMENT_COLOURS[code] == colour for name, colour in key.items()
               for code, label in JUDGEMENT_LEGEND_LABELS.items() if label == name)
    spine = figure(vergleich, "vergleich_spine")
    dots = [t for t in spine["data"] if t["type"] == "scatter" and not t.get("showlegend")][0]
    spine_key = {t["marker"]["color"] for t in spine["data"] if t.get("showlegend")}
    assert spine_key == set(dots["marker"]["color"])


# --- correlation -------------------------------------------------------------------------------------------------

def test_few_areas_give_no_correlation(open_page, store):
    """Six Sozialräume: r would be printed with two decimals and mean nothing."""
    count = int((store.run("areas")["level"] == 1).sum())
    assert count < 8
    at = open_page(PAGE, gebiet=CHOSEN, ebene=1)
    assert not at.exception
    text = [c.value for c in at.caption if "Korrelation" in c.value or "Pearson" in c.value]
    assert len(text) == 1
    assert f"Zu wenige Gebiete (n = {count}) für eine aussagekräftige Korrelation" in text[0]
    assert "Pearson" not in text[0] and "Spearman" not in text[0]


# --- spine: what it leaves out -----------------------------------------------------------------------------------

def test_spine_names_the_rows_it_leaves_out(vergleich, catalogue):
    counts = catalogue.loc[catalogue["value_type"] == "count", "short_name"]
    note = [shown(c.value) for c in vergleich.caption if c.value.startswith("Nicht im Überblick")]
    assert len(note) == 1
    assert all(name in note[0] for name in counts)


# --- tabs in the URL ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "label"), [("zeitreihen", "Zeitreihen"), ("ueberblick", "Überblick eines Gebiets"),
                                              ("gibtsnicht", "Balken mit Vertrauensbereich")])
def test_the_link_opens_its_tab(open_page, value, label):
    at = open_page(PAGE, gebiet=CHOSEN, thema=TOPIC, ansicht=value)
    assert not at.exception
    assert at.session_state["vergleich_tab"] == label
    assert dict(at.query_params)["ansicht"] == (value if value != "gibtsnicht" else "balken")


def test_switching_tabs_updates_the_link(open_page):
    at = open_page(PAGE, gebiet=CHOSEN, thema=TOPIC)
    assert dict(at.query_params)["ansicht"] == "balken"  # written explicitly, also the default
    at.session_state["vergleich_tab"] = "Tabelle"
    at.run()
    assert dict(at.query_params)["ansicht"] == "tabelle"
    assert at.dataframe, "the other tabs keep their content"


# --- the indicator carried from the Karte ------------------------------------------------------------------------

def _with_session(params: dict, **session):
    """Open the page with something already in the session, as after a visit to another page."""
    from streamlit.testing.v1 import AppTest

    from .conftest import ROOT, TIMEOUT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.switch_page(PAGE)
    for key, value in session.items():
        at.session_state[key] = value
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_carried_indicator_opens_its_topic_and_the_scatter_x(catalogue):
    from sozialdash.ui import state

    carried = "uebergang_gym"
    at = _with_session({"gebiet": CHOSEN}, **{state.SELECTED_INDICATOR: carried})
    assert not at.exception
    assert at.selectbox(key="vergleich_topic").value == catalogue.at[carried, "topic_id"]
    assert at.selectbox(key="scatter_x_indicator").value == carried
    assert at.selectbox(key="scatter_y_indicator").value != carried
    assert dict(at.query_params)["thema"] == catalogue.at[carried, "topic_id"]


def test_a_link_with_a_topic_wins_over_the_carried_indicator():
    from sozialdash.ui import state

    at = _with_session({"gebiet": CHOSEN, "thema": TOPIC}, **{state.SELECTED_INDICATOR: "uebergang_gym"})
    assert not at.exception
    assert at.selectbox(key="vergleich_topic").value == TOPIC


def test_an_unknown_carried_indicator_is_ignored(catalogue):
    from sozialdash.ui import state

    at = _with_session({"gebiet": CHOSEN}, **{state.SELECTED_INDICATOR: "gibtsnicht"})
    assert not at.exception
    assert at.selectbox(key="scatter_x_indicator").value == headline_shares(catalogue)[0]


# --- the selection limit -----------------------------------------------------------------------------------------

def test_a_german_caption_at_the_selection_limit(open_page, areas):
    eight = list(areas.index[areas["level"] == 2][:8])
    at = open_page(PAGE, gebiet=eight, thema=TOPIC)
    assert not at.exception
    assert any("Höchstens 8 Gebiete" in c.value for c in at.caption)
    fewer = open_page(PAGE, gebiet=eight[:3], thema=TOPIC)
    assert not any("Höchstens 8 Gebiete" in c.value for c in fewer.caption)


# --- a city's messier data: long names, published shares without counts, areas without values -----------------

LONG = "Quartier am alten Güterbahnhof zwischen Hafenkante, Werftgelände und der ehemaligen Kaserne " * 3
PUBLISHED = "quote_veroeffentlicht"
EMPTY_AREA = "104"  # a Stadtteil without any value


@pytest.fixture(scope="module")
def messy_db(tmp_path_factory, demo_dataset):
    """The demo with two 300-character names that share their start, a share published for some areas only
    (no numerator, so no interval) and one Stadtteil without any value."""
    import dataclasses

    from sozialdash.build import build_store

    areas = demo_dataset.areas.copy()
    areas.loc[areas["area_id"] == "101", "name"] = (LONG + "Nordteil")[:300]
    areas.loc[areas["area_id"] == "102", "name"] = (LONG + "Südteil")[:300]
    indicators = demo_dataset.indicators
    published = indicators[indicators["indicator_id"] == "sgb2_quote"].assign(
        indicator_id=PUBLISHED, name="Quote laut Sozialbericht", short_name="Quote (Bericht)",
        aggregation="none", numerator_definition=None, denominator_definition=None, headline=False,
        sort=indicators["sort"].max() + 1)
    values = demo_dataset.values[demo_dataset.values["area_id"] != EMPTY_AREA]
    extra = pd.DataFrame({
        "indicator_id": PUBLISHED, "area_id": ["0", "1", "101", "102"], "year": 2025,
        "value": [12.0, 14.5, 9.8, 21.3], "numerator": np.nan, "denominator": np.nan, "source_suppressed": False,
    })
    dataset = dataclasses.replace(demo_dataset, areas=areas, indicators=pd.concat([indicators, published]),
                                  values=pd.concat([values, extra], ignore_index=True))
    path = tmp_path_factory.mktemp("messy") / "messy.duckdb"
    build_store(dataset, out=path)
    return path


@pytest.fixture
def messy(messy_db, monkeypatch, open_page):
    monkeypatch.setenv("SOZIALDASH_DB", str(messy_db))

    def opened(**params):
        at = open_page(PAGE, **params)
        assert not at.exception
        return at
    return opened


MESSY_AREAS = ["101", "102", "1", "303"]


def test_long_names_are_shortened_and_stay_apart(messy, figure):
    at = messy(gebiet=MESSY_AREAS, indikatoren=["sgb2_quote", PUBLISHED])
    from sozialdash.views.charts import LABEL_CHARS

    for trace in [t for t in figure(at, "vergleich_bars")["data"] if t["type"] == "bar"]:
        categories = trace["x"]
        assert len(set(categories)) == len(categories), categories
        lines = [c.split("<br>") for c in categories[:2]]
        names = [" ".join(part[:part.index("(Stadtteil)")]) for part in lines]
        assert all(len(n) <= LABEL_CHARS + 1 and fmt.ELLIPSIS in n for n in names), names
        assert names[0].endswith("Nordteil") and names[1].endswith("Südteil")  # the ends tell them apart
        assert LONG[:200] in trace["hovertext"][0] and LONG[:200] in trace["hovertext"][1]
    legend = [t["name"] for t in figure(at, "vergleich_lines")["data"] if t.get("showlegend")]
    assert len(set(legend)) == len(legend) and all(len(n) < LABEL_CHARS + 20 for n in legend)


def test_published_share_without_counts_has_no_whisker_and_is_named(messy, figure):
    at = messy(gebiet=MESSY_AREAS, indikatoren=["sgb2_quote", PUBLISHED])
    share, published = [t for t in figure(at, "vergleich_bars")["data"] if t["type"] == "bar"]
    assert all(e > 0 for e in share["error_y"]["array"][:2])
    assert "error_y" not in published or not published["error_y"].get("array")
    note = [shown(c.value) for c in at.caption if "Ohne Vertrauensbereich" in c.value]
    assert len(note) == 1 and "Quote (Bericht) bei" in note[0] and "Zähler und Nenner" in note[0]
    assert "Sozialraum" in note[0]  # Mitte (Sozialraum) has a published value without interval


def test_areas_without_a_value_keep_their_place(messy, figure):
    at = messy(gebiet=MESSY_AREAS, indikatoren=["sgb2_quote", PUBLISHED])
    published = [t for t in figure(at, "vergleich_bars")["data"] if t["type"] == "bar"][1]
    assert len(published["x"]) == len(MESSY_AREAS)
    assert published["x"][3].endswith(f"<br>{fmt.MISSING}")  # 303 has no published value
    table = at.dataframe[0].value
    assert len(table) == 2 * len(MESSY_AREAS)
    row = table[(table["Indikator"] == "Quote (Bericht)")].iloc[3]
    # 303 is a Stadtteil of the finest level: the source did not deliver its value, and the table says so
    assert (row["Wert"], row["Differenz"], row["Bewertung"]) == (
        missing_text(NOT_DELIVERED), fmt.MISSING, fmt.MISSING)


def test_an_indicator_without_values_for_the_areas_is_listed(messy):
    at = messy(gebiet=["303", "405"], indikatoren=["sgb2_quote", PUBLISHED])
    table = at.dataframe[0].value
    assert list(table.loc[table["Indikator"] == "Quote (Bericht)", "Wert"]) == [missing_text(NOT_DELIVERED)] * 2


def test_spine_without_comparable_rows_says_why(messy):
    at = messy(gebiet=[EMPTY_AREA, "303"], thema=TOPIC)
    assert not [el for el in at.get("plotly_chart") if el.proto.id.endswith("-vergleich_spine")]
    info = [shown(i.value) for i in at.info if "im Überblick zeigen" in i.value]
    assert len(info) == 1
    assert f"Wert des Gebiets: {fmt.MISSING}" in info[0]


def test_every_chart_has_the_camera_at_twice_its_size_under_a_german_file_name(vergleich):
    """plotly's camera saves a chart in the browser; its config names the file and doubles the size."""
    configs = {el.proto.id.rsplit("-", 1)[-1]: json.loads(el.proto.config) for el in vergleich.get("plotly_chart")}
    assert {"vergleich_bars", "vergleich_lines", "vergleich_spine", "vergleich_scatter"} <= set(configs)
    for key, config in configs.items():
        options = config["toImageButtonOptions"]
        assert options["format"] == "png" and options["scale"] == 2, key
        assert options["filename"].startswith("musterstadt_demo_vergleich_"), key
        assert config.get("displayModeBar") is not False, key
