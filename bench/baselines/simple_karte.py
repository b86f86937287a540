"""Baseline for bench/load.py: a simple Karte with plotly, as a careful tutorial would build it.

The display outlines (already simplified by the build) become GeoJSON once per level (cached); each rerun sends
that GeoJSON with a plotly tile-map choropleth on its blank "white-bg" style (no tiles, so offline). Same widget labels as the
Karte, so the load tool drives both alike. Not part of the app; run only by the bench.
"""

import os

import duckdb
import plotly.express as px
import shapely
import streamlit as st


@st.cache_resource
def connection():
    return duckdb.connect(os.environ["SOZIALDASH_DB"], read_only=True)


@st.cache_data
def outlines(level: int) -> dict:
    rows = connection().cursor().execute("SELECT area_id, display_wkb FROM areas WHERE level = ?", [level]).df()
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": area_id, "geometry": shapely.geometry.mapping(shapely.from_wkb(bytes(wkb)))}
        for area_id, wkb in zip(rows["area_id"], rows["display_wkb"])]}


@st.cache_data
def centre(level: int) -> dict:
    rows = connection().cursor().execute("SELECT avg(label_lat), avg(label_lon) FROM areas WHERE level = ?",
                                         [level]).fetchone()
    return {"lat": rows[0], "lon": rows[1]}


con = connection().cursor()
indicators = con.execute("SELECT indicator_id, name FROM indicators ORDER BY sort").df()
levels = con.execute("SELECT level, label_plural FROM area_levels WHERE level > 0 ORDER BY level").df()
with st.sidebar:
    name = st.selectbox("Indikator", indicators["name"])
    indicator_id = indicators[indicators["name"] == name]["indicator_id"].iloc[0]
    years = con.execute("SELECT DISTINCT year FROM indicator_values WHERE indicator_id = ? ORDER BY year DESC",
                        [indicator_id]).df()["year"].astype(str).tolist()
    year = int(st.selectbox("Jahr", years))
    label = st.selectbox("Ebene", levels["label_plural"], index=len(levels) - 1)
    level = int(levels[levels["label_plural"] == label]["level"].iloc[0])
    mode = st.segmented_control("Darstellung", ["Wert", "Bewertung"], default="Wert")

rows = con.execute("""
    SELECT a.area_id, a.name, v.value, v.judgement_city
    FROM areas a LEFT JOIN published_values v ON v.area_id = a.area_id AND v.indicator_id = ? AND v.year = ?
    WHERE a.level = ? ORDER BY a.area_id""", [indicator_id, year, level]).df()
figure = px.choropleth_map(rows, geojson=outlines(level), locations="area_id",
                           color="value" if mode == "Wert" else "judgement_city", hover_name="name",
                           map_style="white-bg", zoom=10.5, center=centre(level))
st.subheader(f"{name} {year}")
st.plotly_chart(figure)
st.dataframe(rows[["name", "value"]], hide_index=True)
