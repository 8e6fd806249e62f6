"""putuo_geo.maplayer: compact layer data, the card table, inlining, the rendered script."""

from __future__ import annotations

import json
import shutil
import subprocess

import folium
import pytest

from putuo_geo import maplayer


def _point(fid: str, *, n: str, c: list[int] | None = None, **props):
    properties = {"kind": "toy", "id": fid, "n": n, **props}
    if c is not None:
        properties["c"] = c
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Point", "coordinates": [121.4, 31.24]},
    }


def test_inline_json_cannot_close_a_script_and_keeps_utf8():
    value = {"t": "</script><!-- 普陀 \u2028\u2029 &amp;"}
    text = maplayer.inline_json(value)
    assert "<" not in text
    assert ">" not in text
    assert "\u2028" not in text
    assert "\u2029" not in text
    assert "普陀" in text  # 3 bytes each in UTF-8, not a 6-byte \\uXXXX
    assert text.startswith('{"t":"')  # compact separators
    assert json.loads(text) == value


def test_inline_json_opens_no_jinja_tag_and_round_trips():
    value = {"t": "{{ 7*7 }} {% raw %} {# x", "u": "a\\{{b", "nested": {"k": [{}]}}
    text = maplayer.inline_json(value)
    assert not any(tag in text for tag in ("{{", "{%", "{#"))
    assert json.loads(text) == value


def test_a_rendered_page_keeps_template_syntax_in_the_data_as_text():
    data = {
        "type": "FeatureCollection",
        "features": [_point("a", n="{{ 7*7 }}{% if true %}x{% endif %}")],
        "cards": {"labels": [], "texts": [""]},
    }
    m = folium.Map(tiles=None)
    maplayer.Helpers().add_to(m)
    maplayer.DataLayer(data, name="toy").add_to(m)
    page = m.get_root().render()
    start = page.index("pgLayer(") + len("pgLayer(")
    shipped, _ = json.JSONDecoder().raw_decode(page, start)
    assert shipped["features"][0]["properties"]["n"] == "{{ 7*7 }}{% if true %}x{% endif %}"


def test_card_table_ships_each_text_once_and_drops_trailing_blanks():
    table = maplayer.CardTable()
    assert table.refs([("Status", "indicative"), ("Source", "rule"), ("Note", "")]) == [1, 2]
    assert table.refs([("Status", "confirmed"), ("Source", "rule"), ("Note", "x")]) == [3, 2, 4]
    assert table.refs([("Status", ""), ("Source", "rule"), ("Note", "")]) == [0, 2]
    assert table.as_dict() == {
        "labels": ["Status", "Source", "Note"],
        "texts": ["", "indicative", "rule", "confirmed", "x"],
    }


def test_card_table_refuses_other_labels_in_one_layer():
    table = maplayer.CardTable()
    table.refs([("Status", "a")])
    with pytest.raises(ValueError, match="labels"):
        table.refs([("Source", "a")])


NODE = shutil.which("node")


def _pg_card(props: dict, cards: dict, rows: float | None = None) -> str:
    """Run the browser's own ``pgCard`` (:data:`maplayer.HELPERS_JS`) in Node."""
    script = (
        "var window = globalThis;\n"
        + maplayer.HELPERS_JS
        + "\nvar a = JSON.parse(process.argv[1]);"
        + "\nprocess.stdout.write(pgCard(a[0], a[1], a[2] === null ? Infinity : a[2]));"
    )
    args = json.dumps([props, cards, rows])
    done = subprocess.run(
        [NODE or "node", "-e", script, args], capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.mark.skipif(NODE is None, reason="Node.js (installed with npm) runs the browser code")
def test_the_browser_card_is_title_then_non_empty_rows_and_its_python_twin_agrees():
    cards = {"labels": ["Status", "Source", "Note"], "texts": ["", "ok", "S &amp; T"]}
    props = {"n": "A &lt;b&gt;", "c": [1, 0, 2]}
    full = (
        '<div class="pg-card"><b>A &lt;b&gt;</b><table>'
        "<tr><th>Status</th><td>ok</td></tr><tr><th>Note</th><td>S &amp; T</td></tr>"
        "</table></div>"
    )
    one_row = (
        '<div class="pg-card"><b>A &lt;b&gt;</b><table>'
        "<tr><th>Status</th><td>ok</td></tr></table></div>"
    )
    title_only = '<div class="pg-card"><b>B</b></div>'
    assert _pg_card(props, cards) == full
    assert _pg_card(props, cards, 1) == one_row
    assert _pg_card({"n": "B"}, cards) == title_only
    # the tests' reading aid (maplayer.card_html) builds the same HTML
    assert maplayer.card_html(props, cards) == full
    assert maplayer.card_html(props, cards, rows=1) == one_row
    assert maplayer.card_html({"n": "B"}, cards) == title_only


def test_data_layer_ships_each_style_once():
    data = {
        "type": "FeatureCollection",
        "features": [
            _point("a", n="A", status="confirmed"),
            _point("b", n="B", status="indicative"),
            _point("c", n="C", status="confirmed"),
        ],
        "cards": {"labels": [], "texts": [""]},
    }

    def style(feature):
        return {"weight": 2 if feature["properties"]["status"] == "confirmed" else 1}

    layer = maplayer.DataLayer(data, name="toy", style=style, radius=7, tip_rows=0, popup=False)
    assert layer.spec["styles"] == [{"weight": 2}, {"weight": 1}]
    assert [f["properties"].get("s") for f in data["features"]] == [None, 1, None]
    assert layer.spec == {
        "styles": [{"weight": 2}, {"weight": 1}],
        "radius": 7,
        "tip": 0,
        "popup": False,
        "label": None,
    }


def test_the_rendered_script_builds_the_layer_with_the_helpers():
    data = {
        "type": "FeatureCollection",
        "features": [_point("a", n="&lt;/script&gt;", c=[1])],
        "cards": {"labels": ["Source"], "texts": ["", "普陀 &amp; co"]},
    }
    m = folium.Map(tiles=None)
    maplayer.Helpers().add_to(m)
    group = folium.FeatureGroup(name="toy").add_to(m)
    maplayer.Helpers().add_to(group)  # a second copy: guarded, harmless
    maplayer.DataLayer(data, name="toy").add_to(group)
    page = m.get_root().render()
    assert page.count("if (!window.pgLayer)") == 2
    assert "pgLayer({" in page
    assert '"texts":["","普陀 &amp; co"]' in page
    assert page.count("</script>") == page.count("<script")  # the data closed none
    assert "bindPopup" in page
    assert "foliumtooltip" not in page  # no folium tooltip/popup machinery
