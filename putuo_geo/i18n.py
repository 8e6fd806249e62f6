"""The message catalogue: every string a person reads on the page, in English and 中文.

One place for the page's words: ``app.py`` holds no user-facing text, only catalogue
keys, and :mod:`putuo_geo.mapview` asks here for every tooltip, popup, legend and layer
label. Keys are dotted (``metric.route_length``); values may hold ``{named}`` fields
filled by :func:`tr`.

Data names come from the data, not from here: :func:`name` shows ``name_zh`` in Chinese
mode and ``name_en`` in English, with the other in brackets. Values of the layers'
enumerated fields (``status``, ``bank``, ``crossing`` ...) are translated with
:func:`value`; free text from the data (sources, methods, addresses) is shown as stored.

The catalogue is a read-only mapping (``MappingProxyType``): nothing here changes at run
time, so one Streamlit process can serve every user.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal, cast

Lang = Literal["en", "zh"]
LANGUAGES: tuple[Lang, ...] = ("en", "zh")
DEFAULT_LANG: Lang = "en"
#: Each language named in itself (the switch shows both, whatever the current language).
LANGUAGE_NAMES: Mapping[Lang, str] = MappingProxyType({"en": "English", "zh": "中文"})

_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")

# key -> (English, 中文)
_MESSAGES: dict[str, tuple[str, str]] = {
    # ---------------------------------------------------------------- page
    "page.tab_title": ("Half Marathon Suzhou Creek · Putuo", "半马苏河 · 普陀区"),
    "page.title": (
        "Half Marathon Suzhou Creek · 半马苏河",
        "半马苏河 · Half Marathon Suzhou Creek",
    ),
    "page.intro": (
        "Putuo District's creekside route along Suzhou Creek, its stations, bridges and "
        "sites. Hollow dashed stations are indicative positions (no public source places them).",
        "普陀区苏州河滨河步道及沿线驿站、桥梁和地点。空心虚线圆圈表示示意位置的驿站"
        "（没有公开来源给出其位置）。",
    ),
    "page.language": ("Language · 语言", "语言 · Language"),
    "page.loading_layers": ("Loading the layers…", "正在加载图层…"),
    "page.loading_network": ("Building the route network…", "正在构建步道网络…"),
    "page.map_label": (
        "Interactive map of the route; every fact on it is also in the tables below.",
        "步道交互地图；图上的所有信息也列在下方表格中。",
    ),
    # ---------------------------------------------------------------- errors
    "error.data_invalid": (
        "**The data in `{folder}` cannot be shown: {count} problem(s).**",
        "**`{folder}` 中的数据无法显示：共 {count} 个问题。**",
    ),
    "error.data_unloadable": (
        "**The data in `{folder}` cannot be loaded.**",
        "**无法加载 `{folder}` 中的数据。**",
    ),
    "error.assets_missing": (
        "**The map's browser files are missing** (the map would stay blank). "
        "Run `make assets` (or `make install`). Missing: {files}",
        "**地图所需的浏览器文件缺失**（地图将是空白）。请运行 `make assets`"
        "（或 `make install`）。缺失：{files}",
    ),
    # ---------------------------------------------------------------- sidebar
    "sidebar.sites": ("Sites", "地点"),
    "sidebar.categories": ("Categories", "类别"),
    "sidebar.search": ("Search names (English or 中文)", "搜索名称（中文或 English）"),
    "sidebar.measure": ("Measure along the route", "沿步道测距"),
    "sidebar.basemap": ("Basemap", "底图"),
    "measure.from": ("FROM", "起点"),
    "measure.to": ("TO", "终点"),
    "measure.click_mode": ("A click on the map…", "在地图上点击…"),
    "measure.click_mode_help": (
        "In 'Set FROM, then TO' mode the first click becomes FROM (A), the next TO (B).",
        "在“先设起点，再设终点”模式下，第一次点击为起点 (A)，下一次为终点 (B)。",
    ),
    "click_mode.nearest": ("Show what is nearest", "显示最近的步道点和驿站"),
    "click_mode.from_to": ("Set FROM, then TO", "先设起点，再设终点"),
    # ---------------------------------------------------------------- typed coordinates
    "coords.header": ("Enter coordinates", "输入坐标"),
    "coords.text": ("Coordinates (two numbers)", "坐标（两个数字）"),
    "coords.text_help": (
        "Paste what Amap, Tencent or Baidu show, e.g. 121.4216,31.2381; "
        "pick the order and the coordinate system below.",
        "粘贴高德、腾讯或百度地图给出的坐标，例如 121.4216,31.2381；并在下方选择顺序和坐标系。",
    ),
    "coords.order": ("Order of the two numbers", "两个数字的顺序"),
    "order.lnglat": (
        "lng,lat: longitude first (as Amap, Tencent and Baidu copy)",
        "经度,纬度：经度在前（高德、腾讯、百度复制的格式）",
    ),
    "order.latlon": (
        "lat,lon: latitude first (as GPS apps and Google show)",
        "纬度,经度：纬度在前（GPS 应用和谷歌的格式）",
    ),
    "coords.datum": ("Coordinate system", "坐标系"),
    "datum.gcj02": ("GCJ-02 (Amap, Tencent)", "GCJ-02（高德、腾讯）"),
    "datum.bd09": ("BD-09 (Baidu)", "BD-09（百度）"),
    "datum.wgs84": ("WGS-84 (GPS, OpenStreetMap)", "WGS-84（GPS、OpenStreetMap）"),
    "coords.use_from": ("Use as FROM", "设为起点"),
    "coords.use_to": ("Use as TO", "设为终点"),
    "coords.result": (
        "WGS-84 lat, lon: {lat}, {lon} (the conversion moved it {shift}).",
        "WGS-84 纬度, 经度：{lat}, {lon}（转换移动了 {shift}）。",
    ),
    "coords.problem.not_two_numbers": (
        "Type two decimal numbers separated by a comma, e.g. 121.4216,31.2381.",
        "请输入两个以逗号分隔的小数，例如 121.4216,31.2381。",
    ),
    "coords.problem.out_of_range": (
        "Not a position: latitude must lie within ±90° and longitude within ±180°.",
        "不是有效位置：纬度须在 ±90° 之内，经度须在 ±180° 之内。",
    ),
    "coords.problem.outside_shanghai": (
        "This point lies outside Shanghai; check the numbers and the coordinate system.",
        "该点不在上海市范围内；请检查数字和坐标系。",
    ),
    "coords.hint.swap": (
        "Outside Shanghai as read, inside it with the two numbers the other way round: "
        "check the order selector above.",
        "按当前顺序该点不在上海，交换两个数字后则在上海：请检查上方的顺序选项。",
    ),
    # ---------------------------------------------------------------- places
    "place.station": ("No. {number} · {name} · {chainage}", "{number} 号 · {name} · {chainage}"),
    "place.click": ("Map click {letter} ({lat}, {lon})", "地图点击 {letter}（{lat}, {lon}）"),
    "place.typed": ("Typed point {letter} ({lat}, {lon})", "输入的点 {letter}（{lat}, {lon}）"),
    "place.point": ("Point {letter} ({lat}, {lon})", "点 {letter}（{lat}, {lon}）"),
    "place.upload": ("Yours · {name}", "我的 · {name}"),
    # ---------------------------------------------------------------- your own layer
    "upload.header": ("Your layer", "我的图层"),
    "upload.label": (
        "Add sites: GeoJSON points or CSV (lon/lat columns)",
        "添加地点：GeoJSON 点或 CSV（lon/lat 列）",
    ),
    "upload.help": (
        "At most {mb} MB and {count} sites; each needs a name. CSV columns: "
        "lon/lng/longitude, lat/latitude, name (or name_en/name_zh). Kept in your session only.",
        "最多 {mb} MB、{count} 个地点，每个地点需要名称。CSV 列：lon/lng/longitude、"
        "lat/latitude、name（或 name_en/name_zh）。只保存在你自己的会话中。",
    ),
    "upload.datum": ("Coordinates are in", "坐标系"),
    "upload.problems": (
        "**The upload cannot be shown: {count} problem(s).**",
        "**上传的文件无法显示：共 {count} 个问题。**",
    ),
    "upload.show": ("Show {title}", "显示 {title}"),
    # ---------------------------------------------------------------- basemaps
    "basemap.label": ("Background", "背景"),
    "basemap.osm": ("OpenStreetMap (WGS-84)", "OpenStreetMap（WGS-84）"),
    "basemap.carto": ("CARTO light (WGS-84)", "CARTO 浅色（WGS-84）"),
    "basemap.amap": ("Amap / AutoNavi (GCJ-02)", "高德地图（GCJ-02）"),
    "basemap.tianditu": ("Tianditu (CGCS2000 ≈ WGS-84)", "天地图（CGCS2000 ≈ WGS-84）"),
    "basemap.custom": ("Operator tiles", "运营方瓦片"),
    "basemap.none": ("No tiles (vector layers only)", "无瓦片（仅矢量图层）"),
    "basemap.caption": (
        "Tiles are the only thing fetched from another host; without them the layers "
        "still draw. Set `{env}` for an intranet tile server.",
        "瓦片是唯一从其他主机获取的内容；没有瓦片，图层照样绘制。内网瓦片服务器请设置 `{env}`。",
    ),
    "basemap.shifted": (
        "This basemap is drawn in GCJ-02: every layer, marker and path is shifted by "
        "about {shift} to lie on its tiles. Measurements always use the WGS-84 data.",
        "此底图使用 GCJ-02 坐标：所有图层、标记和路径均平移约 {shift} 以与瓦片对齐。"
        "测量始终使用 WGS-84 数据。",
    ),
    # ---------------------------------------------------------------- figures
    "metric.route_length": ("Route length (both banks)", "步道长度（两岸）"),
    "metric.creek_length": ("Creek length", "河道长度"),
    "metric.stations_confirmed": ("Stations confirmed", "位置已证实的驿站"),
    "metric.stations_indicative": ("Stations indicative", "示意位置的驿站"),
    "metric.sites_shown": ("Sites shown", "显示的地点"),
    "metric.of_total": ("{shown} of {total}", "{shown} / {total}"),
    "metric.along_route": ("Along the route", "沿步道"),
    "metric.straight": ("Straight line", "直线距离"),
    "metric.mode": ("{mode} ({kmh} km/h)", "{mode}（{kmh} km/h）"),
    "mode.walk": ("Walk", "步行"),
    "mode.run": ("Run", "跑步"),
    "mode.cycle": ("Cycle", "骑行"),
    # ---------------------------------------------------------------- measurement
    "section.measurement": ("Measurement", "测距"),
    "measure.same_place": ("FROM and TO are the same place.", "起点和终点是同一个地方。"),
    "measure.choose": ("Choose FROM and TO in the sidebar.", "请在侧栏选择起点和终点。"),
    "measure.failed": ("Cannot measure: {detail}", "无法测距：{detail}"),
    "measure.bridges_crossed": ("Bridges crossed", "经过的桥梁"),
    "measure.no_bridges": ("No bridge is crossed.", "不经过桥梁。"),
    "measure.times_note": (
        "Times use {total}: the along-route distance plus {offsets} to reach the route "
        "at both ends.",
        "时间按 {total} 计算：沿步道距离，加上两端到达步道的 {offsets}。",
    ),
    "section.clicked": ("Clicked point", "点击的位置"),
    "click.prompt": (
        "Click anywhere on the map: the nearest route point and station appear here.",
        "在地图上任意点击：最近的步道点和驿站会显示在这里。",
    ),
    "click.result": (
        "Nearest route point: **{chainage}**, {route_distance} away.  \n"
        "Nearest station: **{station}**, {station_distance} away.",
        "最近的步道点：**{chainage}**，相距 {route_distance}。  \n"
        "最近的驿站：**{station}**，相距 {station_distance}。",
    ),
    # ---------------------------------------------------------------- tables
    "tab.sites": ("Sites ({count})", "地点（{count}）"),
    "tab.stations": ("Stations ({count})", "驿站（{count}）"),
    "tab.bridges": ("Bridges ({count})", "桥梁（{count}）"),
    "tab.areas": ("Parks & zones", "公园与片区"),
    "tables.parks": (
        "**Parks** (areas measured in EPSG:32651)",
        "**公园**（面积在 EPSG:32651 中量算）",
    ),
    "tables.zones": (
        "**Zones** (areas measured in EPSG:32651)",
        "**片区**（面积在 EPSG:32651 中量算）",
    ),
    "tables.note": (
        "Travel times assume {speeds}. Data folder: `{folder}`.",
        "出行时间按 {speeds} 估算。数据文件夹：`{folder}`。",
    ),
    "col.number": ("No.", "编号"),
    "col.name": ("Name", "名称"),
    "col.other_name": ("Name (中文)", "名称 (English)"),
    "col.category": ("Category", "类别"),
    "col.status": ("Status", "状态"),
    "col.accuracy_m": ("Accuracy (m)", "精度（米）"),
    "col.source": ("Source", "来源"),
    "col.chainage_km": ("Chainage (km)", "里程（公里）"),
    "col.bank": ("Bank", "河岸"),
    "col.crossing": ("Carries", "类型"),
    "col.walkable": ("Walkable", "可步行"),
    "col.joins": ("Joins", "连接"),
    "col.opened": ("Opened", "建成"),
    "col.area_ha": ("Area (ha)", "面积（公顷）"),
    "col.area_km2": ("Area (km²)", "面积（平方公里）"),
    "col.published_area_ha": ("Published area (ha)", "公布面积（公顷）"),
    "col.published_area_km2": ("Published area (km²)", "公布面积（平方公里）"),
    "col.order": ("#", "序号"),
    "col.lat": ("Latitude (WGS-84)", "纬度（WGS-84）"),
    "col.lon": ("Longitude (WGS-84)", "经度（WGS-84）"),
    # ---------------------------------------------------------------- share and export
    "share.header": ("Share this view", "分享此视图"),
    "share.caption": (
        "The link restores the language, basemap, filters, search, FROM/TO and the map "
        "view. Copy it with the icon at the right of the box.",
        "此链接可恢复语言、底图、筛选、搜索、起终点和地图视图。点击框右侧的图标即可复制。",
    ),
    "export.header": ("Download", "下载"),
    "export.sites_geojson": ("Sites shown (GeoJSON)", "显示的地点（GeoJSON）"),
    "export.sites_csv": ("Sites shown (CSV)", "显示的地点（CSV）"),
    "export.path_gpx": ("Measured path (GPX)", "测距路径（GPX）"),
    "export.route_gpx": ("Whole route (GPX)", "完整步道（GPX）"),
    "export.table_csv": ("This table (CSV)", "此表（CSV）"),
    "export.map_html": ("This map (HTML, works offline)", "当前地图（HTML，可离线使用）"),
    "export.no_path": ("Measure first to download the path.", "请先测距，才能下载路径。"),
    "gpx.route_name": ("Half Marathon Suzhou Creek route", "半马苏河步道"),
    "gpx.path_name": ("Measured path: {start} → {end}", "测距路径：{start} → {end}"),
    # ---------------------------------------------------------------- map: layers
    "layer.boundary": ("District boundary", "区界"),
    "layer.zones": ("Zones (One Belt, One Center, One City)", "片区（一带、一心、一城）"),
    "layer.parks": ("Parks", "公园"),
    "layer.creek": ("Suzhou Creek", "苏州河"),
    "layer.route": ("Creekside route", "滨河步道"),
    "layer.km_posts": ("Km posts", "公里桩"),
    "layer.bridges": ("Bridges", "桥梁"),
    "layer.stations": ("Stations", "驿站"),
    "layer.sites": ("Sites", "地点"),
    "layer.sites_count": ("Sites ({shown} of {total})", "地点（{shown} / {total}）"),
    "layer.measurement": ("Measured path", "测距路径"),
    "layer.click": ("Clicked point", "点击的位置"),
    "layer.upload": ("Your layer: {title}", "我的图层：{title}"),
    # ---------------------------------------------------------------- map: legend
    "legend.title": ("Legend", "图例"),
    "legend.creek": ("Suzhou Creek", "苏州河"),
    "legend.route": ("Creekside route", "滨河步道"),
    "legend.bridge": ("Bridge (dashed: not walkable)", "桥梁（虚线：不可步行）"),
    "legend.station_confirmed": ("Station, confirmed position", "驿站，位置已证实"),
    "legend.station_indicative": (
        "Station, indicative position (no public source)",
        "驿站，示意位置（无公开来源）",
    ),
    "legend.km_post": ("Km post (creek chainage)", "公里桩（河道里程）"),
    "legend.park": ("Park", "公园"),
    "legend.sites": ("Sites by category", "地点类别"),
    # ---------------------------------------------------------------- map: cards
    "card.status": ("Status", "状态"),
    "card.accuracy": ("Accuracy", "精度"),
    "card.source": ("Source", "来源"),
    "card.method": ("Method", "方法"),
    "card.published_area": ("Published area", "公布面积"),
    "card.outline": ("Outline", "轮廓"),
    "card.chainage": ("Chainage", "里程"),
    "card.section": ("Section", "河段"),
    "card.bank": ("Bank", "河岸"),
    "card.carries": ("Carries", "类型"),
    "card.walkable": ("Walkable", "可步行"),
    "card.joins": ("Joins", "连接"),
    "card.opened": ("Opened", "建成"),
    "card.station": ("Station", "驿站"),
    "card.station_number": ("No. {number}", "{number} 号"),
    "card.offers": ("Offers", "服务"),
    "card.category": ("Category", "类别"),
    "card.id_in_file": ("Id in file", "文件中的编号"),
    "card.address": ("Address", "地址"),
    "map.summary": (
        "{along} along the route · {straight} straight",
        "沿步道 {along} · 直线 {straight}",
    ),
    "map.from": ("FROM: {label}", "起点：{label}"),
    "map.to": ("TO: {label}", "终点：{label}"),
    "map.clicked_point": ("Clicked point", "点击的位置"),
    "map.click_tip": ("{chainage} · {distance} from the route", "{chainage} · 距步道 {distance}"),
    # ---------------------------------------------------------------- map controls and "where am I"
    "locate.title": ("Show where I am", "显示我的位置"),
    "locate.popup": (
        "You are within {distance} {unit} of here",
        "您在此处 {distance} {unit} 范围内",
    ),
    "locate.not_secure": (
        "This page cannot ask for your position: browsers share it only with secure pages "
        "(HTTPS or localhost). Open the page over HTTPS to use it.",
        "本页无法获取您的位置：浏览器只向安全页面（HTTPS 或 localhost）提供位置。"
        "请通过 HTTPS 打开本页后再使用。",
    ),
    "locate.denied": (
        "Your position is not shared with this page. Allow location access for this site in "
        "your browser's settings, then tap the button again.",
        "您的位置未共享给本页。请在浏览器设置中允许本网站访问位置，然后再次点击按钮。",
    ),
    "locate.unavailable": (
        "Your position could not be found (no signal or it took too long). Try again outdoors.",
        "无法获取您的位置（无信号或超时）。请到室外再试一次。",
    ),
    "locate.close": ("Close", "关闭"),
    "fullscreen.enter": ("Full screen", "全屏"),
    "fullscreen.exit": ("Exit full screen", "退出全屏"),
    "legend.toggle": ("Legend", "图例"),
    "whereami.heading": ("Where am I", "我在哪里"),
    "whereami.nearest": (
        "Nearest route point: {distance} away, at {chainage} on the {bank}.",
        "最近的步道点：距离 {distance}，位于{bank}河道里程 {chainage} 处。",
    ),
    "whereami.upstream": ("Upstream", "上游方向"),
    "whereami.downstream": ("Downstream", "下游方向"),
    "whereami.next_station": (
        "Next station: {name}, {distance} along the route",
        "下一个驿站：{name}，沿步道 {distance}",
    ),
    "whereami.next_bridge": (
        "Next bridge: {name}, {distance} along the route",
        "下一座桥：{name}，沿步道 {distance}",
    ),
    "whereami.no_station": ("No further station on this bank", "本岸此方向没有驿站"),
    "whereami.no_bridge": ("No further walkable bridge on this bank", "本岸此方向没有可步行的桥"),
    "whereami.measure_from_here": ("Measure from here", "从这里测距"),
    "whereami.my_position": ("My position", "我的位置"),
    # ---------------------------------------------------------------- enumerated data values
    "category.innovation": ("Innovation", "创新"),
    "category.commerce": ("Commerce", "商业"),
    "category.culture_heritage": ("Culture & heritage", "文化与遗产"),
    "category.education": ("Education", "教育"),
    "category.health": ("Health", "医疗"),
    "category.landmark": ("Landmark", "地标"),
    "category.sport_leisure": ("Sport & leisure", "体育休闲"),
    "category.transport": ("Transport", "交通"),
    "category.government": ("Government", "政务"),
    "category.other": ("Other", "其他"),
    "value.status.confirmed": ("confirmed", "已证实"),
    "value.status.indicative": ("indicative", "示意"),
    "value.bank.left": ("left bank", "左岸"),
    "value.bank.right": ("right bank", "右岸"),
    "value.section.border": ("border reach", "界河段"),
    "value.section.inside": ("inside Putuo", "区内河段"),
    "value.crossing.road": ("road", "道路"),
    "value.crossing.pedestrian": ("pedestrians", "人行"),
    "value.crossing.rail": ("railway", "铁路"),
    "value.crossing.metro": ("metro", "地铁"),
    "value.outline.surveyed": ("surveyed", "实测"),
    "value.outline.modelled": ("modelled", "模拟"),
    "value.walkable.true": ("yes", "是"),
    "value.walkable.false": ("no", "否"),
}

#: The catalogue: key -> {"en": ..., "zh": ...}. Read-only.
CATALOGUE: Mapping[str, Mapping[Lang, str]] = MappingProxyType(
    {key: MappingProxyType({"en": en, "zh": zh}) for key, (en, zh) in _MESSAGES.items()}
)


def as_lang(value: object) -> Lang:
    """``value`` if it is a supported language code, else :data:`DEFAULT_LANG`."""
    return cast(Lang, value) if value in LANGUAGES else DEFAULT_LANG


def is_key(text: str) -> bool:
    """Whether ``text`` has the shape of a catalogue key (``section.name``)."""
    return bool(_KEY.match(text))


def tr(key: str, lang: Lang, /, **fields: Any) -> str:
    """The message ``key`` in ``lang`` with ``{fields}`` filled in.

    Raises
    ------
    KeyError
        When ``key`` is not in the catalogue (a programming error the tests catch).
    """
    try:
        template = CATALOGUE[key][lang]
    except KeyError:
        msg = f"{key!r} is not a catalogue key (language {lang!r})."
        raise KeyError(msg) from None
    return template.format(**fields) if fields else template


def plain(value: Any) -> str:
    """A data value as stripped text; missing values (None, NaN) as blank."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def name(name_en: Any, name_zh: Any, lang: Lang, *, both: bool = True) -> str:
    """A data name in ``lang``: ``name_zh`` in Chinese, ``name_en`` in English.

    With ``both`` the other name follows in brackets (``梦清园 (Mengqing Garden)``);
    a missing name falls back to the other.
    """
    en, zh = plain(name_en), plain(name_zh)
    first, second = (zh, en) if lang == "zh" else (en, zh)
    if not first:
        return second
    if both and second and second != first:
        return f"{first} ({second})"
    return first


def value(field: str, raw: Any, lang: Lang) -> str:
    """An enumerated data value (``status``, ``bank``, ``crossing`` ...) in ``lang``.

    Values without a catalogue entry are shown as stored.
    """
    text = plain(raw)
    if isinstance(raw, bool):
        text = "true" if raw else "false"
    key = f"value.{field}.{text}"
    return tr(key, lang) if key in CATALOGUE else text


def category(raw: Any, lang: Lang) -> str:
    """A site category's label in ``lang`` (unknown categories as stored)."""
    key = f"category.{plain(raw)}"
    return tr(key, lang) if key in CATALOGUE else plain(raw)
