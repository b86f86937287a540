"""Baseline for bench/load.py: the Karte done the naive way, as a first prototype would.

Every rerun opens the store, reads the full (unsimplified) outlines, turns them into GeoJSON and sends it with
pydeck: nothing is cached, nothing is simplified. Same widget labels as the Karte, so the load tool drives both
alike. Not part of the app; run only by the bench.
"""

import json
import os
from urllib.parse import quote

import duckdb
import pydeck as pdk
import shapely
import streamlit as st

# Offline: pydeck with no style still loads a Carto basemap; a blank MapLibre style as a data URL loads nothing.
BLANK_STYLE = "data:application/json," + quote(json.dumps({
    "version": 8, "sources": {}, "layers": [{"id": "background", "type": "background",
                                             "paint": {"background-color": "#ffffff"}}]}))

con = duckdb.connect(os.environ["SOZIALDASH_DB"], read_only=True)
indicators = con.execute("SELECT indicator_id, name, decimals, unit FROM indicators ORDER BY sort").df()
levels = con.execute("SELECT level, label_plural FROM area_levels WHERE level > 0 ORDER BY level").df()
with st.sidebar:
    name = st.selectbox("Indikator", indicators["name"])
    indicator = indicators[indicators["name"] == name].iloc[0]
    years = con.execute("SELECT DISTINCT year FROM indicator_values WHERE indicator_id = ? ORDER BY year DESC",
                        [indicator["indicator_id"]]).df()["year"].astype(str).tolist()
    year = int(st.selectbox("Jahr", years))
    label = st.selectbox("Ebene", levels["label_plural"], index=len(levels) - 1)
    level = int(levels[levels["label_plural"] == label]["level"].iloc[0])
    mode = st.segmented_control("Darstellung", ["Wert", "Bewertung"], default="Wert")

rows = con.execute("""
    SELECT a.area_id, a.name, a.full_wkb, v.value, v.judgement_city
    FROM areas a LEFT JOIN published_values v
      ON v.area_id = a.area_id AND v.indicator_id = ? AND v.year = ?
    WHERE a.level = ? ORDER BY a.area_id""", [indicator["indicator_id"], year, level]).df()
low, high = rows["value"].min(), rows["value"].max()
features = []
for row in rows.itertuples():
    if mode == "Bewertung":
        fill = {"better": [44, 123, 182], "worse": [215, 25, 28], "similar": [255, 255, 191]}.get(
            row.judgement_city, [190, 190, 190])
    elif row.value == row.value:
        share = 0 if high == low else (row.value - low) / (high - low)
        fill = [255, int(255 - 200 * share), int(200 - 180 * share)]
    else:
        fill = [190, 190, 190]
    features.append({"type": "Feature", "geometry": shapely.geometry.mapping(shapely.from_wkb(bytes(row.full_wkb))),
                     "properties": {"name": row.name, "value": "" if row.value != row.value else
                                    f"{row.value:.{int(indicator['decimals'])}f}", "fill": fill}})
geojson = json.loads(json.dumps({"type": "FeatureCollection", "features": features}))
st.subheader(f"{name} {year}")
st.pydeck_chart(pdk.Deck(layers=[pdk.Layer("GeoJsonLayer", geojson, get_fill_color="properties.fill",
                                            get_line_color=[80, 80, 80], line_width_min_pixels=1, pickable=True)],
                         initial_view_state=pdk.ViewState(
                             latitude=float(shapely.from_wkb(bytes(rows["full_wkb"].iloc[0])).centroid.y),
                             longitude=float(shapely.from_wkb(bytes(rows["full_wkb"].iloc[0])).centroid.x), zoom=11),
                         map_provider=None, map_style=BLANK_STYLE, tooltip={"text": "{name}: {value}"}))
st.dataframe(rows[["name", "value"]], hide_index=True)
con.close()
