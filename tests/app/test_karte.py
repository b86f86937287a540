"""Karte: one indicator on the map (the map element of sozialdash/ui/area_map.py) with its ranked table, in value,
judgement and change mode."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pandas as pd
import pytest
import shapely
from PIL import Image

from sozialdash import fmt
from sozialdash.analysis.classify import SCHEME_LABELS
from sozialdash.ui.karte import COMPARATORS, KarteChoice, map_view, png
from sozialdash.views.colors import CHOSEN, JUDGEMENT_COLOURS, NO_DATA, SECRET_FILL, hex_to_rgba, ramp
from sozialdash.views.tables import csv_bytes

from .conftest import shown

PAGE = "pages/1_Karte.py"
URL = {"indikator": "kinderarmut", "jahr": "2025", "ebene": "2"}
URL_KEYS = ["indikator", "jahr", "ebene", "darstellung", "klassen", "anzahl", "namen"]


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(hex_to_rgba(colour)[:3])


def url(at) -> dict:
    """The page's URL after the run: one string per key, a list for repeated keys."""
    return dict(at.query_params)


def tooltip_of(spec, area_id: str) -> str:
    texts = {row["tooltip"] for row in spec.polygons if row["area_id"] == area_id}
    assert len(texts) == 1, f"area {area_id} should have one tooltip, has {texts}"
    return texts.pop()


@pytest.fixture(scope="module")
def karte(open_page):
    at = open_page(PAGE, **URL)
    assert not at.exception
    return at


@pytest.fixture(scope="module")
def stadtteile(areas) -> pd.DataFrame:
    return areas[areas["level"] == 2]


@pytest.fixture(scope="module")
def suppressed_case(store) -> tuple[int, str]:
    """The latest year in which some Stadtteil's Kinderarmut is suppressed, and that Stadtteil."""
    years = [int(y) for y in store.run("indicator_years", indicator="kinderarmut")["year"]]
    for year in years:  # newest first
        values = store.run("level_values", indicator="kinderarmut", year=year, level=2)
        hidden = values[values["suppression"].notna()].sort_values("suppression")  # "primary" first: a real count
        if len(hidden):
            return year, str(hidden["area_id"].iloc[0])
    pytest.fail("the demo store has no suppressed Kinderarmut value on the Stadtteil level")


# --- value mode, deep link ---------------------------------------------------------------------------------------

def test_subheader_names_indicator_and_year(karte, catalogue):
    name = catalogue.at["kinderarmut", "short_name"]
    assert name == "Kinderarmut U15"
    assert f"{name} 2025" in [s.value for s in karte.subheader]


def test_a_long_title_is_cut_to_one_line(open_page, catalogue):
    """The longest judgement title of the demo stays on one line above the map (the full name is in the
    definition popover)."""
    longest = catalogue["short_name"].str.len().idxmax()
    at = open_page(PAGE, indikator=longest, darstellung="judgement", ebene="2", vergleich="judgement_parent")
    title = shown(at.subheader[0].value)
    assert len(title) <= 60 and title.startswith(fmt.shorten(catalogue.at[longest, "short_name"], 60)[:20])
    assert catalogue.at[longest, "name"] in shown(" ".join(c.value for c in at.main.caption))


def test_widgets_follow_the_url(karte):
    assert karte.selectbox(key="karte_indicator").value == "kinderarmut"
    assert karte.selectbox(key="karte_year_kinderarmut").value == 2025
    assert karte.selectbox(key="karte_level").value == 2


def test_caption_states_level_and_city_value(karte, store, catalogue):
    ind = catalogue.loc["kinderarmut"]
    city = store.run("city_value", indicator="kinderarmut", year=2025)["value"].iloc[0]
    expected = f"Stadtteile · Gesamtstadt: {fmt.with_unit(city, int(ind['decimals']), ind['unit'])}"
    assert any(c.value.startswith(expected) for c in karte.caption)


def test_polygon_layer_has_one_polygon_per_stadtteil_part(karte, drawn, store, stadtteile):
    spec = drawn(karte)
    shapes = store.run("area_shapes", level=2)
    parts = sum(len(shapely.get_parts(shapely.from_wkb(bytes(wkb)))) for wkb in shapes["display_wkb"])
    rows = spec.polygons
    assert len(rows) == parts >= len(stadtteile)
    assert {row["area_id"] for row in rows} == set(stadtteile["area_id"])


