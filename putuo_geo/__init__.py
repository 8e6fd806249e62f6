"""Putuo's Half Marathon Suzhou Creek belt: data, measures and map.

Modules, one responsibility each:

- ``config``   constants (data folder, CRSs, layer names)
- ``errors``   the exceptions the package raises
- ``datum``    GCJ-02 / BD-09 / WGS-84 conversion (arrays, geometries, GeoDataFrames)
- ``layers``   load ``geo/`` and validate it against ``geo/datapackage.json``
- ``crs``      the one projection between WGS-84 lon/lat and EPSG:32651 metres
- ``segments`` the exact vectorised nearest-segment search (the snap engine's core)
- ``route``    the route model: creek centreline, chainage, bank paths, snapping
- ``measures`` lengths, areas, chainage and offsets in EPSG:32651
- ``network``  the walkable route graph (bank paths joined by bridges)
- ``mapview``  builds the folium map (never imports streamlit)
- ``cli``      the ``putuo-geo`` command
"""

__version__ = "0.4.0"
