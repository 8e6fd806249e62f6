"""putuo_geo.errors: problems that are their English text and translate by key."""

from __future__ import annotations

import pickle
import re
import string
from pathlib import Path

import pytest

from putuo_geo import errors, i18n

PACKAGE = Path(__file__).resolve().parent.parent / "putuo_geo"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_a_problem_is_its_english_sentence_and_translates():
    where = errors.Problem("where.row", file="a.csv", row=3, line=4)
    problem = errors.Problem("upload.problem.no_name", where=where)
    assert problem == "a.csv: row 3 (line 4) has no name (give a name, name_en or name_zh)."
    assert isinstance(problem, str)
    assert problem.text("zh").startswith("a.csv：第 3 条记录（第 4 行）")
    assert errors.localise(problem, "zh") == problem.text("zh")
    assert errors.localise("plain English", "zh") == "plain English"
    copy = pickle.loads(pickle.dumps(problem))
    assert (copy, copy.key, copy.text("zh")) == (problem, problem.key, problem.text("zh"))


def test_capped_lists_the_first_and_counts_the_rest():
    items = [f"p{i}" for i in range(25)]
    assert errors.capped(items, limit=25) == items
    shown = errors.capped(items, limit=20)
    assert shown[:20] == items[:20]
    assert shown[20] == "… and 5 more problems."
    assert shown[20].text("zh") == "……另有 5 个问题。"


def test_every_key_the_package_raises_is_in_the_catalogue_with_the_same_fields():
    keys = set()
    for path in PACKAGE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r'Problem\(\s*"([a-z][a-z0-9_.]+)"', text))
        keys |= set(re.findall(r'"((?:data|geom|upload|link|warning)\.[a-z_.]+)"', text))
    assert len(keys) > 40
    for key in sorted(keys):
        if key.endswith("."):
            continue
        assert key in i18n.CATALOGUE, key
        en, zh = i18n.CATALOGUE[key]["en"], i18n.CATALOGUE[key]["zh"]
        assert _fields(en) == _fields(zh), key


@pytest.mark.parametrize("key", ["geom.problem.outside_shanghai_swapped", "data.kind.fifo"])
def test_keys_built_from_parts_exist(key):
    assert key in i18n.CATALOGUE
