"""Pure view builders: data strings stay data, secret changes stay secret."""

import io
import re

import numpy as np
import pandas as pd
import shapely
import pytest

from sozialdash import fmt
from sozialdash.analysis.classify import Classification
from sozialdash.views import choropleth, colors, maps, tables
from tests.map_payload import decode_shapes
from tests.excel import excel_general, excel_rows

IND = pd.Series({"indicator_id": "x", "name": "=Indikator", "short_name": "Anteil", "unit": "%", "decimals": 1,
                 "value_type": "proportion"})


def area_table(**overrides) -> pd.DataFrame:
    row = {"area_id": "1", "name": "@@=alert(1)", "value": 20.0, "numerator": 20.0, "denominator": 100.0,
           "ci_low": 13.0, "ci_high": 29.0, "suppression": None, "judgement_city": "worse",
           "judgement_parent": "similar", "rank": 1.0, "diff_city": 5.0, "trend": 2.0, "first_value": 18.0,
           "first_suppression": None, "has_children": False}
    row.update(overrides)
    return pd.DataFrame([row])


def test_shapes_payload_keeps_parts_holes_names_and_order():
    """A polygon with a hole and a two-part area survive the bytes (float32: within a metre), in the order of
    the ids, with their names and label points."""
    holed = shapely.Polygon([(9.0, 54.0), (9.1, 54.0), (9.1, 54.1), (9.0, 54.1)],
                            [[(9.02, 54.02), (9.04, 54.02), (9.04, 54.04), (9.02, 54.04)]])
    parted = shapely.MultiPolygon([shapely.box(9.2, 54.0, 9.3, 54.05), shapely.box(9.35, 54.0, 9.4, 54.05)])
    frame = pd.DataFrame({"area_id": ["010", "002"], "name": ["Mürwik <b>", "Weiche"],
                          "label_lon": [9.05, 9.25], "label_lat": [54.05, 54.02],
                          "display_wkb": [shapely.to_wkb(holed), shapely.to_wkb(parted)]})
    header = decode_shapes(maps.shape_payload("k:2", frame))
    assert header["key"] == "k:2" and header["ids"] == ["010", "002"] and header["names"] == ["Mürwik <b>", "Weiche"]
    assert header["label_points"] == [[9.05, 54.05], [9.25, 54.02]]
    # The room of a label point: its distance to the outline (degrees), which the browser scales to the zoom.
    assert header["label_rooms"][0] == pytest.approx(0.01 * 2 ** 0.5, abs=1e-6)  # to the hole's corner 9.04/54.04
    assert 0 < header["label_rooms"][1] <= 0.025
    assert [area for area, _ in header["parts_rings"]] == [0, 1, 1]
    rebuilt = [shapely.Polygon(rings[0], rings[1:]) for _, rings in header["parts_rings"]]
    assert len(header["parts_rings"][0][1]) == 2  # exterior and hole
    for got, want in zip(rebuilt, [holed, *parted.geoms]):
        assert shapely.hausdorff_distance(got, want) < 1e-5  # degrees: about a metre


def test_csv_cells_that_look_like_formulas_are_kept_as_text():
    csv = tables.csv_bytes(area_table(name="=HYPERLINK(1)"), IND, 2025).decode("utf-8-sig")
    frame = pd.read_csv(io.StringIO(csv), sep=";", dtype=str)
    assert frame.loc[0, "Gebiet"] == "'=HYPERLINK(1)"
    assert frame.loc[0, "Indikator"] == "'=Indikator"
    assert frame.loc[0, "Wert"] == "20,0"


def test_change_is_secret_when_the_first_year_is():
    table = area_table(first_suppression="primary", trend=float("nan"), first_value=float("nan"))
    assert tables.display_table(table, IND, 2015)["seit 2015"].iloc[0] == "."
    assert "Veränderung seit 2015: ." in tables.tooltips(table, IND, 18.0, 1, 2015).iloc[0]


def test_tooltip_names_the_judgement_the_map_shows():
    table = area_table()
    assert "Bewertung ggü. Gesamtstadt: schlechter" in tables.tooltips(table, IND, 18.0, 1, 2015).iloc[0]
    parent = tables.tooltips(table, IND, 18.0, 1, 2015, "judgement_parent").iloc[0]
    assert "Bewertung ggü. übergeordnetem Gebiet: ähnlich" in parent


# --- gaps: secret, missing and not comparable kept apart -----------------------------------------------------------

SUPPRESSION_CODES = ("primary", "complement", "secondary", "source")  # internal: stored, never shown
SECRET_WORDS = ("kleine Fallzahl", "Rückrechnung", "Quelle geheim", "Komplement", *SUPPRESSION_CODES)


def _lab(colour: str) -> np.ndarray:
    """CIELAB (D65) of a hex colour, to measure how far apart two colours look."""
    rgb = np.array(colors.hex_to_rgba(colour)[:3]) / 255
    rgb = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ rgb
    f = np.cbrt(xyz / np.array([0.9505, 1.0, 1.089]))
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_gap_colours_differ_from_each_other_and_from_every_class_colour():
    gaps = [colors.NO_DATA, colors.SECRET_FILL, colors.NOT_COMPARABLE]
    classes = set(colors.YL_OR_RD) | set(colors.YL_GN_BU) | {
        c for code, c in colors.JUDGEMENT_COLOURS.items() if code not in ("suppressed", "missing", "not_comparable")}
    for i, gap in enumerate(gaps):
        assert all(np.linalg.norm(_lab(gap) - _lab(other)) >= 10 for other in gaps[i + 1:]), gap
        assert all(np.linalg.norm(_lab(gap) - _lab(other)) >= 10 for other in classes), gap
        assert np.hypot(*_lab(gap)[1:]) < 1  # a neutral grey: lightness alone tells them apart
    assert colors.JUDGEMENT_COLOURS["suppressed"] == colors.SECRET_FILL
    assert colors.JUDGEMENT_COLOURS["missing"] == colors.NO_DATA


def test_class_legend_has_separate_entries_for_secret_and_missing():
    classification = Classification(bins=(10.0, 20.0), lower=0.0, counts=(3, 4), k=2, scheme="quantiles")
    classes = [0, 1, -1, -1, -1, 0]
    secret = [False, False, True, False, False, False]
    colouring = choropleth.by_class(classes, classification, "higher_is_worse", 1, "%", secret)
    legend = colouring.legend.set_index("Klasse")
    assert legend.loc["geheim (.)", "Gebiete"] == "1"
    assert legend.loc["keine Daten", "Gebiete"] == "2"
    assert legend.loc["geheim (.)", "Farbe"] != legend.loc["keine Daten", "Farbe"]
    assert list(colouring.fills[2:5]) == [colors.SECRET_FILL, colors.NO_DATA, colors.NO_DATA]


def test_judgement_legend_names_each_gap_in_its_own_colour():
    legend = choropleth.by_judgement(pd.Series(["worse", "suppressed", "missing", "not_comparable"])).legend
    entries = dict(zip(legend["Klasse"], legend["Farbe"]))
    assert {"geheim (.)", "keine Daten", "nicht vergleichbar"} <= set(entries)
    assert len({entries["geheim (.)"], entries["keine Daten"], entries["nicht vergleichbar"]}) == 3


@pytest.mark.parametrize("code", SUPPRESSION_CODES)
def test_secret_tooltip_says_only_geheim(code):
    tip = tables.tooltips(area_table(suppression=code, value=np.nan, numerator=np.nan, denominator=np.nan,
                                     ci_low=np.nan, ci_high=np.nan, rank=np.nan, trend=np.nan,
                                     judgement_city="suppressed"), IND, 18.0, 1, 2015).iloc[0]
    assert tip.split("\n")[1] == "Anteil: . (geheim)"
    assert not any(word in tip for word in SECRET_WORDS)


@pytest.mark.parametrize("aggregation, has_children, reason", [
    ("none", True, "veröffentlichter Wert, nicht aus Teilgebieten berechenbar"),
    ("ratio_of_sums", True, "Teilgebiete ohne Wert"),
    ("none", False, "von der Quelle nicht geliefert"),
])
def test_missing_value_says_why_in_tooltip_table_and_csv(aggregation, has_children, reason):
    ind = IND.copy()
    ind["aggregation"] = aggregation
    table = area_table(value=np.nan, numerator=np.nan, denominator=np.nan, ci_low=np.nan, ci_high=np.nan,
                       rank=np.nan, trend=np.nan, diff_city=np.nan, judgement_city="missing", has_children=has_children)
    assert tables.tooltips(table, ind, 18.0, 1, 2015).iloc[0].split("\n")[1] == f"Anteil: keine Daten ({reason})"
    row = tables.display_table(table, ind, 2015).iloc[0]
    assert row["Wert"] == f"keine Daten ({reason})"
    assert row["KI 95 %"] == fmt.MISSING and row["Bewertung"] == fmt.MISSING
    csv = read_back(tables.csv_bytes(table, ind, 2025)).iloc[0]
    assert csv["Wert"] == fmt.MISSING and csv["Hinweis"] == reason


