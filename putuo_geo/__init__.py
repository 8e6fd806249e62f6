"""Putuo's Half Marathon Suzhou Creek belt: data, measures and map.

Modules, one responsibility each:

- ``config``   constants (data folder, CRSs, layer names)
- ``errors``   the exceptions the package raises
- ``datum``    GCJ-02 / BD-09 / WGS-84 conversion (arrays, geometries, GeoDataFrames)
- ``layers``   load ``geo/`` and validate it against ``geo/datapackage.json``
- ``measures`` lengths, areas, chainage and offsets in EPSG:32651
- ``network``  the walkable route graph (bank paths joined by bridges)
- ``mapview``  builds the folium map (never imports streamlit)
- ``cli``      the ``putuo-geo`` command
"""

__version__ = "0.1.0"
