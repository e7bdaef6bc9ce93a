"""The naive overview, for comparison only: what the page would do without the pipeline.

On every rerun it reads the raw files, builds a fresh folium map from full-resolution
geometries (the 100 m cells stand in for settlement areas) and renders it with st_folium. The
indicator on the map (population or density) is chosen like on the real overview.
Run it with ``streamlit run bench/naive_overview.py``; it needs the raw data folder.
"""

import folium
import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st
from streamlit_folium import st_folium

from kek_geo.settings import get_settings

RAW = get_settings().raw_dir
STATIC = get_settings().static_url

st.title("Übersicht (naiv)")
gem = gpd.read_file(RAW / "bkg-vg250/vg250_gemeinden_kreis_herford.geojson")
pop = pd.read_csv(RAW / "zensus2022-gemeinden/1000A-0000_de_clean_kreis_herford.csv", dtype=str)
pop["AGS"] = pop["ags"].str[:5] + pop["ags"].str[-3:]
gem = gem.merge(pop[["AGS", "population"]], on="AGS")
gem["population"] = gem["population"].astype(int)
gem = gem[["AGS", "GEN", "population", "geometry"]]
gem["density"] = gem["population"] / (gem.to_crs("EPSG:25832").area / 1e6)
NAMES = {"population": "Einwohner", "density": "Einwohner je km²"}
column: str = st.selectbox("Indikator für die Karte", list(NAMES), format_func=NAMES.__getitem__)
stops = gpd.read_file(RAW / "db-hafas-stations/db_hafas_stops_kreis_herford_2km.geojson")
schools = gpd.read_file(RAW / "schulen-nrw/schulen_nrw_2024_25_kreis_herford.geojson")
hospitals = gpd.read_file(RAW / "eurostat-healthcare/hospitals_bbox_herford.geojson")
cells = pd.read_csv(
    RAW / "zensus2011-grid/zensus2011_100m_dwellings_by_floor_space_herford_bbox.csv"
)
squares = gpd.GeoDataFrame(
    {"dwellings": cells["whg_flaeche_sum_present"]},
    geometry=shapely.box(
        cells["x_mp_100m"] - 50,
        cells["y_mp_100m"] - 50,
        cells["x_mp_100m"] + 50,
        cells["y_mp_100m"] + 50,
    ),
    crs="EPSG:3035",
).to_crs("EPSG:4326")
squares = squares[squares.intersects(gem.union_all())]

m = folium.Map(location=(52.15, 8.66), zoom_start=10, tiles=None)
m.default_js = [("leaflet", f"{STATIC}/leaflet/leaflet.js")]
m.default_css = [("leaflet_css", f"{STATIC}/leaflet/leaflet.css")]
top = gem[column].max()
folium.GeoJson(
    gem,
    style_function=lambda f: {
        "fillColor": "#253494",
        "fillOpacity": f["properties"][column] / top,
    },
    tooltip=folium.GeoJsonTooltip(["GEN", column]),
).add_to(m)
folium.GeoJson(squares, name="cells").add_to(m)
for layer in (
    stops[["name", "geometry"]],
    schools[["Amtliche Bezeichnung 1", "geometry"]],
    hospitals[["site_name", "geometry"]],
):
    folium.GeoJson(layer, marker=folium.CircleMarker(radius=3)).add_to(m)
st_folium(m, height=560, use_container_width=True, returned_objects=["last_active_drawing"])
st.dataframe(gem[["GEN", "population", "density"]])
