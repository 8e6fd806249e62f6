"""Issue 21 on the page: at the loop, the creek, both bank paths and the bridges line up.

At 390 x 844 (中文) and 1400 x 1000 (English), zoom 15 and 16, centred on the Mengqing
bend of the loop (both banks in Putuo): measured in the drawn map's pixels, every bank
path vertex in view lies the bank offset (27 m) from the creek line, every bridge in
view crosses the creek line and ends on a bank path. Screenshots in ``test-artifacts/``
(``creek_loop_<viewport>_z<zoom>.png``) to look at.
"""

from __future__ import annotations

import pytest
from page_support import ARTIFACTS, CENTRE_ON_JS, FRAME, OfflineVisit, page_data_dir, settled_view

from putuo_geo import config, layers
from putuo_geo.atlas_build import HALF_WIDTH_M

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESK = {"viewport": {"width": 1400, "height": 1000}}
#: The Mengqing bend, inside the loop (Mengqing Garden's centroid is 60 m south-east).
LOOP_LATLON = (31.2530, 121.4350)

#: In container pixels, for the features of the loop in view: ``{metres_per_px,
#: bank_px: [distance of each route vertex to the creek], bridges: [[id, mid_to_creek,
#: end_to_route, end_to_route]]}``.
ALIGNMENT_JS = """() => {
    const map = window.map;
    const size = map.getSize();
    const lines = {creek: [], route: [], bridge: []};
    const ids = [];
    Object.values(map._layers).forEach((layer) => {
        const kind = layer.feature && layer.feature.properties.kind;
        if (!(kind in lines) || !layer.getLatLngs) return;
        const parts = [layer.getLatLngs()].flat(2);
        const pts = parts.map((ll) => map.latLngToContainerPoint(ll));
        lines[kind].push(pts);
        if (kind === "bridge") ids.push(layer.feature.properties.id);
    });
    const segDist = (p, a, b) => {
        const dx = b.x - a.x, dy = b.y - a.y;
        const along = ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy || 1);
        const t = Math.max(0, Math.min(1, along));
        return Math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
    };
    const dist = (p, polylines) => {
        let best = Infinity;
        polylines.forEach((pts) => {
            for (let i = 1; i < pts.length; i++) {
                best = Math.min(best, segDist(p, pts[i - 1], pts[i]));
            }
        });
        return best;
    };
    const inView = (p) => p.x > 20 && p.y > 20 && p.x < size.x - 20 && p.y < size.y - 20;
    const c = map.getCenter();
    const metresPerPx = map.distance(c, map.containerPointToLatLng(
        map.latLngToContainerPoint(c).add([100, 0]))) / 100;
    const bank = [];
    lines.route.forEach((pts) => pts.forEach((p) => {
        if (inView(p)) bank.push(dist(p, lines.creek));
    }));
    const bridges = [];
    lines.bridge.forEach((pts, i) => {
        const a = pts[0], b = pts[pts.length - 1];
        const mid = {x: (a.x + b.x) / 2, y: (a.y + b.y) / 2};
        if (!inView(a) || !inView(b)) return;
        bridges.push([ids[i], dist(mid, lines.creek), dist(a, lines.route), dist(b, lines.route)]);
    });
    return {metres_per_px: metresPerPx, bank_px: bank, bridges: bridges};
}"""


@pytest.fixture(scope="module", autouse=True)
def _shipped_data():
    if page_data_dir().resolve() != config.PACKAGE_DATA_DIR.resolve():
        pytest.skip("the loop's position is the shipped geo/ creek")


@pytest.fixture(scope="module")
def loop_bridges() -> set[str]:
    """The bridges across the loop (an ``inside`` section: both banks are Putuo's)."""
    atlas = layers.load_atlas(page_data_dir())
    inside = atlas.creek[atlas.creek["section"] == "inside"]
    lo, hi = inside["from_chainage_m"].min(), inside["to_chainage_m"].max()
    at = atlas.bridges["chainage_m"]
    return set(atlas.bridges.loc[(at > lo + 1.0) & (at < hi - 1.0), "id"])


@pytest.mark.parametrize("zoom", [15, 16])
@pytest.mark.parametrize(
    ("name", "options", "lang"), [("phone", PHONE, "zh"), ("desk", DESK, "en")]
)
def test_creek_bank_paths_and_bridges_line_up_at_the_loop(
    browser, server_url, loop_bridges, name, options, lang, zoom
):
    visit = OfflineVisit(browser, server_url, query=f"/?lang={lang}", **options)
    try:
        frame = visit.map_frame()
        frame.evaluate(CENTRE_ON_JS, [list(LOOP_LATLON), zoom])
        settled_view(frame, LOOP_LATLON, zoom)
        got = frame.evaluate(ALIGNMENT_JS)
        px_m = got["metres_per_px"]
        bank_m = [d * px_m for d in got["bank_px"]]
        assert len(bank_m) >= 10, got
        # Each bank vertex is the offset from the creek (vertices at a join of two
        # pieces or a bend's inner side may sit nearer; none farther, none on it).
        assert max(bank_m) < HALF_WIDTH_M + 3 * px_m, bank_m
        assert min(bank_m) > HALF_WIDTH_M / 2, bank_m
        assert loop_bridges & {b[0] for b in got["bridges"]}, "no loop bridge in view"
        for bid, mid_px, a_px, b_px in got["bridges"]:
            assert mid_px * px_m < 5.0 + px_m, bid  # across the creek line
            # Ends on the bank paths (drawn vertices): both in the loop, Putuo's one
            # on a border reach (the far bank is Changning's or Jing'an's).
            ends = (a_px, b_px) if bid in loop_bridges else (min(a_px, b_px),)
            assert max(ends) < 2.0, bid
        ARTIFACTS.mkdir(exist_ok=True)
        visit.page.locator(FRAME).screenshot(path=str(ARTIFACTS / f"creek_loop_{name}_z{zoom}.png"))
    finally:
        visit.close()
