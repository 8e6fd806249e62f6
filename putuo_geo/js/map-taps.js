/* Measuring by tapping the map, the answer card and a list where features overlap
 * (issue 24). Defined once; putuo_geo.mapcontrols.MapTaps calls it for its map with
 * the texts in the page's language. Joined into static/vendor/putuo-map.js by
 * putuo_geo.assets (served and cached like Leaflet, not sent in every map's arguments).
 * See the MapTaps docstring for what it does and putuo_geo.measuring for the messages.
 */
window.pgMapTaps = function (map, texts, PREFIX, position) {
  var live = window.parent !== window;
  var home = window;
  try { if (live) { home = window.parent; home.location.href; } }
  catch (err) { home = window; }  //another origin: keep the counter here
  var S = {mode: "pick", ends: {}, pending: {}, card: null, sent: null, count: 0};
  var marks = L.layerGroup().addTo(map);
  var ui = {};
  var control = L.control({position: position});
  control.onAdd = function () {
    var div = L.DomUtil.create("div", "pg-taps");
    ui.card = L.DomUtil.create("div", "pg-answer", div);
    ui.card.setAttribute("role", "status");
    ui.card.setAttribute("aria-live", "polite");
    ui.body = L.DomUtil.create("div", "pg-answer-body", ui.card);
    ui.clear = L.DomUtil.create("button", "pg-answer-clear", ui.card);
    ui.clear.type = "button";
    ui.clear.textContent = texts.clear;
    ui.button = L.DomUtil.create("button", "pg-measure", div);
    ui.button.type = "button";
    ui.button.title = texts.button_help;
    if (!live) { ui.button.hidden = true; ui.clear.hidden = true; }
    L.DomEvent.on(ui.button, "click", function (e) {
        L.DomEvent.stop(e);
        setMode(S.mode === "measure" ? "pick" : "measure");
        S.pending = {};
        send();
      });
    L.DomEvent.on(ui.clear, "click", function (e) {
        L.DomEvent.stop(e);
        S.ends = {}; S.card = null; S.pending = {from: null, to: null};
        map.eachLayer(function (l) {  //the path goes at once; the page confirms
            var k = l.feature && l.feature.properties.kind;
            if (k === "path" || k === "straight" || k === "offset" || k === "end") {
              map.removeLayer(l);
            }
          });
        show();
        send();
      });
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  control.addTo(map);
  function setMode(mode) {
    S.mode = mode;
    var on = mode === "measure";
    L.DomUtil[on ? "addClass" : "removeClass"](map.getContainer(), "pg-measuring");
    if (on) { map.closePopup(); map.doubleClickZoom.disable(); }
    else { map.doubleClickZoom.enable(); }
    show();
  }
  function show() {
    var on = S.mode === "measure";
    ui.button.textContent = on ? texts.button_on : texts.button;
    ui.button.setAttribute("aria-pressed", on ? "true" : "false");
    var prompt = null;
    if (on && !(S.ends.from && S.ends.to && S.card)) {
      prompt = S.ends.from && !S.ends.to ? texts.prompt_to : texts.prompt_from;
    }
    if (prompt !== null) {
      ui.body.textContent = prompt;
    } else if (S.card) {
      ui.body.innerHTML = S.card;  //escaped by the page (measuring.card_html)
    }
    ui.card.hidden = prompt === null && !S.card;
    ui.clear.hidden = !live || !(S.card || S.ends.from || S.ends.to);
    marks.clearLayers();
    if (!S.card) {
      ["from", "to"].forEach(function (end) {
          if (!S.ends[end]) { return; }
          L.circleMarker(S.ends[end], {radius: 8, color: "#ffffff", weight: 2,
              fillColor: "#c2185b", fillOpacity: 1, interactive: false})
          .addTo(marks);
        });
    }
  }
  function send() {
    var g = window.__GLOBAL_DATA__;
    if (!live || !g || !window.pgSendNow) { return; }
    S.count += 1;
    S.sent = Date.now().toString(36) + "-" + S.count;
    var body = {seq: S.sent, mode: S.mode === "measure" ? "measure" : "off"};
    Object.keys(S.pending).forEach(function (k) { body[k] = S.pending[k]; });
    g.last_object_clicked = null;
    g.last_object_clicked_tooltip = PREFIX + JSON.stringify(body);
    window.pgSendNow();
  }
  function tap(ll) {
    var p = [Math.round(ll.lat * 1e6) / 1e6, Math.round(ll.lng * 1e6) / 1e6];
    if (S.ends.from && !S.ends.to) {
      S.ends.to = p; S.pending.to = p;
    } else {
      S.ends = {from: p}; S.card = null; S.pending = {from: p, to: null};
    }
    show();
    send();
  }
  function onPanes(target) {
    return map.getContainer().contains(target)
    && !target.closest(".leaflet-control-container, .leaflet-popup");
  }
  function rank(l) {
    if (l instanceof L.CircleMarker) { return 0; }
    return l instanceof L.Polygon ? 2 : 1;
  }
  function hasCard(l) {
    if (l._popup) { return true; }
    var parents = l._eventParents || {};
    return Object.keys(parents).some(function (id) { return !!parents[id]._popup; });
  }
  function hitsAt(e) {
    var pt = map.mouseEventToLayerPoint(e), hits = [], order = 0;
    map.eachLayer(function (l) {
        order += 1;
        if (!l.feature || !l._containsPoint || !l._renderer
          || l.options.interactive === false || !hasCard(l)) { return; }
        try { if (l._containsPoint(pt)) { hits.push([rank(l), -order, l]); } }
        catch (err) { return; }
      });
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return hits.map(function (h) { return h[2]; });
  }
  function choose(hits, ll) {
    var div = L.DomUtil.create("div", "pg-pick");
    L.DomUtil.create("p", "", div).textContent = texts.pick;
    hits.slice(0, 8).forEach(function (l) {
        var b = L.DomUtil.create("button", "", div);
        b.type = "button";
        b.innerHTML = l.feature.properties.n || "?";  //escaped by the page
        L.DomEvent.on(b, "click", function (ev) {
            L.DomEvent.stop(ev);
            map.closePopup();
            l.fire("click", {latlng: ll, originalEvent: {},
                layerPoint: map.latLngToLayerPoint(ll),
                containerPoint: map.latLngToContainerPoint(ll)}, true);
          });
      });
    // Beside the left column of buttons, not under it: pan clear of it and fit the rest.
    var left = corners()[0].w + 6, room = map.getSize().x - left - 56;  // + its padding
    map.eachLayer(function (l) {  // a tap's hover card would show under the list
      var tip = l.getTooltip && l.getTooltip();
      if (tip && !tip.options.permanent && l.isTooltipOpen()) { l.closeTooltip(); }
    });
    var width = Math.max(160, Math.min(320, room));
    L.popup({maxWidth: width, minWidth: Math.min(width, 200), className: "pg-pick-popup",
      autoPanPaddingTopLeft: L.point(left, 10), autoPanPaddingBottomRight: L.point(10, 10)})
    .setLatLng(ll).setContent(div).openOn(map);
  }
  map.getContainer().addEventListener("click", function (e) {
      if (!onPanes(e.target) || (map.dragging && map.dragging.moved())) { return; }
      if (S.mode === "measure") {
        e.stopPropagation();
        e.preventDefault();
        tap(map.mouseEventToLatLng(e));
      } else if (S.mode === "pick") {
        var hits = hitsAt(e);
        if (hits.length > 1) {
          e.stopPropagation();
          choose(hits, map.mouseEventToLatLng(e));
        }
      }
    }, true);
  function corners() {
    var box = map.getContainer().getBoundingClientRect();
    return ["topleft", "topright", "bottomleft", "bottomright"].map(function (pos) {
        var el = map._controlCorners[pos], w = 0, h = 0;
        Array.prototype.forEach.call(el ? el.children : [], function (c) {
            var r = c.getBoundingClientRect();
            if (!r.width || !r.height) { return; }
            w = Math.max(w, pos.indexOf("left") >= 0 ? r.right - box.left
              : box.right - r.left);
            h = Math.max(h, pos.indexOf("top") >= 0 ? r.bottom - box.top
              : box.bottom - r.top);
          });
        return {pos: pos, w: w, h: h};
      });
  }
  function fitClear(bounds) {
    var size = map.getSize(), cs = corners(), best = null, m = 12;
    for (var k = 0; k < 16; k++) {
      var pad = {t: 0, r: 0, b: 0, l: 0};
      cs.forEach(function (c, i) {
          if (!c.w || !c.h) { return; }
          var left = c.pos.indexOf("left") >= 0, top = c.pos.indexOf("top") >= 0;
          if ((k >> i) & 1) {
            if (left) { pad.l = Math.max(pad.l, c.w); }
            else { pad.r = Math.max(pad.r, c.w); }
          } else if (top) { pad.t = Math.max(pad.t, c.h); }
          else { pad.b = Math.max(pad.b, c.h); }
        });
      var free = L.point(size.x - pad.l - pad.r, size.y - pad.t - pad.b);
      if (free.x < 2 * m + 40 || free.y < 2 * m + 40) { continue; }
      var z = map.getBoundsZoom(bounds, false,
        L.point(pad.l + pad.r + 2 * m, pad.t + pad.b + 2 * m));
      var area = free.x * free.y;
      if (!best || z > best.z || (z === best.z && area > best.area)) {
        best = {z: z, pad: pad, area: area};
      }
    }
    var p = best ? best.pad : {t: 0, r: 0, b: 0, l: 0};
    map.fitBounds(bounds, {paddingTopLeft: [p.l + m, p.t + m],
        paddingBottomRight: [p.r + m, p.b + m], maxZoom: 17, animate: false});
  }
  window.pgTaps = {
    sync: function (s) {
      var mine = S.sent !== null && s.seen !== S.sent;  //a newer tap in flight
      if (!mine) { S.pending = {}; }
      S.ends = Object.assign({}, s.ends);
      Object.keys(S.pending).forEach(function (k) {
          if (S.pending[k] === null) { delete S.ends[k]; }
          else { S.ends[k] = S.pending[k]; }
        });
      S.card = mine && S.pending.from ? null : s.card;
      if (!mine) { setMode(live || s.mode !== "measure" ? s.mode : "pick"); } else { show(); }
      var done = 0;
      try { done = home.__pgFitSeq || 0; } catch (err) { done = 0; }
      if (s.card && s.bounds && s.fit > done) {
        try { home.__pgFitSeq = s.fit; } catch (err) { /* another origin */ }
        fitClear(s.bounds);
      }
    },
    fitClear: fitClear
  };
  show();
};
