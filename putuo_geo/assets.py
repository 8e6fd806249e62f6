"""Offline browser assets: copy Leaflet & co. into ``static/vendor`` and point folium at them.

folium writes CDN URLs into every map (its ``default_js`` / ``default_css`` lists on the
map and on each plugin). The page must work without the internet, and ``st_folium``
loads the script URLs in order and stops at the first that fails, so one unreachable
URL means a blank map. This module

1. finds the files in installed packages (PyPI's ``xstatic-leaflet`` and ``xstatic-jquery``;
   npm's ``leaflet-measure``, ``leaflet.locatecontrol`` and ``leaflet.fullscreen`` in
   ``node_modules``) and
   copies them into ``static/vendor/`` (:func:`install`; ``make assets`` runs it),
2. rewrites the URLs of every element of a built map to ``/app/static/vendor/...``,
   which Streamlit serves when ``server.enableStaticServing = true`` (:func:`localize`),
3. lists any URL that is still not local (:func:`non_local_urls`), for tests and the page.

Files are copied, not linked: Streamlit refuses static paths that resolve outside
``static/``.

Run ``python -m putuo_geo.assets`` to copy the files.
"""

from __future__ import annotations

import importlib
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import branca.element
import folium
import folium.elements

#: URL prefix of ``static/`` under Streamlit's static file serving.
STATIC_URL = "/app/static"
#: Folder (relative to the app) and URL (relative to ``STATIC_URL``) of the copied assets.
VENDOR_DIR = "vendor"

#: The project root (where ``app.py``, ``static/`` and ``node_modules/`` live).
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Bundle:
    """One third-party package whose files are copied to ``static/vendor/<name>/``.

    ``origin`` is ``"xstatic:<module>"`` (a PyPI XStatic package; files in its
    ``BASE_DIR``) or ``"npm:<path inside node_modules>"``.
    """

    name: str
    origin: str
    files: tuple[str, ...]  # paths inside the bundle folder; directories end with "/"


BUNDLES: tuple[Bundle, ...] = (
    Bundle("leaflet", "xstatic:xstatic.pkg.leaflet", ("leaflet.js", "leaflet.css", "images/")),
    Bundle("jquery", "xstatic:xstatic.pkg.jquery", ("jquery.min.js",)),
    Bundle(
        "leaflet-measure",
        "npm:leaflet-measure/dist",
        ("leaflet-measure.min.js", "leaflet-measure.css", "images/"),
    ),
    # The phone-first controls (issue 13): "where am I" and a fullscreen button. Their
    # icons are inline SVG in the CSS, so no image folder is needed.
    Bundle(
        "leaflet.locatecontrol",
        "npm:leaflet.locatecontrol/dist",
        ("L.Control.Locate.min.js", "L.Control.Locate.min.css"),
    ),
    Bundle(
        "leaflet.fullscreen",
        "npm:leaflet.fullscreen/dist",
        ("Control.FullScreen.umd.js", "Control.FullScreen.css"),
    ),
)

#: folium's asset names -> file under ``vendor/``. Keys are the first item of the
#: ``(name, url)`` pairs in ``default_js`` / ``default_css`` (folium 0.20).
LOCAL_FILES: dict[str, str] = {
    "leaflet": "leaflet/leaflet.js",
    "leaflet_css": "leaflet/leaflet.css",
    "jquery": "jquery/jquery.min.js",
    "leaflet_measure_js": "leaflet-measure/leaflet-measure.min.js",
    "leaflet_measure_css": "leaflet-measure/leaflet-measure.css",
    # putuo_geo.mapcontrols names its assets with these keys (folium's own
    # LocateControl / Fullscreen pin older CDN versions under other names).
    "leaflet_locatecontrol_js": "leaflet.locatecontrol/L.Control.Locate.min.js",
    "leaflet_locatecontrol_css": "leaflet.locatecontrol/L.Control.Locate.min.css",
    "leaflet_fullscreen_js": "leaflet.fullscreen/Control.FullScreen.umd.js",
    "leaflet_fullscreen_css": "leaflet.fullscreen/Control.FullScreen.css",
}

