"""Rewrite a ``datapackage.json`` into a valid Frictionless Data Package, in place.

Run ``python scripts/frictionless_package.py geo/datapackage.json``. Idempotent: a
descriptor already in this form is written back unchanged. What it does:

- a field's ``required`` / ``unique`` / ``pattern`` / ``enum`` / ``minimum`` / ``maximum``
  move into its Table Schema ``constraints``;
- ``enum_ref`` (a list kept on the package) becomes ``constraints.enum`` inline, and the
  package-level list is dropped;
- ``sources`` given as plain text become ``{"title": text}`` objects;
- GeoJSON resources get ``mediatype: application/geo+json`` and ``encoding: utf-8``.

The project's own keys stay as they are, which the Data Package standard allows:
``crs``, ``geometry_types``, ``feature_count``, ``feature_count_min`` on a resource and
``nullable`` on a field (see :func:`putuo_geo.layers.field_rules`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

CONSTRAINTS = ("required", "unique", "pattern", "enum", "minimum", "maximum")


def frictionless(package: dict[str, Any]) -> dict[str, Any]:
    """``package`` in the Frictionless form described above (a new dict)."""
    out = json.loads(json.dumps(package))
    lists: set[str] = set()
    for res in out.get("resources", []):
        if str(res.get("path", "")).endswith(".geojson"):
            res.setdefault("format", "geojson")
            res.setdefault("mediatype", "application/geo+json")
            res.setdefault("encoding", "utf-8")
        res["sources"] = [{"title": s} if isinstance(s, str) else s for s in res.get("sources", [])]
        for field in res.get("schema", {}).get("fields", []):
            if "enum_ref" in field:
                lists.add(field["enum_ref"])
                field["enum"] = list(out[field.pop("enum_ref")])
            constraints = field.setdefault("constraints", {})
            for key in CONSTRAINTS:
                if key in field:
                    constraints[key] = field.pop(key)
            if not constraints:
                del field["constraints"]
    for name in lists:
        out.pop(name, None)
    return out


def main(argv: list[str]) -> int:
    for name in argv or ["geo/datapackage.json"]:
        path = Path(name)
        package = json.loads(path.read_text(encoding="utf-8"))
        text = json.dumps(frictionless(package), ensure_ascii=False, indent=2) + "\n"
        path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