def test_a_value_without_interval_is_not_called_missing():
    table = area_table(value=21.3, numerator=np.nan, denominator=np.nan, ci_low=np.nan, ci_high=np.nan,
                       judgement_city="not_comparable")
    row = tables.display_table(table, IND, 2015).iloc[0]
    assert row["Wert"] == "21,3\u00a0%"
    assert row["KI 95 %"] == fmt.NO_INTERVAL
    assert row["Bewertung"] == fmt.NOT_COMPARABLE
    csv = read_back(tables.csv_bytes(table, IND, 2025)).iloc[0]
    assert (csv["KI unten"], csv["KI oben"], csv["Zähler"]) == (fmt.NO_INTERVAL, fmt.NO_INTERVAL, fmt.MISSING)
    assert csv["Hinweis"] == ""


@pytest.mark.parametrize("code", SUPPRESSION_CODES)
def test_secret_csv_row_says_geheim_never_the_rule(code):
    table = area_table(suppression=code, value=np.nan, numerator=np.nan, denominator=np.nan,
                       ci_low=np.nan, ci_high=np.nan, judgement_city="suppressed")
    text = tables.csv_bytes(table, IND, 2025).decode("utf-8-sig")
    row = read_back(tables.csv_bytes(table, IND, 2025)).iloc[0]
    assert row["Hinweis"] == "geheim" and row["Wert"] == fmt.SUPPRESSED
    assert not any(word in text for word in SECRET_WORDS)


# --- CSV read back the way Excel opens it by double-click ------------------------------------------------------

def read_back(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)


def test_the_excel_model_strips_zeros_from_plain_ids():
    assert excel_general("0101") == 101.0
    assert excel_general("12,5") == 12.5
    assert excel_general("1-2") == ("date", "1-2")


@pytest.mark.parametrize("area_id", ["01", "0101", "010101", "01010101", "00", "101", "1-2", "STGT01"])
def test_csv_ids_survive_excel(area_id):
    rows = excel_rows(tables.csv_bytes(area_table(area_id=area_id, name=area_id), IND, 2025))
    shown = rows[0]["Gebiets-ID"]
    assert isinstance(shown, str) and shown.strip() == area_id  # a tab is whitespace Excel shows as nothing
    assert rows[0]["Gebiet"].strip() == area_id
    assert rows[0]["Wert"] == 20.0 and rows[0]["Zähler"] == 20.0  # numbers stay numbers
    assert read_back(tables.csv_bytes(area_table(area_id=area_id), IND, 2025))["Gebiets-ID"].str.strip()[0] == area_id


def test_csv_change_column_is_optional_and_named_with_its_unit():
    plain = read_back(tables.csv_bytes(area_table(), IND, 2025))
    assert not any(c.startswith("Veränderung") for c in plain.columns)
    table = pd.concat([area_table(), area_table(area_id="2", trend=-1.25, first_suppression="primary")])
    with_change = read_back(tables.csv_bytes(table.reset_index(drop=True), IND, 2025, change_since=2015))
    assert list(with_change["Veränderung seit 2015 (%-Punkte)"]) == ["2,0", fmt.SUPPRESSED]
    assert excel_rows(tables.csv_bytes(area_table(trend=-1.25), IND, 2025, change_since=2015))[0][
        "Veränderung seit 2015 (%-Punkte)"] == -1.2


@pytest.mark.parametrize("args, expected", [
    (("Musterstadt (Demo)", "kinderarmut", 2025, "stadtteil"), "musterstadt_demo_kinderarmut_2025_stadtteil.csv"),
    (("Flensburg, Sozialatlas 2022", "sgb2_anteil", 2021, "stadtteil"),
     "flensburg_sozialatlas_2022_sgb2_anteil_2021_stadtteil.csv"),
    (("Groß-Gerau: Übersicht/../etc", "Anteil ü65 %", 2024, "Bezirksregion"),
     "gross_gerau_uebersicht_etc_anteil_ue65_2024_bezirksregion.csv"),
])
def test_csv_file_name_names_dataset_indicator_year_and_level(args, expected):
    name = tables.csv_file_name(*args)
    assert name == expected
    assert re.fullmatch(r"[a-z0-9_]+\.csv", name)


def test_a_sparkline_never_bridges_a_secret_year():
    assert tables.latest_run([1.0, 2.0, None, 4.0, 5.0]) == [4.0, 5.0]
    assert tables.latest_run([1.0, float("nan"), 3.0]) == [3.0]
    assert tables.latest_run([1.0, 2.0]) == [1.0, 2.0]
    assert tables.latest_run([1.0, None]) == []