#: Assets folium's default page asks for that this page does not use, dropped rather
#: than served: Bootstrap 5 (JS + CSS) and Bootstrap 3 glyphicons style folium's own
#: ``folium.Icon`` markers and nothing else; Font Awesome, Leaflet.awesome-markers and
#: the rotate CSS draw ``folium.Icon`` too. The page draws circle markers, div icons
#: and a Leaflet control for the legend, so none of them is needed (and each would be
#: one more file that could fail to load and blank the map).
UNUSED: frozenset[str] = frozenset(
    {
        "bootstrap",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers",
        "awesome_markers_css",
        "awesome_markers_font_css",
        "awesome_rotate_css",
    }
)


#: The page's map scripts, in load order, joined into one file (:data:`MAP_BUNDLE`) by
#: :func:`install`. ``st_folium`` loads a map's script URLs one after another (each
#: waits for the one before it to arrive and run), so four files cost four round trips
#: to the server before Leaflet draws anything; one file costs one. A bundler (esbuild,
#: rollup) would do the same job with one more npm tool; a plain join suffices because
#: each file is a self-contained UMD or IIFE script that sets ``window.L`` or extends it,
#: and none starts with a file-wide ``"use strict"``.
BUNDLED_JS: tuple[str, ...] = (
    "leaflet",
    "leaflet_measure_js",
    "leaflet_locatecontrol_js",
    "leaflet_fullscreen_js",
)
#: The joined scripts, under ``vendor/``.
MAP_BUNDLE = "putuo-map.js"
#: The page's own map scripts (in ``putuo_geo/js/``), joined after :data:`BUNDLED_JS`:
#: measuring by tapping (:class:`putuo_geo.mapcontrols.MapTaps`).
OWN_JS: tuple[str, ...] = ("map-taps.js",)
OWN_JS_DIR = Path(__file__).resolve().parent / "js"
#: Scripts a bundled map drops: jQuery serves only folium's ``Popup`` and
#: ``objects_to_stay_in_front`` templates (``$(...)``), which the page does not use.
BUNDLED_DROPS: frozenset[str] = frozenset({"jquery"})


def _bundle_source(bundle: Bundle, *, node_modules: Path) -> Path:
    kind, _, where = bundle.origin.partition(":")
    if kind == "xstatic":
        module = importlib.import_module(where)
        return Path(module.BASE_DIR)
    return node_modules / where


def missing_sources(*, node_modules: Path | None = None) -> list[str]:
    """Source files that are not installed, as readable lines (empty when all are there)."""
    modules = node_modules if node_modules is not None else PROJECT_ROOT / "node_modules"
    problems = []
    for bundle in BUNDLES:
        try:
            source = _bundle_source(bundle, node_modules=modules)
        except ImportError:
            problems.append(f"{bundle.name}: Python package for {bundle.origin} is not installed")
            continue
        problems.extend(
            f"{bundle.name}: {source / item} is missing"
            for item in bundle.files
            if not (source / item).exists()
        )
    return problems


def install(static_dir: Path | None = None, *, node_modules: Path | None = None) -> list[Path]:
    """Copy every bundle's files into ``<static_dir>/vendor/``.

    Parameters
    ----------
    static_dir
        The app's ``static/`` folder; defaults to the project's.
    node_modules
        Where ``npm ci`` installed the npm packages; defaults to the project's.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    FileNotFoundError
        Naming every source file that is not installed.
    """
    static = static_dir if static_dir is not None else PROJECT_ROOT / "static"
    modules = node_modules if node_modules is not None else PROJECT_ROOT / "node_modules"
    problems = missing_sources(node_modules=modules)
    if problems:
        msg = "Cannot copy the map's assets (run `make install`):\n" + "\n".join(problems)
        raise FileNotFoundError(msg)
    written: list[Path] = []
    for bundle in BUNDLES:
        source = _bundle_source(bundle, node_modules=modules)
        target = static / VENDOR_DIR / bundle.name
        for item in bundle.files:
            if item.endswith("/"):
                shutil.copytree(source / item, target / item, dirs_exist_ok=True)
                written.extend(p for p in (target / item).rglob("*") if p.is_file())
            else:
                (target / item).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source / item, target / item)
                written.append(target / item)
    written.append(_join_scripts(static / VENDOR_DIR))
    return written


