"""putuo_geo.safety: Markdown and HTML escaping, CSV formula neutralising; and the map's
templates never run text from the data (folium re-reads its scripts as Jinja)."""

from __future__ import annotations

import csv
import io
import json
import re

import gpxpy
import pytest
from hostile import PAYLOADS, write_hostile

from putuo_geo import exports, layers, mapview, safety


@pytest.mark.parametrize("text", PAYLOADS)
def test_escape_markdown_leaves_no_markup_character_bare(text):
    escaped = safety.escape_markdown(text)
    bare = escaped.replace("\\\\", "").replace("\\", "")
    assert bare == text.replace("\\", "")  # nothing but backslashes added
    for i, ch in enumerate(escaped):  # every punctuation mark is preceded by a backslash
        if ch in "*_[]()<>`$:#!|{}~=+-" and (i == 0 or escaped[i - 1] != "\\"):
            assert escaped[i - 1 : i + 1].startswith("\\\\"), (text, i)


def test_escape_markdown_puts_everything_on_one_line():
    assert safety.escape_markdown("a\n# b\r\n- c") == "a \\# b \\- c"


def test_escape_html_escapes_tags_quotes_and_template_braces():
    assert safety.escape_html('<b a="1">{{ x }}{% y %}</b>\'') == (
        "&lt;b a=&quot;1&quot;&gt;&#123;&#123; x &#125;&#125;&#123;% y %&#125;&lt;/b&gt;&#x27;"
    )


@pytest.fixture(scope="module")
def hostile_atlas(tmp_path_factory):
    return layers.load_atlas(write_hostile(tmp_path_factory.mktemp("hostile") / "geo"))


def test_csv_export_neutralises_every_formula_and_keeps_the_rest(hostile_atlas):
    text = exports.sites_csv(hostile_atlas.sites).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(hostile_atlas.sites)
    for row, (_, site) in zip(rows, hostile_atlas.sites.iterrows(), strict=True):
        for column in ("name_en", "name_zh", "source"):
            original = str(site[column])
            if original.startswith(("=", "+", "-", "@", "\t", "\r")):
                assert row[column] == "'" + original
            else:
                assert row[column] == original


def test_geojson_and_gpx_exports_read_back_every_hostile_string(hostile_atlas):
    doc = json.loads(exports.sites_geojson(hostile_atlas.sites))
    names = [f["properties"]["name_en"] for f in doc["features"]]
    assert sorted(names) == sorted(hostile_atlas.sites["name_en"])
    gpx = exports.route_gpx(
        hostile_atlas.route, hostile_atlas.stations, name=PAYLOADS[1], label=lambda en, zh: en
    )
    parsed = gpxpy.parse(gpx)
    assert parsed.name == PAYLOADS[1]
    assert sorted(w.name for w in parsed.waypoints) == sorted(hostile_atlas.stations["name_en"])
    assert "<script>" not in gpx  # escaped as &lt;script&gt; in the XML


def test_problem_bullets_escape_every_problem():
    md = safety.problem_bullets(["a *b*", "[c](javascript:1)"])
    assert md == "- a \\*b\\*\n- \\[c\\]\\(javascript\\:1\\)"


def test_the_map_never_runs_data_as_a_template(hostile_atlas):
    """Regression: a name holding {% raw %} crashed the page; {{ 7*7 }} printed 49."""
    atlas = hostile_atlas
    m = mapview.build_map(atlas)
    mapview.sites_layer(atlas.sites).add_to(m)
    page = m.get_root().render()
    assert "&#123;&#123; 7*7 &#125;&#125;" in page
    assert re.search(r"49 #[a-z]", page) is None  # "{{ 7*7 }} #<id>" never became "49 #<id>"
    assert "<script>window.__pwned" not in page
    for tag in ("<img src=x", "\\u003cimg src=x", "<svg onload", "\\u003csvg onload"):
        assert tag not in page  # only as &lt;img ... (escaped before it was JSON-encoded)


def test_control_characters_in_the_data_never_break_an_export(tmp_path):
    import xml.etree.ElementTree as ET

    from hostile import CONTROL_PAYLOADS

    atlas = layers.load_atlas(write_hostile(tmp_path / "ctl", CONTROL_PAYLOADS))
    gpx = exports.route_gpx(atlas.route, atlas.stations, name="route", label=lambda en, zh: en)
    names = [w.findtext("{*}name") for w in ET.fromstring(gpx).findall(".//{*}wpt")]
    assert len(names) == len(atlas.stations)
    assert not any(exports.XML_ILLEGAL.search(n or "") for n in names)
    doc = json.loads(exports.sites_geojson(atlas.sites))
    expected = {exports.CSV_CONTROLS.sub("", n) for n in atlas.sites["name_en"]}
    assert {f["properties"]["name_en"] for f in doc["features"]} == expected
    assert any("nul inside" in n for n in expected)  # nothing after a NUL is lost
    text = exports.sites_csv(atlas.sites).decode("utf-8-sig")
    assert not exports.CSV_CONTROLS.search(text)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == len(atlas.sites) + 1
    page = mapview.build_map(atlas).get_root().render()
    assert "ctl" in page


@pytest.mark.parametrize("escape", [safety.escape_html, safety.escape_markdown])
def test_a_bidi_override_from_the_data_is_shown_harmlessly(escape):
    # Issue 23 §3: U+202E turned the rest of the line around ("evilexe.jpg").
    shown = escape("evil\u202egpj.exe \u2067x\u2069 \u202a\u202b\u202c\u202d")
    assert not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in shown)
    assert "evilgpj" in shown
