"""putuo_geo.assets: local copies of the browser files and the URL rewrite."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import folium
import folium.plugins
import pytest
from xstatic.pkg import jquery, leaflet

from putuo_geo import assets

ROOT = Path(__file__).resolve().parent.parent


def _version_in(url: str) -> str:
    match = re.search(r"@?(\d+\.\d+\.\d+)", url)
    assert match, url
    return match.group(1)


def test_xstatic_versions_are_the_ones_folium_asks_for():
    urls = dict(folium.Map.default_js)
    assert _version_in(urls["leaflet"]) == leaflet.VERSION
    assert _version_in(urls["jquery"]) == jquery.VERSION


def test_npm_lock_pins_the_leaflet_measure_folium_asks_for():
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/leaflet-measure"]["version"]
    url = dict(folium.plugins.MeasureControl.default_js)["leaflet_measure_js"]
    assert pinned == _version_in(url)


def test_streamlit_serves_the_static_folder():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableStaticServing"] is True
    assert config["browser"]["gatherUsageStats"] is False


def test_install_copies_every_file_the_map_references(tmp_path):
    if assets.missing_sources():
        pytest.skip("npm packages not installed (run `make assets`)")
    assert assets.missing_files(tmp_path) == sorted(
        {f"vendor/{rel}" for rel in (*assets.LOCAL_FILES.values(), assets.MAP_BUNDLE)}
    )
    written = assets.install(tmp_path)
    assert assets.missing_files(tmp_path) == []
    # the joined scripts: each file whole, in load order (Leaflet first)
    joined = (tmp_path / "vendor" / assets.MAP_BUNDLE).read_text(encoding="utf-8")
    at = [
        joined.index((tmp_path / "vendor" / assets.LOCAL_FILES[name]).read_text(encoding="utf-8"))
        for name in assets.BUNDLED_JS
    ]
    assert at == sorted(at)
    assert "jquery" not in joined.lower()[:200]
    assert (tmp_path / "vendor/leaflet/images/marker-icon.png") in written
    assert (tmp_path / "vendor/leaflet-measure/images/rulers.png").is_file()


def test_install_names_every_missing_source(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"leaflet-measure: .*leaflet-measure\.min\.js"):
        assets.install(tmp_path / "static", node_modules=tmp_path / "empty")
    assert not (tmp_path / "static").exists()


def test_localize_rewrites_map_and_plugin_urls_and_drops_unused():
    m = folium.Map(tiles=None)
    folium.plugins.MeasureControl().add_to(m)
    assets.localize(m, base_url="/app/static/vendor")
    urls = assets.asset_urls(m)
    assert "/app/static/vendor/leaflet/leaflet.js" in urls
    assert "/app/static/vendor/leaflet-measure/leaflet-measure.min.js" in urls
    assert not any("bootstrap" in u or "awesome" in u for u in urls)
    assert assets.non_local_urls(m) == []
    # folium's class defaults are untouched: other maps still get the CDN lists
    assert dict(folium.Map.default_js)["leaflet"].startswith("https://")


def test_localize_bundled_asks_for_one_script_in_place_of_the_joined_ones():
    m = folium.Map(tiles=None)
    folium.plugins.MeasureControl().add_to(m)
    assets.localize(m, base_url="/v", bundled=True)
    urls = assets.asset_urls(m)
    scripts = [u for u in urls if u.endswith(".js")]
    assert scripts == [f"/v/{assets.MAP_BUNDLE}"]  # Leaflet + ruler, and no jQuery
    assert "/v/leaflet-measure/leaflet-measure.css" in urls  # styles stay separate
    # the page renders one <script> for it (folium keys header scripts by name)
    assert m.get_root().render().count(assets.MAP_BUNDLE) == 1


def test_non_local_urls_lists_an_asset_it_does_not_know():
    m = folium.Map(tiles=None)
    folium.plugins.Fullscreen().add_to(m)
    assets.localize(m)
    remaining = assets.non_local_urls(m)
    assert len(remaining) == 2
    assert all(u.startswith("https://") for u in remaining)


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("/app/static/vendor/leaflet/leaflet.js", True),
        ("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js", False),
        ("//cdn.example/app/static/x.js", False),
        ("/app/static//evil.example/x.js", False),
        ("/static/x.js", False),
    ],
)
def test_is_local(url, local):
    assert assets.is_local(url) is local


@pytest.mark.parametrize(
    ("package", "bundle"),
    [
        ("leaflet.locatecontrol", "leaflet.locatecontrol"),
        ("leaflet.fullscreen", "leaflet.fullscreen"),
    ],
)
def test_phone_controls_are_pinned_npm_bundles(package, bundle):
    manifest = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    pinned = manifest["dependencies"][package]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned)  # --save-exact: no ranges
    assert lock["packages"][f"node_modules/{package}"]["version"] == pinned
    (found,) = [b for b in assets.BUNDLES if b.name == bundle]
    assert found.origin == f"npm:{package}/dist"
    # every file the bundle copies is one the map references
    referenced = {rel for rel in assets.LOCAL_FILES.values() if rel.startswith(f"{bundle}/")}
    assert referenced == {f"{bundle}/{f}" for f in found.files}


def test_install_copies_the_phone_controls(tmp_path):
    if assets.missing_sources():
        pytest.skip("npm packages not installed (run `make assets`)")
    assets.install(tmp_path)
    assert (tmp_path / "vendor/leaflet.locatecontrol/L.Control.Locate.min.js").is_file()
    assert (tmp_path / "vendor/leaflet.fullscreen/Control.FullScreen.umd.js").is_file()
