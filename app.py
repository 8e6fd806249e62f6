"""The map page: `streamlit run app.py` (or `make run`).

Thin on purpose: widgets, layout and caching wrappers. Everything it shows is computed
by `putuo_geo` (overview, network, mapview, display); see the README's "The map page".
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from putuo_geo import (
    assets,
    config,
    display,
    errors,
    layers,
    mapview,
    network,
    overview,
    safety,
    uploads,
)

MAP_KEY = "map"
MAP_HEIGHT_PX = 640
CLICK_MODES = ("Show what is nearest", "Set FROM, then TO")

st.set_page_config(
    page_title="Half Marathon Suzhou Creek · Putuo",
    page_icon="🏃",
    layout="wide",
)


# ------------------------------------------------------------------ cached data


def data_signature(folder: Path) -> tuple[tuple[str, int], ...]:
    """File names and modification times: edits to the data invalidate the caches."""
    if not folder.is_dir():
        return ()
    return tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.*json")))


@st.cache_resource(show_spinner="Loading the layers…")
def load_atlas(folder: str, signature: tuple[tuple[str, int], ...]) -> layers.Atlas:
    return layers.load_atlas(folder)


@st.cache_resource(show_spinner="Building the route network…")
def route_network(
    folder: str, signature: tuple[tuple[str, int], ...], _atlas: layers.Atlas
) -> network.RouteNetwork:
    return network.RouteNetwork.from_atlas(_atlas)


@st.cache_resource
def page_figures(
    folder: str, signature: tuple[tuple[str, int], ...], _atlas: layers.Atlas
) -> overview.Figures:
    return overview.figures(_atlas)


@st.cache_resource
def km_posts(folder: str, signature: tuple[tuple[str, int], ...], _atlas: layers.Atlas):
    return overview.km_posts(_atlas)


# ------------------------------------------------------------------ load or explain

folder = config.data_dir()
signature = data_signature(folder)
try:
    atlas = load_atlas(str(folder), signature)
except errors.DataValidationError as exc:
    # The error panel: every problem, as text (problems quote values from the data).
    st.error(
        safety.problems_markdown(
            f"The data in {folder} cannot be shown: {len(exc.problems)} problem(s).",
            exc.problems,
        )
    )
    st.stop()
except (errors.PutuoGeoError, OSError) as exc:
    st.error(safety.problems_markdown(f"The data in {folder} cannot be loaded.", [str(exc)]))
    st.stop()

missing = assets.missing_files()
if missing:
    st.error(
        "**The map's browser files are missing** (the map would stay blank). "
        "Run `make assets` (or `make install`). Missing: " + ", ".join(missing)
    )
    st.stop()

figs = page_figures(str(folder), signature, atlas)
stations = overview.station_table(atlas)
sites_all = atlas.sites

# Places a measurement can start or end at: stations in route order, then sites.
places: dict[str, tuple[str, tuple[float, float]]] = {}
station_points = atlas.stations.set_index("id").geometry
site_points = sites_all.set_index("id").geometry
for row in stations.itertuples():
    geom = station_points[row.id]
    places[f"station:{row.id}"] = (
        f"No. {row.number} · {row.name_en} · {display.format_chainage(row.chainage_m)}",
        (geom.x, geom.y),
    )
for row in overview.site_table(sites_all).itertuples():
    geom = site_points[row.id]
    places[f"site:{row.id}"] = (f"{row.name_en} · {row.name_zh}", (geom.x, geom.y))

# ------------------------------------------------------------------ map clicks
# st_folium stores its last value under MAP_KEY; act on a new click before the
# widgets are drawn, so a click can fill the FROM/TO selects.
state = st.session_state
state.setdefault("clicks", {})  # "from"/"to" -> (lon, lat)
state.setdefault("next_click", "from")
clicked = (state.get(MAP_KEY) or {}).get("last_clicked")
click_lonlat: tuple[float, float] | None = None
if clicked:
    click_lonlat = (float(clicked["lng"]), float(clicked["lat"]))
    if click_lonlat != state.get("seen_click"):
        state["seen_click"] = click_lonlat
        if state.get("click_mode") == CLICK_MODES[1]:
            target = state["next_click"]
            state["clicks"][target] = click_lonlat
            state[f"measure_{target}"] = f"click:{target}"
            state["next_click"] = "to" if target == "from" else "from"
# ------------------------------------------------------------------ the user's own layer
# Lives in this session's state only (never a module global or a shared cache).
# The uploader's callback copies the file into "upload_source"; tests set it directly.


def _take_upload() -> None:
    file = state.get("upload_file")
    state["upload_source"] = None if file is None else (file.name, file.getvalue())


source = state.get("upload_source")
upload_datum = state.get("upload_datum", "wgs84")
user_layer: uploads.UserLayer | None = None
upload_problems: list[str] = []
if source:
    parsed_key = (source[0], hash(source[1]), upload_datum)
    if state.get("upload_parsed_key") != parsed_key:
        try:
            state["upload_result"] = uploads.read_upload(
                source[1], file_name=source[0], datum_name=upload_datum
            )
        except errors.DataValidationError as exc:
            state["upload_result"] = exc
        state["upload_parsed_key"] = parsed_key
    result = state["upload_result"]
    if isinstance(result, uploads.UserLayer):
        user_layer = result
    else:
        upload_problems = list(result.problems)
show_upload = user_layer is not None and state.get("upload_show", True)
if user_layer is not None:
    for row in user_layer.frame.itertuples():
        label = row.name_en if not row.name_zh else f"{row.name_en} · {row.name_zh}"
        places[f"upload:{row.id}"] = (f"Yours · {label}", (row.geometry.x, row.geometry.y))

for end, lonlat in state["clicks"].items():
    places[f"click:{end}"] = (
        f"Map click {'A' if end == 'from' else 'B'} ({lonlat[1]:.5f}, {lonlat[0]:.5f})",
        lonlat,
    )

# ------------------------------------------------------------------ sidebar
with st.sidebar:
    st.header("Sites")
    counts = overview.category_counts(sites_all)
    categories = [c for c in mapview.CATEGORY_STYLE if c in counts.index] + [
        c for c in counts.index if c not in mapview.CATEGORY_STYLE
    ]
    chosen = st.multiselect(
        "Categories",
        categories,
        default=categories,
        format_func=lambda c: f"{mapview.CATEGORY_STYLE.get(c, (c, ''))[0]} ({counts[c]})",
        key="categories",
    )
    query = st.text_input("Search names (English or 中文)", key="query")

    st.header("Your layer")
    st.file_uploader(
        "Add sites: GeoJSON points or CSV (lon/lat columns)",
        type=["geojson", "json", "csv"],
        key="upload_file",
        on_change=_take_upload,
        max_upload_size=uploads.MAX_UPLOAD_BYTES // 2**20,
        help=(
            f"At most {uploads.MAX_UPLOAD_BYTES // 2**20} MB and "
            f"{uploads.MAX_UPLOAD_FEATURES:,} sites; each needs a name. "
            "CSV columns: lon/lng/longitude, lat/latitude, name (or name_en/name_zh). "
            "Kept in your session only."
        ),
    )
    st.selectbox(
        "Coordinates are in",
        list(uploads.DATUM_LABELS),
        format_func=lambda d: uploads.DATUM_LABELS[d],
        key="upload_datum",
    )
    if upload_problems:
        st.error(
            safety.problems_markdown(
                f"The upload cannot be shown: {len(upload_problems)} problem(s).",
                upload_problems,
            )
        )
    elif user_layer is not None:
        st.checkbox(
            f"Show {safety.escape_markdown(user_layer.title)}", value=True, key="upload_show"
        )

    st.header("Measure along the route")
    keys = list(places)
    station_keys = [k for k in keys if k.startswith("station:")]
    state.setdefault("measure_from", station_keys[0] if station_keys else keys[0])
    state.setdefault("measure_to", station_keys[-1] if station_keys else keys[-1])
    for end in ("from", "to"):  # a click place may have gone (new session state)
        if state[f"measure_{end}"] not in places:
            state[f"measure_{end}"] = keys[0]
    from_key = st.selectbox("FROM", keys, format_func=lambda k: places[k][0], key="measure_from")
    to_key = st.selectbox("TO", keys, format_func=lambda k: places[k][0], key="measure_to")
    st.radio(
        "A click on the map…",
        CLICK_MODES,
        key="click_mode",
        help="In 'Set FROM, then TO' mode the first click becomes FROM (A), the next TO (B).",
    )

    st.header("Basemap")
    options = mapview.basemaps()
    basemap = st.selectbox("Background", options, format_func=lambda b: b.label, key="basemap")
    st.caption(
        "Tiles are the only thing fetched from another host; without them the layers "
        f"still draw. Set `{mapview.TILE_URL_ENV}` for an intranet tile server."
    )

# ------------------------------------------------------------------ compute
sites = overview.filter_sites(sites_all, categories=chosen, query=query)
user_sites = (
    overview.filter_sites(user_layer.frame, query=query)
    if user_layer is not None and show_upload
    else None
)
measurement: network.Measurement | None = None
measure_error = ""
if from_key == to_key:
    measure_error = "FROM and TO are the same place."
else:
    try:
        measurement = route_network(str(folder), signature, atlas).measure(
            places[from_key][1], places[to_key][1]
        )
    except errors.PutuoGeoError as exc:
        measure_error = str(exc)
nearest = overview.nearest(atlas, click_lonlat) if click_lonlat else None

# ------------------------------------------------------------------ page
st.title("Half Marathon Suzhou Creek · 半马苏河")
st.caption(
    "Putuo District's creekside route along Suzhou Creek, its stations, bridges and sites. "
    "Hollow dashed stations are indicative positions (no public source places them)."
)

cols = st.columns(5)
cols[0].metric("Route length (both banks)", display.format_km(figs.route_length_m))
cols[1].metric("Creek length", display.format_km(figs.creek_length_m))
cols[2].metric("Stations confirmed", figs.stations_confirmed)
cols[3].metric("Stations indicative", figs.stations_indicative)
cols[4].metric("Sites shown", f"{len(sites)} of {figs.sites}")

base = mapview.build_map(atlas, basemap=basemap, km_posts=km_posts(str(folder), signature, atlas))
dynamic = [mapview.sites_layer(sites, total=len(sites_all))]
if measurement is not None:
    dynamic.append(
        mapview.measurement_layer(
            measurement, from_label=places[from_key][0], to_label=places[to_key][0]
        )
    )
if user_layer is not None and user_sites is not None:
    dynamic.append(mapview.upload_layer(user_sites, title=user_layer.title))
if nearest is not None:
    dynamic.append(mapview.click_layer(nearest))
st_folium(
    base,
    key=MAP_KEY,
    height=MAP_HEIGHT_PX,
    use_container_width=True,
    feature_group_to_add=dynamic,
    layer_control=mapview.layer_control(),
    returned_objects=["last_clicked"],
)

left, right = st.columns(2)
with left:
    st.subheader("Measurement")
    if measurement is None:
        st.info(measure_error or "Choose FROM and TO in the sidebar.")
    else:
        st.markdown(
            f"**{safety.escape_markdown(places[from_key][0])}** → "
            f"**{safety.escape_markdown(places[to_key][0])}**"
        )
        mcols = st.columns(2)
        mcols[0].metric("Along the route", display.format_length(measurement.along_route_m))
        mcols[1].metric("Straight line", display.format_length(measurement.straight_m))
        times = display.travel_times(measurement.total_m)
        tcols = st.columns(3)
        for col, (mode, seconds) in zip(tcols, times.items(), strict=True):
            col.metric(
                f"{mode.title()} ({display.SPEEDS_KMH[mode]:g} km/h)",
                display.format_duration(seconds),
            )
        names = dict(zip(atlas.bridges["id"], atlas.bridges["name_en"], strict=True))
        crossed = [names.get(b, b) for b in measurement.bridges]
        st.markdown(
            "**Bridges crossed:** "
            + (", ".join(safety.escape_markdown(n) for n in crossed) if crossed else "none")
        )
        offsets_m = measurement.start.offset_m + measurement.end.offset_m
        st.caption(
            f"Times use {display.format_length(measurement.total_m)}: the along-route "
            f"distance plus {display.format_length(offsets_m)} to reach the route at both ends."
        )
with right:
    st.subheader("Clicked point")
    if nearest is None:
        st.info("Click anywhere on the map: the nearest route point and station appear here.")
    else:
        st.markdown(
            f"Nearest route point: **{display.format_chainage(nearest.chainage_m)}**, "
            f"{display.format_length(nearest.route_distance_m)} away.  \n"
            f"Nearest station: **{safety.escape_markdown(nearest.station_name_en)}** "
            f"({safety.escape_markdown(nearest.station_name_zh)}), "
            f"{display.format_length(nearest.station_distance_m)} away."
        )

tab_sites, tab_stations, tab_figures = st.tabs(
    [f"Sites ({len(sites)})", f"Stations ({len(stations)})", "Figures"]
)
with tab_sites:
    site_rows = overview.site_table(sites).drop(columns="id")
    st.dataframe(
        site_rows,
        hide_index=True,
        column_config={"accuracy_m": st.column_config.NumberColumn("accuracy (m)", format="%d")},
    )
    st.download_button(
        "Download these sites (CSV)",
        safety.to_csv_bytes(site_rows),
        file_name="sites.csv",
        mime="text/csv",
        key="download_sites",
    )
with tab_stations:
    table = stations.assign(chainage_km=stations["chainage_m"] / 1000).drop(
        columns=["chainage_m", "id"]
    )
    st.dataframe(
        table[["number", "name_en", "name_zh", "chainage_km", "bank", "status", "accuracy_m"]],
        hide_index=True,
        column_config={
            "chainage_km": st.column_config.NumberColumn("chainage (km)", format="%.2f"),
            "accuracy_m": st.column_config.NumberColumn("accuracy (m)", format="%d"),
        },
    )
with tab_figures:
    fcols = st.columns(2)
    with fcols[0]:
        st.markdown("**Parks** (area measured in EPSG:32651)")
        st.dataframe(
            figs.park_areas_m2.rename("area_ha").div(10_000).round(2).to_frame(),
        )
    with fcols[1]:
        st.markdown("**Zones**")
        st.dataframe(
            figs.zone_areas_m2.rename("area_km2").div(1_000_000).round(2).to_frame(),
        )
    st.caption(
        f"{figs.bridges} bridges; travel times assume "
        + ", ".join(f"{m} {kmh:g} km/h" for m, kmh in display.SPEEDS_KMH.items())
        + f". Data folder: {safety.escape_markdown(folder)}."
    )
