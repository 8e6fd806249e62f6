"""putuo_geo.safety: Markdown and HTML escaping, CSV formula neutralising; and the map's
templates never run text from the data (folium re-reads its scripts as Jinja)."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest
from hostile import PAYLOADS, write_hostile

from putuo_geo import layers, mapview, safety


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


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Changfeng Park", "Changfeng Park"),
        ("长风公园", "长风公园"),
        ("a=1", "a=1"),
        (-1.5, -1.5),
        (None, None),
    ],
)
def test_neutralise_csv_cell(cell, expected):
    assert safety.neutralise_csv_cell(cell) == expected


def test_csv_bytes_read_back_as_text_not_formulas():
    frame = pd.DataFrame({"name": ['=HYPERLINK("http://x")', "ok", "-2+3"], "n": [1, -2, 3]})
    text = safety.to_csv_bytes(frame).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["name", "n"],
        ['\'=HYPERLINK("http://x")', "1"],
        ["ok", "-2"],
        ["'-2+3", "3"],
    ]
    assert frame["name"].iloc[0].startswith("=")  # the caller's frame is untouched


def test_problems_markdown_escapes_title_and_problems():
    md = safety.problems_markdown("In `x`:", ["a *b*", "[c](javascript:1)"])
    assert md == "**In \\`x\\`\\:**\n\n- a \\*b\\*\n- \\[c\\]\\(javascript\\:1\\)"


def test_the_map_never_runs_data_as_a_template(tmp_path):
    """Regression: a name holding {% raw %} crashed the page; {{ 7*7 }} printed 49."""
    atlas = layers.load_atlas(write_hostile(tmp_path / "geo"))
    m = mapview.build_map(atlas)
    mapview.sites_layer(atlas.sites).add_to(m)
    page = m.get_root().render()
    assert "&#123;&#123; 7*7 &#125;&#125;" in page
    assert re.search(r"49 #[a-z]", page) is None  # "{{ 7*7 }} #<id>" never became "49 #<id>"
    assert "<script>window.__pwned" not in page
    for tag in ("<img src=x", "\\u003cimg src=x", "<svg onload", "\\u003csvg onload"):
        assert tag not in page  # only as &lt;img ... (escaped before it was JSON-encoded)