def test_tooltips_show_store_values_german_formatted(karte, drawn, store, catalogue):
    spec = drawn(karte)
    ind = catalogue.loc["kinderarmut"]
    values = store.run("level_values", indicator="kinderarmut", year=2025, level=2)
    for row in values[values["suppression"].isna()].itertuples():
        lines = tooltip_of(spec, row.area_id).split("\n")
        assert lines[0] == row.name
        assert lines[1] == f"{ind['short_name']}: {fmt.with_unit(row.value, int(ind['decimals']), ind['unit'])}"
        assert lines[2] == f"{fmt.number(row.numerator)} von {fmt.number(row.denominator)}"


def test_fills_come_from_the_value_ramp(karte, drawn, catalogue):
    spec = drawn(karte)
    k = int(karte.slider(key="karte_k").value)
    allowed = {rgb(c) for c in ramp(k, catalogue.at["kinderarmut", "polarity"])} | {rgb(NO_DATA), rgb(SECRET_FILL)}
    fills = {tuple(row["fill"][:3]) for row in spec.polygons}
    assert fills <= allowed
    assert len(fills) > 2


def test_text_layer_names_every_stadtteil_with_umlauts(karte, drawn, stadtteile):
    spec = drawn(karte)
    names = {row["name"] for row in spec.labels}
    assert names == set(stadtteile["name"])
    assert any(re.search("[äöüÄÖÜß]", name) for name in names)


def test_no_text_layer_when_names_are_off(open_page, drawn):
    at = open_page(PAGE, **URL, namen="0")
    assert not at.exception
    spec = drawn(at)
    assert not spec.labels and spec.data["labels"] is False
    assert url(at)["namen"] == "0"


def test_map_is_offline_no_basemap(karte, drawn):
    """No basemap, no style, no address: the view and the shapes hold only our data (the browser module is
    served by the app itself; tests/browser checks that no request leaves it)."""
    spec = drawn(karte)
    texts = [spec.raw] + [json.dumps(header, default=str) for header in spec.shapes.values()]
    for text in texts:
        assert not re.search(r"carto|mapbox|maplibre|https?://|mapStyle", text, flags=re.IGNORECASE)


def test_ranked_table_has_a_row_per_stadtteil(karte, store, catalogue, stadtteile):
    table = karte.dataframe(key="karte_table").value
    assert len(table) == len(stadtteile)
    values = store.run("level_values", indicator="kinderarmut", year=2025, level=2)
    ind = catalogue.loc["kinderarmut"]
    top = values.loc[values["value"].idxmax()]
    assert table["Gebiet"].iloc[0] == top["name"]
    assert table["Wert"].iloc[0] == fmt.with_unit(top["value"], int(ind["decimals"]), ind["unit"])
    assert table["Rang"].iloc[0] == "1"


def test_url_contains_every_parameter(karte):
    params = url(karte)
    for key in URL_KEYS:
        assert key in params, f"{key} missing from the URL {params}"
    assert params["indikator"] == "kinderarmut"
    assert params["jahr"] == "2025"
    assert params["ebene"] == "2"
    assert params["darstellung"] == "value"
    assert params["klassen"] == "quantiles"
    assert params["anzahl"] == "5"
    assert params["namen"] == "1"


def test_url_is_explicit_even_without_a_deep_link(open_page, catalogue):
    at = open_page(PAGE)
    assert not at.exception
    params = url(at)
    for key in URL_KEYS:
        assert key in params, f"{key} missing from the URL {params}"
    first = catalogue.iloc[0]
    assert params["indikator"] == first["indicator_id"]
    assert params["jahr"] == str(int(first["last_year"]))
    assert f"{first['short_name']} {int(first['last_year'])}" in [shown(s.value) for s in at.subheader]


# --- interaction ---------------------------------------------------------------------------------------------------

