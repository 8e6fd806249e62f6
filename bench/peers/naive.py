"""The naive peer of the side-by-side benchmark: the page a peer would write in ~60 lines.

Every layer of the data folder as one ``folium.GeoJson`` with a tooltip, the sites filtered
by a category multiselect, ``st_folium`` with its defaults (it returns every map event, so a
pan reruns the script), and measuring as a tutorial would do it: a click on the map sets
FROM, the next TO, and the page prints the walk along the route (``putuo_geo.network``, the
library any page would call; issue 24's tap -> answer row). The only departures from a
tutorial page: Leaflet's URLs are pointed at ``static/vendor``
(``putuo_geo.assets.localize``), because the benchmark runs offline, and the folder is the
one our page reads (``putuo_geo.config.data_dir``).
"""

import folium
import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from putuo_geo import assets, config, layers, network

LAYERS = ["boundary", "zones", "parks", "creek", "route", "bridges", "stations", "sites"]
COLOURS = {
    "boundary": "#555555",
    "zones": "#9467bd",
    "parks": "#2ca02c",
    "creek": "#1f77b4",
    "route": "#d62728",
    "bridges": "#8c564b",
    "stations": "#ff7f0e",
    "sites": "#e377c2",
}

st.set_page_config(page_title="Suzhou Creek (naive)", layout="wide")
st.title("Suzhou Creek in Putuo")


@st.cache_data
def read(name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(config.data_dir() / f"{name}.geojson")


@st.cache_resource
def routes() -> network.RouteNetwork:
    return network.RouteNetwork.from_atlas(layers.load_atlas(config.data_dir()))


frames = {name: read(name) for name in LAYERS}
categories = sorted(frames["sites"]["category"].unique())
chosen = st.multiselect("Site categories", categories, default=categories)

m = folium.Map(location=(31.24, 121.41), zoom_start=13, tiles=None)
for name, frame in frames.items():
    if name == "sites":
        frame = frame[frame["category"].isin(chosen)]
    if frame.empty:
        continue
    colour = COLOURS[name]
    folium.GeoJson(
        frame,
        name=name,
        style_function=lambda _f, c=colour: {"color": c, "fillOpacity": 0.2, "weight": 3},
        tooltip=folium.GeoJsonTooltip(fields=["name_en", "name_zh"], aliases=["", ""]),
    ).add_to(m)
folium.LayerControl().add_to(m)

out = st_folium(assets.localize(m), height=640, use_container_width=True)
click = (out or {}).get("last_clicked")
ends = st.session_state.setdefault("ends", [])
if click and click != st.session_state.get("seen"):
    st.session_state["seen"] = click
    if len(ends) == 2:  # FROM, then TO, then FROM again
        ends.clear()
    ends.append((click["lng"], click["lat"]))
if len(ends) == 2:
    walk = routes().measure(*ends)
    st.markdown(f"Along the route: {walk.along_route_m:,.0f} m")
st.caption(f"{sum(len(f) for f in frames.values())} features in {len(frames)} layers")
