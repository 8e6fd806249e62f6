"""The floor of the side-by-side benchmark: a Streamlit page with ``st_folium`` of an empty map.

Nothing can load faster than this with Streamlit + streamlit-folium; ``bench.side_by_side``
compares our page with it. A click prints where it was: the floor of a tap's answer
(``st_folium``'s return value, one script run, one line of text). Leaflet comes from
``static/vendor`` (``putuo_geo.assets``), as on our page: the benchmark runs offline.
"""

import folium
import streamlit as st
from streamlit_folium import st_folium

from putuo_geo import assets

st.set_page_config(page_title="Floor", layout="wide")
m = folium.Map(location=(31.24, 121.41), zoom_start=13, tiles=None)
out = st_folium(assets.localize(m), height=640, use_container_width=True)
click = (out or {}).get("last_clicked")
if click:
    st.markdown(f"Clicked: {click['lat']:.6f}, {click['lng']:.6f}")