def test_changing_the_indicator_recolours_the_map(open_page, drawn, store, catalogue):
    at = open_page(PAGE, **URL)
    before = drawn(at)
    assert catalogue.at["sgb2_quote", "topic_id"] == catalogue.at["kinderarmut", "topic_id"]
    at.selectbox(key="karte_indicator").set_value("sgb2_quote").run()
    assert not at.exception
    after = drawn(at)
    ind = catalogue.loc["sgb2_quote"]
    assert f"{ind['short_name']} 2025" in [s.value for s in at.subheader]
    fills_before = [row["fill"] for row in before.polygons]
    fills_after = [row["fill"] for row in after.polygons]
    assert fills_before != fills_after
    tips = [row["tooltip"] for row in after.polygons]
    assert all(f"\n{ind['short_name']}: " in tip for tip in tips)
    assert not any(catalogue.at["kinderarmut", "short_name"] in tip for tip in tips)
    value = store.run("level_values", indicator="sgb2_quote", year=2025, level=2).set_index("area_id")
    assert f"{ind['short_name']}: {fmt.with_unit(value.at['101', 'value'], int(ind['decimals']), ind['unit'])}" \
        in tooltip_of(after, "101")
    assert url(at)["indikator"] == "sgb2_quote"


# --- suppression -------------------------------------------------------------------------------------------------

def test_suppressed_area_tooltip_shows_no_number(open_page, drawn, areas, catalogue, suppressed_case):
    year, area_id = suppressed_case
    at = open_page(PAGE, **{**URL, "jahr": str(year)})
    assert not at.exception
    spec = drawn(at)
    tip = tooltip_of(spec, area_id)
    short = catalogue.at["kinderarmut", "short_name"]
    assert tip.split("\n")[0] == areas.at[area_id, "name"]
    after_name = tip.split(f"{short}:", 1)[1]
    assert "." in after_name and "geheim" in after_name
    assert not re.search(r"\d", after_name), tip
    assert "von" not in after_name and "Rang" not in after_name


def test_suppressed_area_is_grey_and_unranked(open_page, drawn, areas, suppressed_case):
    year, area_id = suppressed_case
    at = open_page(PAGE, **{**URL, "jahr": str(year)})
    spec = drawn(at)
    fills = {tuple(row["fill"][:3]) for row in spec.polygons if row["area_id"] == area_id}
    assert fills == {rgb(SECRET_FILL)}
    table = at.dataframe(key="karte_table").value.set_index("Gebiet")
    row = table.loc[areas.at[area_id, "name"]]
    assert row["Wert"] == fmt.SUPPRESSED
    assert row["Rang"] == fmt.SUPPRESSED
    assert set(row) <= {fmt.SUPPRESSED, "geheim"}, dict(row)  # interval, judgement and trend hide too


def test_suppressed_area_raw_numbers_are_not_on_the_page(open_page, drawn, demo_dataset, store, areas, catalogue,
                                                          suppressed_case):
    """The unpublished numerator, denominator and value (from the generator) appear nowhere for that area."""
    year, area_id = suppressed_case
    generated = demo_dataset.values.set_index(["indicator_id", "area_id", "year"])
    raw = generated.loc[("kinderarmut", area_id, year)]
    published = store.run("level_values", indicator="kinderarmut", year=year, level=2).dropna(subset=["numerator"])
    some = published.iloc[0]  # the generator is the store's source: a published count matches it
    assert generated.at[("kinderarmut", some["area_id"], year), "numerator"] == some["numerator"]
    ind = catalogue.loc["kinderarmut"]
    hidden_value = fmt.with_unit(raw["numerator"] / raw["denominator"] * ind["multiplier"], int(ind["decimals"]),
                                 ind["unit"])
    at = open_page(PAGE, **{**URL, "jahr": str(year)})
    spec = drawn(at)
    tip = tooltip_of(spec, area_id)
    assert hidden_value not in tip
    assert f"{fmt.number(raw['numerator'])} von {fmt.number(raw['denominator'])}" not in tip
    row = at.dataframe(key="karte_table").value.set_index("Gebiet").loc[areas.at[area_id, "name"]]
    assert hidden_value not in " ".join(str(v) for v in row)


