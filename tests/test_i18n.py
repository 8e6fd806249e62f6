"""putuo_geo.i18n: the catalogue is complete in both languages and used correctly."""

from __future__ import annotations

import math
import re
import string

import pytest

from putuo_geo import i18n

_CJK = re.compile(r"[\u4e00-\u9fff]")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_key_has_both_languages():
    assert len(i18n.CATALOGUE) > 100
    for key, texts in i18n.CATALOGUE.items():
        assert set(texts) == set(i18n.LANGUAGES), key
        assert all(t.strip() for t in texts.values()), key


def test_every_key_is_well_formed():
    assert [k for k in i18n.CATALOGUE if not i18n.is_key(k)] == []


def test_both_languages_fill_the_same_fields():
    assert [
        key for key, texts in i18n.CATALOGUE.items() if _fields(texts["en"]) != _fields(texts["zh"])
    ] == []


def test_chinese_texts_are_chinese():
    # Everything but symbols and names of datums is written in Chinese in zh mode.
    untranslated = [
        key
        for key, texts in i18n.CATALOGUE.items()
        if not _CJK.search(texts["zh"]) and not re.fullmatch(r"[#{}()\s/·（）%\d]+", texts["zh"])
    ]
    # proper names ("OpenStreetMap（WGS-84）") and pure templates ("{shown} / {total}")
    allowed = {"basemap.osm", "datum.wgs84", "metric.mode", "metric.of_total"}
    assert set(untranslated) <= allowed


def test_tr_fills_fields_and_rejects_unknown_keys():
    assert i18n.tr("metric.of_total", "en", shown=3, total=5) == "3 of 5"
    assert i18n.tr("metric.of_total", "zh", shown=3, total=5) == "3 / 5"
    with pytest.raises(KeyError, match="not a catalogue key"):
        i18n.tr("no.such_key", "en")


def test_as_lang_falls_back_to_english():
    assert i18n.as_lang("zh") == "zh"
    assert i18n.as_lang("fr") == "en"
    assert i18n.as_lang(None) == "en"


@pytest.mark.parametrize(
    ("en", "zh", "lang", "both", "expected"),
    [
        ("Mengqing Garden", "梦清园", "zh", True, "梦清园（Mengqing Garden）"),
        ("Mengqing Garden", "梦清园", "en", True, "Mengqing Garden (梦清园)"),
        ("Mengqing Garden", "梦清园", "en", False, "Mengqing Garden"),
        ("Mengqing Garden", None, "zh", True, "Mengqing Garden"),  # falls back
        (math.nan, "梦清园", "en", True, "梦清园"),
        ("Same", "Same", "zh", True, "Same"),
    ],
)
def test_name_puts_the_language_first(en, zh, lang, both, expected):
    assert i18n.name(en, zh, lang, both=both) == expected


def test_enumerated_values_and_categories():
    assert i18n.value("status", "indicative", "zh") == "示意"
    assert i18n.value("walkable", True, "en") == "yes"
    assert i18n.value("walkable", False, "zh") == "否"
    assert i18n.value("status", "unheard-of", "zh") == "unheard-of"  # shown as stored
    assert i18n.category("culture_heritage", "en") == "Culture & heritage"
    assert i18n.category("mystery", "zh") == "mystery"


def test_every_layer_and_category_has_a_label():
    from putuo_geo import mapview

    for key in mapview.LAYER_KEYS:
        assert f"layer.{key}" in i18n.CATALOGUE
    for category in mapview.CATEGORY_COLOURS:
        assert f"category.{category}" in i18n.CATALOGUE


_HAN = r"[\u4e00-\u9fff]"
#: What may keep ASCII punctuation in a Chinese sentence: a quoted literal (a format
#: such as “纬度,经度”), inline code and a code call such as ``convert_frame(...)``.
_LITERALS = re.compile(r"“[^”]*”|`[^`]*`|\w+\([^)]*\)|\{[^}]*\}")


def test_chinese_sentences_use_full_width_punctuation():
    """Issue 24: a comma, colon, semicolon, question mark or bracket next to a Chinese
    character is the full-width one (，：；？（）), outside quoted literals and code."""
    offenders = {}
    for key, texts in i18n.CATALOGUE.items():
        zh = _LITERALS.sub("", texts["zh"])
        if re.search(rf"{_HAN}\s*[,;:!?()]|[,;:!?()]\s*{_HAN}", zh):
            offenders[key] = texts["zh"]
    assert offenders == {}


def test_chinese_says_didian_for_sites():
    """One word for sites: 地点, never 站点 (a station is 驿站)."""
    assert [k for k, t in i18n.CATALOGUE.items() if "站点" in t["zh"]] == []
