"""The MSS status and dynamics index: hand-computed z-values and classes, thresholds, exclusions, the matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sozialdash.analysis import sozialindex as si

AREAS = ["A", "B", "C", "D", "E", "F"]
WORSE = {"alo": "higher_is_worse", "kinder": "higher_is_worse", "d_alo": "higher_is_worse",
         "beschaeftigt": "higher_is_better"}


def frame(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns, index=AREAS[:len(next(iter(columns.values())))])


def test_six_areas_one_indicator_by_hand():
    # values 1..6: mean 3.5, population SD sqrt(17.5 / 6) = 1.70783
    config = si.IndexConfig(status=("alo",), dynamics=("d_alo",))
    status = frame(alo=[1.0, 2, 3, 4, 5, 6])
    dynamics = frame(d_alo=[0.0, 0, 0, 0, 1, -1])
    index = si.sozialindex(status, dynamics, pd.Series(1000, index=AREAS), WORSE, config)
    z = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5]) / np.sqrt(17.5 / 6)
    assert np.allclose(index["z_status_alo"], z) and np.allclose(index["status_index"], z)
    assert list(index["status_class"]) == [1, 2, 2, 2, 2, 3]       # -1.464 hoch, +1.464 niedrig (not above 1.5)
    # dynamics 0,0,0,0,1,-1: mean 0, SD sqrt(2/6) = 0.57735, so E is +1.732 (negativ) and F -1.732 (positiv)
    assert np.allclose(index["dynamics_index"], np.array([0, 0, 0, 0, 1, -1]) / np.sqrt(2 / 6))
    assert list(index["dynamics_class"]) == ["+/-", "+/-", "+/-", "+/-", "-", "+"]
    assert list(index["code"]) == ["1+/-", "2+/-", "2+/-", "2+/-", "2-", "3+"]


def test_two_indicators_summed_with_the_worse_sign_then_standardised_again():
    config = si.IndexConfig(status=("alo", "beschaeftigt"), dynamics=("d_alo",))
    status = frame(alo=[2.0, 4, 6, 8, 10, 12], beschaeftigt=[60.0, 50, 55, 45, 40, 30])
    dynamics = frame(d_alo=[0.0, 1, 2, 3, 4, 5])
    index = si.sozialindex(status, dynamics, pd.Series(500, index=AREAS), WORSE, config)
    z_alo = si.standardise(status["alo"].to_numpy())
    z_job = -si.standardise(status["beschaeftigt"].to_numpy())   # fewer in work is worse
    assert np.allclose(index["z_status_beschaeftigt"], z_job)
    assert np.allclose(index["status_sum"], z_alo + z_job)
    assert np.allclose(index["status_index"], si.standardise(z_alo + z_job))
    assert index.loc["F", "status_class"] == 4 and index.loc["A", "status_class"] == 1


def test_values_on_a_threshold_belong_to_the_milder_class():
    assert list(si.status_class([-1.0, 1.0, 1.5, -1.0000001, 1.5000001])) == [2, 2, 3, 1, 4]
    assert list(si.dynamics_class([-1.0, 1.0, -1.0000001, 1.0000001])) == ["+/-", "+/-", "+", "-"]
    # two areas 0 and 2: mean 1, SD 1, so the indices are exactly -1 and +1, both mittel and stabil
    config = si.IndexConfig(status=("alo",), dynamics=("d_alo",))
    two = si.sozialindex(frame(alo=[0.0, 2.0]), frame(d_alo=[0.0, 2.0]), pd.Series(400, index=AREAS[:2]), WORSE,
                         config)
    assert list(two["status_index"]) == [-1.0, 1.0] and list(two["code"]) == ["2+/-", "2+/-"]


def test_small_and_incomplete_areas_are_left_out_and_do_not_shift_the_others():
    config = si.IndexConfig(status=("alo",), dynamics=("d_alo",))
    status = frame(alo=[1.0, 2, 3, 4, 5, 60])
    dynamics = frame(d_alo=[0.0, 1, 0, 1, np.nan, 0])
    population = pd.Series([1000, 1000, 1000, 1000, 1000, 299], index=AREAS)
    index = si.sozialindex(status, dynamics, population, WORSE, config)
    assert list(index["excluded"]) == [None, None, None, None, "missing", "small"]
    assert index.loc[["E", "F"], "code"].isna().all() and index.loc[["E", "F"], "status_index"].isna().all()
    assert np.allclose(index.loc[["A", "B", "C", "D"], "status_index"], si.standardise(np.array([1.0, 2, 3, 4])))


@pytest.mark.parametrize("seed", range(5))
def test_standardised_sums_have_mean_0_and_sd_1(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 400))
    areas = [f"a{i}" for i in range(n)]
    status = pd.DataFrame(rng.gamma(2, 3, size=(n, 3)), index=areas, columns=["alo", "kinder", "beschaeftigt"])
    dynamics = pd.DataFrame(rng.normal(0, 1, size=(n, 1)), index=areas, columns=["d_alo"])
    config = si.IndexConfig(status=("alo", "kinder", "beschaeftigt"), dynamics=("d_alo",),
                            weights={"kinder": float(rng.uniform(0.5, 2))})
    index = si.sozialindex(status, dynamics, pd.Series(1000, index=areas), WORSE, config)
    for part in ("status", "dynamics"):
        assert index[f"{part}_index"].mean() == pytest.approx(0, abs=1e-12)
        assert index[f"{part}_index"].std(ddof=0) == pytest.approx(1, abs=1e-12)
    assert si.matrix(index).to_numpy().sum() == n


def test_the_matrix_counts_every_combination_and_the_config_says_when_it_departs_from_the_mss():
    config = si.IndexConfig(status=("alo",), dynamics=("d_alo",))
    index = si.sozialindex(frame(alo=[1.0, 2, 3, 4, 5, 6]), frame(d_alo=[0.0, 0, 0, 0, 1, -1]),
                           pd.Series(1000, index=AREAS), WORSE, config)
    counts = si.matrix(index)
    assert list(counts.index) == [1, 2, 3, 4] and list(counts.columns) == ["+", "+/-", "-"]
    assert counts.loc[2, "+/-"] == 3 and counts.loc[3, "+"] == 1 and counts.loc[2, "-"] == 1
    assert config.departures() == []
    assert si.IndexConfig(("alo",), ("d_alo",), weights={"alo": 2}, min_population=100).departures() == \
        ["ungleiche Gewichte", "Mindestbevölkerung 100 statt 300"]


def test_sensitivity_counts_areas_whose_code_changes_without_one_indicator():
    config = si.IndexConfig(status=("alo", "kinder"), dynamics=("d_alo",))
    status = frame(alo=[1.0, 2, 3, 4, 5, 6], kinder=[6.0, 5, 4, 3, 2, 1])
    dynamics = frame(d_alo=[0.0, 0, 0, 0, 0, 0])
    changed = si.sensitivity(status, dynamics, pd.Series(1000, index=AREAS), WORSE, config)
    # together the two cancel out (every area mittel); alone, each sorts the ends into classes 1 and 3
    assert dict(changed) == {"alo": 2, "kinder": 2}


def test_an_indicator_without_direction_is_refused():
    with pytest.raises(ValueError, match="polarity"):
        si.sozialindex(frame(x=[1.0, 2]), frame(d_alo=[0.0, 1]), pd.Series(400, index=AREAS[:2]),
                       {"x": "neutral", "d_alo": "higher_is_worse"}, si.IndexConfig(("x",), ("d_alo",)))


def test_thresholds_from_a_link_are_parsed_written_back_and_refused_with_the_culprits_named():
    assert si.parse_thresholds("-1,1,1.5") == (-1.0, 1.0, 1.5)
    assert si.thresholds_param((-0.5, 1.0, 2.25)) == "-0.5,1,2.25"
    assert si.parse_thresholds(si.thresholds_param((-0.5, 1.0, 2.25))) == (-0.5, 1.0, 2.25)
    with pytest.raises(ValueError):
        si.parse_thresholds("-1;1;1,5")
    assert si.threshold_problem("status", (-1.0, 1.0, 1.5)) is None
    assert si.threshold_problem("dynamics", (-1.0, 1.0)) is None
    assert si.threshold_problem("status", (1.0, -1.0, 1.5)) == \
        "Klassengrenzen Status nicht aufsteigend: auf +1 folgt −1"
    assert si.threshold_problem("status", (-1.0, 1.5, 1.5)) == \
        "Klassengrenzen Status nicht aufsteigend: auf +1,5 folgt +1,5"    # an empty class by definition
    assert si.threshold_problem("dynamics", (-1.0,)) == "Klassengrenzen Dynamik: 2 Werte nötig, 1 angegeben"
    assert si.threshold_problem("status", (float("nan"), 0.0, 7.0)) == \
        "Klassengrenzen Status: kein Wert, +7 außerhalb von −5 bis +5"


def test_classes_follow_custom_thresholds_by_hand():
    # the six areas of the first test: status index ±1.464, ±0.878, ±0.293; dynamics 0 (four times), +1.732, -1.732
    config = si.IndexConfig(status=("alo",), dynamics=("d_alo",), status_thresholds=(-0.5, 0.5, 1.0),
                            dynamics_thresholds=(-2.0, 1.5))
    index = si.sozialindex(frame(alo=[1.0, 2, 3, 4, 5, 6]), frame(d_alo=[0.0, 0, 0, 0, 1, -1]),
                           pd.Series(1000, index=AREAS), WORSE, config)
    assert list(index["status_class"]) == [1, 1, 2, 2, 3, 4]
    assert list(index["dynamics_class"]) == ["+/-", "+/-", "+/-", "+/-", "-", "+/-"]   # -1.732 is not below -2
    assert list(index["code"]) == ["1+/-", "1+/-", "2+/-", "2+/-", "3-", "4+/-"]
    assert list(si.status_class([-0.5, 0.5, 1.0, 1.0000001], (-0.5, 0.5, 1.0))) == [2, 2, 3, 4]   # ties milder
    assert config.departures() == ["Klassengrenzen Status −0,5 | +0,5 | +1 statt −1 | +1 | +1,5",
                                   "Klassengrenzen Dynamik −2 | +1,5 statt −1 | +1"]
    bounds = si.class_bounds(config)
    assert bounds["status"] == {1: "unter −0,5", 2: "−0,5 bis +0,5", 3: "über +0,5 bis +1", 4: "über +1"}
    assert bounds["dynamics"] == {"+": "unter −2", "+/-": "−2 bis +1,5", "-": "über +1,5"}
    assert si.class_bounds(si.IndexConfig(("alo",), ("d_alo",)))["status"][3] == "über +1 bis +1,5"


def _shown(config: si.IndexConfig) -> pd.DataFrame:
    from sozialdash.ui import sozialindex as page

    population = pd.Series([1000, 1000, 1000, 1000, 1000, 299], index=AREAS)
    result = si.sozialindex(frame(alo=[1.0, 2, 3, 4, 5, 60]), frame(d_alo=[0.0, 1, 0, 1, np.nan, 0]), population,
                            WORSE, config)
    result = result.assign(name=[f"=Gebiet {a}" if a == "A" else f"Gebiet {a}" for a in result.index],
                           population=population.reindex(result.index).astype(float).to_numpy())
    return page.display(result, config, pd.Series({"alo": "Arbeitslose", "d_alo": "Arbeitslose"}))


def test_the_table_holds_numbers_and_its_csv_text_is_german():
    from sozialdash.ui import sozialindex as page

    config = si.IndexConfig(status=("alo",), dynamics=("d_alo",))
    table = _shown(config)
    numbers = ["Einwohner*innen", "z Arbeitslose", "z Δ Arbeitslose", "Statusindex", "Dynamikindex"]
    assert all(pd.api.types.is_float_dtype(table[c]) for c in numbers)
    assert page.decimals(table) == {"Einwohner*innen": 0, "z Arbeitslose": 2, "z Δ Arbeitslose": 2,
                                    "Statusindex": 2, "Dynamikindex": 2}
    assert list(table["Statusindex"].iloc[:4]) == sorted(si.standardise(np.array([1.0, 2, 3, 4])), reverse=True)
    left_out = table.set_index("Gebiet").loc[["Gebiet E", "Gebiet F"]]
    assert left_out[numbers[1:]].isna().all().all()
    assert list(left_out["Status"]) == ["ohne Zuordnung (Wert fehlt oder geheim)", "ohne Zuordnung (unter 300 Einw.)"]
    text = page.text_table(table).set_index("Gebiet")
    assert text.at["Gebiet D", "Statusindex"] == "1,34" and text.at["Gebiet D", "Einwohner*innen"] == "1.000"
    assert text.at["Gebiet E", "Statusindex"] == "" and text.at["Gebiet F", "z Arbeitslose"] == ""


def test_the_excel_sheet_has_typed_numbers_and_no_figure_for_an_area_left_out():
    import io

    import openpyxl

    from sozialdash.ui import sozialindex as page

    table = _shown(si.IndexConfig(status=("alo",), dynamics=("d_alo",)))
    book = openpyxl.load_workbook(io.BytesIO(page.xlsx_bytes(table, ["Quelle: =1+1", "Fiktive Demodaten"])))
    sheet = book["Sozialindex"]
    header = [c.value for c in sheet[1]]
    rows = {r[0].value: dict(zip(header, r)) for r in sheet.iter_rows(min_row=2)}
    assert header == list(table.columns) and len(rows) == len(AREAS)
    d = rows["Gebiet D"]
    assert d["Statusindex"].data_type == "n" and d["Statusindex"].value == pytest.approx(1.3416, abs=1e-4)
    assert d["Statusindex"].number_format == "0.00" and d["Einwohner*innen"].number_format == "#,##0"
    assert d["Einwohner*innen"].value == 1000 and d["Code"].value == "3+/-"
    for name in ("Gebiet E", "Gebiet F"):       # left out: empty cells, the reason as text
        assert all(rows[name][c].value is None for c in ("z Arbeitslose", "z Δ Arbeitslose", "Statusindex",
                                                         "Dynamikindex"))
        assert rows[name]["Status"].value.startswith(si.UNASSIGNED) and rows[name]["Status"].data_type == "s"
    assert rows["=Gebiet A"]["Gebiet"].data_type == "s"                 # a name never runs as a formula
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
    notes = book["Hinweise"]
    assert [r[0].value for r in notes.iter_rows()] == ["Quelle: =1+1", "Fiktive Demodaten"]
    assert notes["A1"].data_type == "s"


def test_the_excel_notes_say_what_the_file_holds(store):
    from sozialdash.ui import sozialindex as page

    config = si.IndexConfig(status=("alo",), dynamics=("d_alo",), weights={"alo": 2.0}, status_thresholds=(-1, 1, 2))
    level = pd.Series({"label_plural": "Stadtteile"})
    lines = page.notes(store, config, level, 2025, pd.Series({"alo": "Arbeitslose", "d_alo": "Arbeitslose Δ"}))
    assert lines[0] == f"Datensatz: {store.meta['name']}, Stand {store.meta['reference_year']}"
    assert lines[1] == f"Quelle: {store.meta['source']}" and lines[2].startswith("Fiktive Demodaten")
    assert "Sozialindex der Stadtteile 2025, Dynamik 2023–2025" in lines
    assert "Status-Indikatoren: Arbeitslose (Gewicht 2,0)" in lines and "Dynamik-Indikatoren: Arbeitslose Δ" in lines
    assert "Status: 1 hoch unter −1; 2 mittel −1 bis +1; 3 niedrig über +1 bis +2; 4 sehr niedrig über +2" in lines
    assert ("Nicht mehr die Regeln des MSS: ungleiche Gewichte, Klassengrenzen Status −1 | +1 | +2 statt "
            "−1 | +1 | +1,5") in lines