def test_suppressed_area_csv_has_dots(store, catalogue, suppressed_case):
    year, area_id = suppressed_case
    ind = catalogue.loc["kinderarmut"]
    first = int(ind["first_year"])
    view = map_view(store, ind, year, 2, "value", first, "quantiles", 5, True)
    data = csv_bytes(view.table, ind, year)
    assert data.startswith("\ufeff".encode())
    frame = pd.read_csv(io.BytesIO(data), sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert len(frame) == len(view.table)
    row = frame.set_index(frame["Gebiets-ID"].str.strip()).loc[area_id]
    for column in ["Wert", "Zähler", "Nenner", "KI unten", "KI oben"]:
        assert row[column] == fmt.SUPPRESSED, column
    assert row["Bewertung ggü. Gesamtstadt"] == "geheim"
    assert row["Hinweis"] == "geheim"  # the word only, never the rule that hid it


def test_csv_numbers_are_german(store, catalogue):
    ind = catalogue.loc["kinderarmut"]
    view = map_view(store, ind, 2025, 2, "value", int(ind["first_year"]), "quantiles", 5, True)
    frame = pd.read_csv(io.BytesIO(csv_bytes(view.table, ind, 2025)), sep=";", dtype=str, encoding="utf-8-sig",
                        keep_default_na=False)
    frame = frame.set_index(frame["Gebiets-ID"].str.strip())
    values = store.run("level_values", indicator="kinderarmut", year=2025, level=2).set_index("area_id")
    shown = values[values["suppression"].isna()]
    for area_id, row in shown.iterrows():
        assert frame.at[area_id, "Wert"] == fmt.number(row["value"], int(ind["decimals"])).replace(".", "")
        assert frame.at[area_id, "Zähler"] == str(int(row["numerator"]))


def test_the_png_download_sits_beside_the_csv(karte):
    labels = [el.proto.label for el in karte.get("download_button")]
    assert labels == ["Tabelle als CSV", "Karte als PNG"]


def test_the_png_is_the_map_in_its_fills_with_its_legend_title_and_chosen_area(store, catalogue, stadtteile):
    """Every fill of the view covers some of the image (interior pixels are the exact colour), the chosen area
    carries the magenta outline, and nothing else is magenta when nothing is chosen."""
    ind = catalogue.loc["kinderarmut"]
    level = store.run("area_levels").set_index("level", drop=False).loc[2]
    choice = KarteChoice(ind, 2025, level, "value", int(ind["first_year"]), "judgement_city", "quantiles", 5, True)
    view = map_view(store, ind, 2025, 2, "value", int(ind["first_year"]), "quantiles", 5, True)
    chosen, plain = (np.asarray(Image.open(io.BytesIO(png(store, choice, view, areas))).convert("RGB"))
                     for areas in (["303"], []))
    assert chosen.shape == (1000, 1600, 3)

    def share(image, colour):
        return np.all(image == rgb(colour), axis=2).mean()

    for colour in set(view.fills):
        assert share(plain, colour) > 0.001, colour
    assert share(chosen, CHOSEN) > 0 and share(plain, CHOSEN) == 0
    assert set(view.fills.index) == set(stadtteile.index)


# --- judgement and change mode -----------------------------------------------------------------------------------

def test_judgement_mode_uses_judgement_colours_only(open_page, drawn, catalogue):
    at = open_page(PAGE, **URL, darstellung="judgement")
    assert not at.exception
    spec = drawn(at)
    fills = {tuple(row["fill"][:3]) for row in spec.polygons}
    assert fills <= {rgb(c) for c in JUDGEMENT_COLOURS.values()}
    assert len(fills) >= 2
    name = catalogue.at["kinderarmut", "short_name"]
    assert f"{name} 2025: Bewertung {COMPARATORS['judgement_city']}" in [s.value for s in at.subheader]
    assert url(at)["darstellung"] == "judgement"


def test_judgement_fills_match_the_store(open_page, drawn, store):
    at = open_page(PAGE, **URL, darstellung="judgement")
    spec = drawn(at)
    values = store.run("level_values", indicator="kinderarmut", year=2025, level=2).set_index("area_id")
    for row in spec.polygons:
        judgement = values.at[row["area_id"], "judgement_city"]
        assert tuple(row["fill"][:3]) == rgb(JUDGEMENT_COLOURS.get(judgement, NO_DATA)), row["area_id"]


def test_judgement_against_parent(open_page, drawn, store):
    at = open_page(PAGE, **URL, darstellung="judgement", vergleich="judgement_parent")
    assert not at.exception
    assert any(s.value.endswith(f"Bewertung {COMPARATORS['judgement_parent']}") for s in at.subheader)
    spec = drawn(at)
    values = store.run("level_values", indicator="kinderarmut", year=2025, level=2).set_index("area_id")
    for row in spec.polygons:
        judgement = values.at[row["area_id"], "judgement_parent"]
        assert tuple(row["fill"][:3]) == rgb(JUDGEMENT_COLOURS.get(judgement, NO_DATA)), row["area_id"]


def test_change_mode_names_the_period(open_page, drawn):
    at = open_page(PAGE, **URL, darstellung="change", von="2015")
    assert not at.exception
    assert any("Veränderung 2015–2025" in s.value for s in at.subheader)
    params = url(at)
    assert params["darstellung"] == "change"
    assert params["von"] == "2015"
    table = at.dataframe(key="karte_table").value
    assert any(column.endswith("seit 2015") for column in table.columns), list(table.columns)
    drawn(at)  # a map is drawn


# --- widgets, legend, levels ---------------------------------------------------------------------------------------

def test_legend_states_classes_with_units_and_the_grey_entry(karte, store, catalogue):
    legend = karte.dataframe[0].value
    values = store.run("level_values", indicator="kinderarmut", year=2025, level=2)
    hidden = int(values["suppression"].notna().sum())
    k = int(karte.slider(key="karte_k").value)
    assert len(legend) == k + (1 if hidden else 0)
    assert sum(int(n) for n in legend["Gebiete"]) == len(values)
    assert all(text.endswith(catalogue.at["kinderarmut", "unit"]) for text in legend["Klasse"][:k])
    assert " bis " in legend["Klasse"].iloc[0]
    if hidden:
        assert legend["Klasse"].iloc[-1].startswith("geheim (.)")
        assert legend["Gebiete"].iloc[-1] == fmt.number(hidden)


def test_mode_switch_by_click(open_page, drawn):
    at = open_page(PAGE, **URL)
    at.button_group(key="karte_mode").set_value("judgement").run()
    assert not at.exception
    assert any(": Bewertung " in s.value for s in at.subheader)
    assert url(at)["darstellung"] == "judgement"
    spec = drawn(at)
    fills = {tuple(row["fill"][:3]) for row in spec.polygons}
    assert fills <= {rgb(c) for c in JUDGEMENT_COLOURS.values()}
    assert set(at.dataframe[0].value["Klasse"]) <= {"schlechter", "ähnlich", "besser", "höher", "niedriger",
                                                     "nicht vergleichbar", "geheim (.)", "keine Daten"}


def test_fewer_classes_by_slider(open_page, drawn, catalogue):
    at = open_page(PAGE, **URL)
    at.slider(key="karte_k").set_value(3).run()
    assert not at.exception
    assert url(at)["anzahl"] == "3"
    spec = drawn(at)
    allowed = {rgb(c) for c in ramp(3, catalogue.at["kinderarmut", "polarity"])} | {rgb(NO_DATA), rgb(SECRET_FILL)}
    assert {tuple(row["fill"][:3]) for row in spec.polygons} <= allowed
    assert any("3 Klassen" in c.value for c in at.caption)


def test_sozialraum_level(open_page, drawn, areas):
    at = open_page(PAGE, **{**URL, "ebene": "1"})
    assert not at.exception
    spec = drawn(at)
    sozialraeume = areas[areas["level"] == 1]
    assert {row["area_id"] for row in spec.polygons} == set(sozialraeume["area_id"])
    assert {row["name"] for row in spec.labels} == set(sozialraeume["name"])
    assert not spec.outlines and spec.data["parent"] is None  # no level above to outline
    assert len(at.dataframe(key="karte_table").value) == len(sozialraeume)
    assert any(c.value.startswith("Sozialräume · ") for c in at.caption)


def test_stadtteil_level_outlines_the_sozialraeume(karte, drawn, store):
    spec = drawn(karte)
    shapes = store.run("area_shapes", level=1)
    parts = sum(len(shapely.get_parts(shapely.from_wkb(bytes(wkb)))) for wkb in shapes["display_wkb"])
    assert len(spec.outlines) == parts


def test_invalid_deep_link_falls_back_to_valid_defaults(open_page, catalogue):
    at = open_page(PAGE, indikator="gibtsnicht", jahr="1900", ebene="9", darstellung="foo", klassen="bar",
                   anzahl="99", namen="x", von="abc")
    assert not at.exception
    params = url(at)
    assert params["indikator"] in catalogue.index
    ind = catalogue.loc[params["indikator"]]
    assert params["jahr"] == str(int(ind["last_year"]))
    assert params["ebene"] == "2"
    assert params["darstellung"] == "value"
    assert params["klassen"] == "quantiles"
    assert params["anzahl"] == "5"


def test_link_after_clicking_reproduces_the_view(open_page, drawn):
    """Click through a view, copy the URL, open it fresh: the same widgets and the same map."""
    at = open_page(PAGE)
    topic = at.selectbox(key="karte_topic").options[2]
    at.selectbox(key="karte_topic").set_value(topic).run()
    indicator = at.selectbox(key="karte_indicator").value
    years = [int(y) for y in at.selectbox(key=f"karte_year_{indicator}").options]
    at.selectbox(key=f"karte_year_{indicator}").set_value(years[3]).run()
    at.selectbox(key="karte_level").set_value(1).run()
    at.button_group(key="karte_mode").set_value("change").run()
    earliest = int(at.selectbox(key=f"karte_from_{indicator}").options[-1])
    at.selectbox(key=f"karte_from_{indicator}").set_value(earliest).run()
    at.selectbox(key="karte_scheme").set_value(list(SCHEME_LABELS)[1]).run()
    at.slider(key="karte_k").set_value(4).run()
    at.toggle(key="karte_labels").set_value(False).run()
    assert not at.exception
    assert at.selectbox(key="karte_scheme").value == list(SCHEME_LABELS)[1]
    assert any(f"Veränderung {earliest}–{years[3]}" in s.value for s in at.subheader)
    link = dict(at.query_params)
    fresh = open_page(PAGE, **link)
    assert not fresh.exception
    assert fresh.selectbox(key="karte_topic").value == topic
    for key in ["karte_indicator", f"karte_year_{indicator}", "karte_level", f"karte_from_{indicator}",
                "karte_scheme"]:
        assert fresh.selectbox(key=key).value == at.selectbox(key=key).value, key
    assert fresh.button_group(key="karte_mode").value == at.button_group(key="karte_mode").value
    assert fresh.slider(key="karte_k").value == 4
    assert fresh.toggle(key="karte_labels").value is False
    assert [s.value for s in fresh.subheader] == [s.value for s in at.subheader]
    assert drawn(fresh).raw == drawn(at).raw
    assert dict(fresh.query_params) == link


@pytest.mark.parametrize("mode", ["value", "judgement", "change"])
@pytest.mark.parametrize("value_type", ["count", "proportion", "rate", "ratio", "mean"])
def test_every_value_type_and_mode_draws_a_complete_map(open_page, drawn, catalogue, stadtteile, mode, value_type):
    ind = catalogue[catalogue["value_type"] == value_type].iloc[0]
    at = open_page(PAGE, indikator=ind["indicator_id"], ebene="2", darstellung=mode)
    assert not at.exception
    assert any(shown(s.value).startswith(ind["short_name"]) for s in at.subheader)
    spec = drawn(at)
    rows = spec.polygons
    assert {row["area_id"] for row in rows} == set(stadtteile["area_id"])
    assert all(row["tooltip"].split("\n")[0] == stadtteile.at[row["area_id"], "name"] for row in rows)
    assert not re.search(r"\bnan\b|\bNone\b", " ".join(row["tooltip"] for row in rows), flags=re.IGNORECASE)
    table = at.dataframe(key="karte_table").value
    assert len(table) == len(stadtteile)
    assert not table.isna().any().any()


def test_suppressed_children_cannot_be_recovered_from_their_parent(open_page, drawn, areas, store, suppressed_case):
    """What the map shows on both levels must not give away a small number: the Sozialraum's numerator minus
    its published Stadtteile is the suppressed Stadtteile's combined numerator, which must not be 1 to threshold."""
    year, area_id = suppressed_case
    parent = areas.at[area_id, "parent_id"]

    def counts(spec: dict) -> dict[str, int]:
        found = {}
        for row in spec.polygons:
            match = re.search(r"^([\d.]+) von ([\d.]+)$", row["tooltip"], flags=re.MULTILINE)
            if match:
                found[row["area_id"]] = int(match.group(1).replace(".", ""))
        return found

    fine = counts(drawn(open_page(PAGE, **{**URL, "jahr": str(year)})))
    coarse = counts(drawn(open_page(PAGE, **{**URL, "jahr": str(year), "ebene": "1"})))
    siblings = areas.loc[areas["parent_id"] == parent, "area_id"]
    assert area_id not in fine and parent in coarse
    residual = coarse[parent] - sum(fine[a] for a in siblings if a in fine)
    threshold = int(store.meta["suppression_threshold"])
    assert not 1 <= residual <= threshold, (
        f"{areas.at[parent, 'name']} {year}: the suppressed Stadtteile "
        f"{sorted(set(siblings) - set(fine))} together have {residual} case(s), readable from the map")


def test_chosen_areas_are_outlined_and_linked_to_the_comparison(open_page, drawn):
    at = open_page(PAGE, **URL)
    at.multiselect(key="karte_areas").set_value(["303", "405"]).run()
    assert not at.exception
    spec = drawn(at)
    assert spec.chosen == ["303", "405"]
    assert at.query_params["gebiet"] == ["303", "405"]
    link = [p for p in at.get("page_link") if p.proto.label == "Auswahl vergleichen"][0]
    assert not link.proto.disabled
    assert link.proto.query_string == "gebiet=303&gebiet=405"


# --- on a beamer, and as people move between pages ----------------------------------------------------------------

def test_controls_sit_in_the_sidebar_and_the_definition_in_a_popover(karte, catalogue):
    sidebar_keys = {w.key for w in karte.sidebar.selectbox}
    assert {"karte_topic", "karte_indicator", "karte_level"} <= sidebar_keys
    assert not [w for w in karte.main.selectbox if w.key and w.key.startswith("karte_")]
    definition = shown(" ".join(c.value for c in karte.main.caption))
    assert catalogue.loc["kinderarmut", "definition"] in definition


def test_change_from_the_first_year_says_why_instead_of_an_empty_map(open_page, drawn, catalogue):
    first = int(catalogue.loc["kinderarmut", "first_year"])
    at = open_page(PAGE, **URL, darstellung="change")
    at.selectbox(key="karte_year_kinderarmut").set_value(first).run()
    assert not at.exception
    assert [w.value for w in at.warning] == [
        f"Für {first}, das erste Jahr mit Werten, gibt es keine Veränderung. Bitte ein späteres Jahr wählen."]
    assert not at.get("bidi_component")
    assert dict(at.query_params)["jahr"] == str(first)


def test_the_sidebar_link_brings_back_the_last_view(open_page):
    at = open_page(PAGE, indikator="sgb2_quote", jahr="2019", ebene="1", darstellung="judgement")
    at.switch_page("app.py").run()
    at.switch_page(PAGE).run()  # the sidebar link: no parameters
    assert not at.exception
    assert at.selectbox(key="karte_indicator").value == "sgb2_quote"
    assert at.selectbox(key="karte_level").value == 1
    assert at.button_group(key="karte_mode").value == "judgement"
    assert dict(at.query_params)["jahr"] == "2019"


def test_back_after_a_click_on_the_map_brings_back_the_last_view(open_page):
    """Back lands on ``/Karte?profil=<id>`` (what ``st.switch_page`` leaves behind): the view still comes back."""
    at = open_page(PAGE, indikator="sgb2_quote", jahr="2019", ebene="1")
    at.switch_page("pages/3_Profil.py").run()
    at.switch_page(PAGE)
    at.query_params["profil"] = "101"
    at.run()
    assert at.selectbox(key="karte_indicator").value == "sgb2_quote"
    assert dict(at.query_params)["jahr"] == "2019"
    assert "profil" not in dict(at.query_params)


def test_the_chosen_indicator_opens_the_vergleich(open_page):
    at = open_page(PAGE, indikator="kinderarmut", jahr="2025", ebene="2")
    at.switch_page("pages/2_Vergleich.py").run()
    assert not at.exception
    assert at.session_state["selected_indicator"] == "kinderarmut"
    assert at.selectbox(key="scatter_x_indicator").value == "kinderarmut"


def test_map_labels_are_shortened_and_collide_on_the_client(karte, drawn, stadtteile):
    spec = drawn(karte)
    priorities = [row["priority"] for row in spec.labels]
    assert len(set(priorities)) == len(stadtteile) and max(priorities) <= 1000 and min(priorities) >= -1000
    assert spec.data["collision_scale"] > 2
    assert spec.data["controller"]["scrollZoom"] is False