def _join_scripts(vendor: Path) -> Path:
    """Write :data:`MAP_BUNDLE`: the :data:`BUNDLED_JS` files, each after a comment naming it."""
    parts = []
    for name in BUNDLED_JS:
        code = (vendor / LOCAL_FILES[name]).read_text(encoding="utf-8")
        # ";" ends a file whose last statement has no semicolon before the next one starts.
        parts.append(f"/* {LOCAL_FILES[name]} */\n{code}\n;\n")
    for own in OWN_JS:
        code = (OWN_JS_DIR / own).read_text(encoding="utf-8")
        parts.append(f"/* putuo_geo/js/{own} */\n{code}\n;\n")
    target = vendor / MAP_BUNDLE
    target.write_text("".join(parts), encoding="utf-8")
    return target


def missing_files(static_dir: Path | None = None) -> list[str]:
    """Files the localized map references that are not in ``<static_dir>/vendor/``."""
    static = static_dir if static_dir is not None else PROJECT_ROOT / "static"
    return [
        f"{VENDOR_DIR}/{rel}"
        for rel in sorted({*LOCAL_FILES.values(), MAP_BUNDLE})
        if not (static / VENDOR_DIR / rel).is_file()
    ]


def _elements(root: branca.element.Element) -> Iterator[branca.element.Element]:
    yield root
    for child in root._children.values():
        yield from _elements(child)


def _asset_lists(
    element: branca.element.Element,
) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    for attr in ("default_js", "default_css"):
        pairs = getattr(element, attr, None)
        if pairs:
            yield attr, list(pairs)


def localize(
    m: folium.Map, *, base_url: str = f"{STATIC_URL}/{VENDOR_DIR}", bundled: bool = False
) -> folium.Map:
    """Point every script and style URL of ``m`` and its children at local copies.

    Known assets (:data:`LOCAL_FILES`) are rewritten to ``<base_url>/<file>``; unused
    ones (:data:`UNUSED`) are dropped; anything else is left as is, for
    :func:`non_local_urls` to report. Works on instance attributes, so folium's
    class-level defaults stay untouched for other maps. Call it after every element
    is added (``st_folium`` collects the lists from the element tree).

    With ``bundled``, the first of the :data:`BUNDLED_JS` scripts in the tree (Leaflet,
    on the map itself) becomes :data:`MAP_BUNDLE` and the others, which it holds, are
    dropped, as are :data:`BUNDLED_DROPS`: one script request in place of five.

    Returns
    -------
    folium.Map
        ``m`` itself, changed in place.
    """
    bundle_placed = False
    for element in _elements(m):
        for attr, pairs in _asset_lists(element):
            local = []
            for name, url in pairs:
                if name in UNUSED or (bundled and name in BUNDLED_DROPS):
                    continue
                if bundled and name in BUNDLED_JS:
                    if not bundle_placed:
                        local.append((MAP_BUNDLE, f"{base_url}/{MAP_BUNDLE}"))
                    bundle_placed = True
                    continue
                local.append(
                    (name, f"{base_url}/{LOCAL_FILES[name]}" if name in LOCAL_FILES else url)
                )
            setattr(element, attr, local)
    return m


def asset_urls(m: branca.element.Element) -> list[str]:
    """Every script and style URL the element tree asks for, in order, without repeats."""
    urls: dict[str, None] = {}
    for element in _elements(m):
        for _, pairs in _asset_lists(element):
            urls.update(dict.fromkeys(url for _, url in pairs))
    return list(urls)


def is_local(url: str, *, static_url: str = STATIC_URL) -> bool:
    """Whether ``url`` is served by this app's static folder (an absolute path under it)."""
    return url.startswith(static_url + "/") and "//" not in url


def non_local_urls(m: branca.element.Element) -> list[str]:
    """Script/style URLs of the map that the app does not serve itself (should be empty)."""
    return [url for url in asset_urls(m) if not is_local(url)]


def main() -> int:
    """Copy the assets (``python -m putuo_geo.assets``); print where they went."""
    try:
        written = install()
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"copied {len(written)} asset files to {PROJECT_ROOT / 'static' / VENDOR_DIR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
