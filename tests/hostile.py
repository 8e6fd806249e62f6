"""Hostile text: a copy of the real ``geo/`` whose every free-text field is an attack.

Each payload, if it ever ran as script, sets ``window.__pwned`` (or calls ``alert``);
if it ever rendered as Markdown or HTML, the page would show a link, an image, bold
text or a colour instead of the characters. The browser test
(tests/e2e/test_hostile.py) and the unit tests assert that neither happens.
"""

from __future__ import annotations

import json
import shutil
from itertools import cycle
from pathlib import Path

from putuo_geo import config

#: Strings that try to run script or restyle the page, one per technique.
PAYLOADS: tuple[str, ...] = (
    '<img src=x onerror="window.__pwned=1;alert(1)">',
    "</script><script>window.__pwned=2</script>",
    "`${window.__pwned=3}` ${alert(3)}",
    "\"'><svg onload=window.__pwned=4>",
    '\\"); window.__pwned=5; //\\',
    "[click me](javascript:window.__pwned=6) ![x](http://evil.invalid/x.png)",
    "**bold** :red[red] $x^2$ <b>b</b> # heading",
    "{{ 7*7 }} {% raw %} <!-- comment --> &amp; &lt;",
    '=HYPERLINK("http://evil.invalid","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "長" * 300 + "A" * 3000,
)

#: Control characters in names (issue 12.4): a name holding U+0001 made a GPX that no
#: XML parser reads. Kept apart from PAYLOADS, which the browser test finds on the page.
CONTROL_PAYLOADS: tuple[str, ...] = (
    "ctl\x01\x02\x1b[31m red",
    "nul\x00 inside",
    "c1\x85\x9f and DEL\x7f",
    "non-characters \ufffe\uffff",
    "]]> <![CDATA[ x ]]>",
)

#: Per layer, the free-text fields the page shows (ids, enums and numbers stay valid).
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "boundary": ("name_en", "name_zh", "source"),
    "zones": ("name_en", "name_zh", "source", "method"),
    "parks": ("name_en", "name_zh", "source"),
    "creek": ("name_en", "name_zh", "source"),
    "route": ("name_en", "name_zh", "source"),
    "bridges": ("name_en", "name_zh", "source", "joins"),
    "sites": ("name_en", "name_zh", "source", "address_zh"),
    "stations": ("name_en", "name_zh", "source", "offers"),
}


def write_hostile(folder: Path, payloads: tuple[str, ...] = PAYLOADS) -> Path:
    """Copy ``geo/`` to ``folder`` with every text field replaced by a payload (in turn).

    Names stay unique per feature: the payload is followed by `` #<feature id>`` so a
    test can find each feature's text on the page.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for path in config.PACKAGE_DATA_DIR.glob("*json"):
        shutil.copyfile(path, folder / path.name)
    texts = cycle(payloads)
    for layer, fields in TEXT_FIELDS.items():
        path = folder / f"{layer}.geojson"
        doc = json.loads(path.read_text(encoding="utf-8"))
        for feature in doc["features"]:
            props = feature["properties"]
            for field in fields:
                if field in props:
                    props[field] = f"{next(texts)} #{props['id']}"
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder
