import Foundation
import SitePlanning
import SiteVocabulary
import SiteFiles
import SiteReports
import DriverGeoJSON
import DriverGeoPackage
import SiteDrivers

/// The web map's page: Leaflet without base tiles (the plan is the map), one overlay per
/// layer with the same colours as the SVG map (`MapStyle`), layer toggles, a legend, a popup
/// with each feature's attributes, and a click anywhere asks `/query`.
///
/// When every layer has loaded, `<div id="status">` carries `data-ready="true"` and, per
/// layer, `data-<layer>` (features loaded) and `data-drawn-<layer>` (SVG paths in the DOM),
/// which `tools/webmap_check.sh` reads from headless Chromium; `/?click=LON,LAT` clicks the
/// map there once it is drawn and writes the answer to `data-query-*`.
enum WebMapPage {
    static func html(scenario: Scenario, seed: UInt64) -> String {
        let style = JSONWriter.write(.object(JSONObject([
            ("drawOrder", .array(MapStyle.drawOrder.map { .string($0) })),
            ("buildingPalette", .array(MapStyle.buildingPalette.map { .string($0) })),
            ("facilityColours", .object(JSONObject(MapStyle.facilityColours.map { ($0.kind.rawValue, .string($0.colour)) }))),
            ("networkStatus", .object(JSONObject(MapStyle.networkStatus.map { ($0.status, .string($0.colour)) }))),
            ("exclusionKinds", .object(JSONObject(MapStyle.exclusionKinds.map { ($0.kind, .string($0.colour)) }))),
            ("parcel", .string(MapStyle.parcelStroke)), ("block", .string(MapStyle.blockFill)), ("lot", .string(MapStyle.lotStroke)),
            ("street", .string(MapStyle.streetCasing)), ("connected", .string(MapStyle.connectedColour)),
            ("notConnected", .string(MapStyle.notConnectedColour)),
        ])))
        let title = "\(scenario.name) — web map"
        let subtitle = "as of \(scenario.asOf ?? "unknown date") · layout seed \(seed) · planning CRS \(scenario.frame.crs)"
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(xml(title))</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="stylesheet" href="/static/leaflet/leaflet.css">
        <script src="/static/leaflet/leaflet.js"></script>
        <style>
          html, body { margin: 0; height: 100%; font-family: "DejaVu Sans", Arial, sans-serif; }
          #top { height: 54px; padding: 6px 14px; box-sizing: border-box; border-bottom: 1px solid #ccc; overflow: hidden; }
          #top h1 { font-size: 19px; margin: 0; color: #1d3557; white-space: nowrap; }
          #top p { font-size: 13px; margin: 2px 0 0; color: #555; white-space: nowrap; }
          #map { position: absolute; top: 54px; bottom: 0; left: 0; right: 320px; background: #fbfaf6; }
          #side { position: absolute; top: 54px; bottom: 0; right: 0; width: 320px; overflow: auto; padding: 10px 14px;
                  box-sizing: border-box; border-left: 1px solid #ccc; font-size: 13px; }
          #side h2 { font-size: 15px; margin: 10px 0 6px; }
          #filters label { display: block; margin: 3px 0; }
          #filters select, #search { width: 100%; box-sizing: border-box; font-size: 13px; }
          .swatch { display: inline-block; width: 22px; height: 12px; margin-right: 8px; vertical-align: middle; border: 1px solid #333; }
          table.attrs { border-collapse: collapse; font-size: 12px; }
          table.attrs td { padding: 1px 6px; border-bottom: 1px solid #eee; vertical-align: top; }
          table.attrs td:first-child { color: #555; }
          .error { color: #b00020; }
          .ok { color: #1b7f3b; }
          #account { margin: 4px 0; }
          #toast { display: none; position: absolute; bottom: 24px; left: 60px; z-index: 1000; background: #fff; border: 1px solid #888;
                   padding: 6px 10px; font-size: 13px; max-width: 60%; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
          #account input { width: 100%; box-sizing: border-box; margin: 2px 0; font-size: 14px; }
          form.record select, form.record input { font-size: 13px; margin: 2px 0; max-width: 100%; }
          #chart svg { width: 100%; height: auto; }
          #banner { display: none; position: absolute; top: 60px; left: 60px; z-index: 1000; background: #fff3cd; border: 1px solid #b08900;
                    padding: 4px 8px; font-size: 13px; max-width: 60%; }
          /* A phone: the map on top, the panel below it. */
          @media (max-width: 700px) {
            #top p { display: none; }
            #top { height: 34px; }
            #map { top: 34px; right: 0; bottom: 45%; }
            #side { top: 55%; width: auto; left: 0; border-left: none; border-top: 1px solid #ccc; }
          }
        </style>
        </head>
        <body>
        <div id="top"><h1>\(xml(title))</h1><p>\(xml(subtitle)) · click the map to query a point</p></div>
        <div id="map"></div>
        <div id="banner"></div>
        <div id="toast" role="status"></div>
        <div id="side">
          <div id="account"></div>
          <h2>Query</h2><div id="query">Click anywhere on the map: the parcel, block, lot and building there.</div>
          <h2>Find</h2><input id="search" type="search" placeholder="an id: building, lot, segment, family…" autocomplete="off">
          <div id="found"></div>
          <h2>Filter</h2>
          <div id="filters">
            <label>utility <select id="f-utility"><option value="">all</option></select></label>
            <label>status <select id="f-status"><option value="">all</option></select></label>
            <label>parcel <select id="f-parcel"><option value="">all</option></select></label>
            <label>building type <select id="f-type"><option value="">all</option></select></label>
          </div>
          <h2>Measure</h2><button id="measure-btn" type="button">measure</button> <span id="measure-out"></span>
          <div id="diff-box" style="display:none"><h2>Changes between revisions</h2>
            <select id="diff-a"></select> → <select id="diff-b"></select> <button id="diff-show" type="button">show</button>
            <div id="diff-out"></div></div>
          <h2>Works over time</h2><div id="chart"><i>with a plan of record (--store)</i></div>
          <h2>Legend</h2><div id="legend"></div>
          <div id="status" data-ready="false"></div>
        </div>
        <script>
        "use strict";
        const STYLE = \(style);
        const status = document.getElementById("status");
        const map = L.map("map", { zoomSnap: 0.25, preferCanvas: false });
        const control = L.control.layers(null, {}, { collapsed: window.innerWidth < 700 }).addTo(map);
        L.control.scale({ metric: true, imperial: false }).addTo(map);
        const features = {}, drawn = {}, hidden = new Set();
        let order = [], shownVersion = null, loading = null, fitted = false;
        const filters = { utility: "", status: "", parcel: "", type: "" };
        const typeColours = {};
        function typeColour(t) {
          if (t in STYLE.facilityColours) return STYLE.facilityColours[t];
          if (!(t in typeColours)) typeColours[t] = STYLE.buildingPalette[Object.keys(typeColours).length % STYLE.buildingPalette.length];
          return typeColours[t];
        }
        // Ground metres per screen pixel at the map's centre (Web Mercator), for streets drawn at their width.
        function metresPerPixel() {
          return 40075016.686 * Math.cos(map.getCenter().lat * Math.PI / 180) / Math.pow(2, map.getZoom() + 8);
        }
        function styleFor(name, p) {
          switch (name) {
            case "parcels": return { color: STYLE.parcel, weight: 3, dashArray: "10 5", fill: false };
            case "blocks": return { stroke: false, fillColor: STYLE.block, fillOpacity: 1 };
            case "lots": { const c = STYLE.facilityColours[p.use]; return c ? { color: STYLE.lot, weight: 1, fillColor: c, fillOpacity: 0.35 } : { color: STYLE.lot, weight: 1, fill: false }; }
            case "exclusions": { const c = STYLE.exclusionKinds[p.kind] || STYLE.exclusionKinds.exclusion; return { color: c, weight: 1, fillColor: c, fillOpacity: 0.5 }; }
            case "streets": return { color: STYLE.street, weight: Math.max(1, (p.width_m || 6) / metresPerPixel()), opacity: 0.9, lineCap: "butt" };
            case "network": case "service_lines": return { color: STYLE.networkStatus[p.status] || "#555", weight: name === "network" ? 4 : 2, dashArray: p.status === "planned" ? "6 4" : null };
            case "buildings": {
              const s = { color: "#333", weight: 1, fillColor: typeColour(p.type), fillOpacity: 0.95 };
              if (typeof p.connected_all === "boolean") { s.color = p.connected_all ? STYLE.connected : STYLE.notConnected; s.weight = 2; }
              return s;
            }
            case "households": return { color: "#fff", weight: 1, fillColor: "\(MapStyle.householdColour)", fillOpacity: 1 };
            default: return { color: "#444", weight: 2, fillOpacity: 0.3 };
          }
        }
        // Whether a feature passes the filters: utility and status apply to the networks, building type to buildings, parcel to all.
        function passes(name, p) {
          if (filters.parcel && p.parcel_id !== undefined && p.parcel_id !== filters.parcel) return false;
          if (name === "network" || name === "service_lines") {
            if (filters.utility && p.utility !== filters.utility) return false;
            if (filters.status && p.status !== filters.status) return false;
          }
          if (name === "buildings" && filters.type && p.type !== filters.type) return false;
          return true;
        }
        function esc(v) { return String(v).replace(/[&<>"]/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c])); }
        function table(obj) {
          return "<table class='attrs'>" + Object.keys(obj).map(k => "<tr><td>" + esc(k) + "</td><td>" + esc(obj[k] === null ? "" : typeof obj[k] === "object" ? JSON.stringify(obj[k]) : obj[k]) + "</td></tr>").join("") + "</table>";
        }
        function legendRow(colour, label, line) {
          const style = line ? "background:" + colour + ";height:4px;border:none" : "background:" + colour;
          return "<div><span class='swatch' style='" + style + "'></span>" + esc(label) + "</div>";
        }
        // The legend of the layers on the map now, with the counts drawn (after the filters).
        function buildLegend() {
          const shown = name => drawn[name] && !hidden.has(name);
          const list = name => shown(name) ? drawn[name].getLayers().map(l => l.feature) : [];
          let html = "";
          if (shown("parcels")) html += "<div><span class='swatch' style='background:none;border:2px dashed " + STYLE.parcel + "'></span>parcel (" + list("parcels").length + ")</div>";
          if (shown("blocks")) html += legendRow(STYLE.block, "block (" + list("blocks").length + ")");
          if (shown("lots")) html += "<div><span class='swatch' style='background:none;border-color:" + STYLE.lot + "'></span>lot (" + list("lots").length + ")</div>";
          if (shown("streets")) html += legendRow(STYLE.street, "street, at its width (" + list("streets").length + ")", true);
          for (const [kind, colour] of Object.entries(STYLE.exclusionKinds)) {
            const n = list("exclusions").filter(f => (f.properties.kind || "exclusion") === kind).length;
            if (n) html += legendRow(colour, kind.replace(/_/g, " ") + " (" + n + ")");
          }
          const buildings = list("buildings");
          const labelOf = type => { const f = buildings.find(f => f.properties.type === type); return f && f.properties.label || type; };
          for (const [type, colour] of Object.entries(typeColours)) {
            const n = buildings.filter(f => f.properties.type === type).length;
            if (!n) continue;
            let label = labelOf(type);
            if (Object.keys(typeColours).some(t => t !== type && labelOf(t) === label)) label += " (" + type + ")";
            html += legendRow(colour, label + " (" + n + ")");
          }
          const flags = buildings.map(f => f.properties.connected_all).filter(v => typeof v === "boolean");
          if (flags.length) {
            const outline = (colour, label) => "<div><span class='swatch' style='background:#fff;border:2px solid " + colour + "'></span>" + esc(label) + "</div>";
            html += outline(STYLE.connected, "building connected to every utility (" + flags.filter(v => v).length + ")");
            html += outline(STYLE.notConnected, "building not yet connected (" + flags.filter(v => !v).length + ")");
          }
          for (const name of ["network", "service_lines"]) {
            for (const [st, colour] of Object.entries(STYLE.networkStatus)) {
              const n = list(name).filter(f => f.properties.status === st).length;
              if (n) html += legendRow(colour, name.replace("_", " ") + ": " + st.replace(/_/g, " ") + " (" + n + ")", true);
            }
          }
          for (const name of order) {
            if (shown(name) && !["parcels", "blocks", "lots", "streets", "exclusions", "buildings", "network", "service_lines"].includes(name)) {
              html += legendRow(name === "households" ? "\(MapStyle.householdColour)" : "#c4c8cc", name.replace(/_/g, " ") + " (" + list(name).length + ")");
            }
          }
          document.getElementById("legend").innerHTML = html || "<i>no layer shown</i>";
        }
        let clickMarker = null;
        // The point query, for a click anywhere: on empty ground, or on a feature (whose popup opens too).
        async function runQuery(latlng) {
          if (measuring) { map.closePopup(); return addMeasurePoint(latlng); }
          const at = latlng.lng.toFixed(7) + "," + latlng.lat.toFixed(7);
          if (clickMarker) clickMarker.remove();
          clickMarker = L.circleMarker(latlng, { radius: 6, color: "#d62828", weight: 2, fillOpacity: 0.2, interactive: false }).addTo(map);
          const box = document.getElementById("query");
          delete status.dataset.queryStatus;
          try {
            const r = await fetch("/query?at=" + encodeURIComponent(at));
            const body = await r.json();
            box.innerHTML = r.ok ? "<b>at " + esc(at) + "</b>" + table(body) : "<span class='error'>" + esc(body.error) + "</span>";
            status.dataset.queryParcelId = body.parcel_id || "";
            status.dataset.queryBlockId = body.block_id || "";
            status.dataset.queryBuildingId = body.building_id || "";
            status.dataset.queryStatus = r.status;
          } catch (err) { box.innerHTML = "<span class='error'>" + esc(err) + "</span>"; status.dataset.queryStatus = "error"; }
        }
        map.on("click", e => runQuery(e.latlng));
        map.on("zoomend", () => { if (drawn.streets) drawn.streets.setStyle(f => Object.assign({ className: "layer-streets" }, styleFor("streets", f.properties))); });
        map.on("overlayadd overlayremove", e => {
          const name = Object.keys(drawn).find(n => drawn[n] === e.layer);
          if (name) { if (e.type === "overlayadd") hidden.delete(name); else hidden.add(name); buildLegend(); }
        });
        // The feature whose popup is open, so that a redraw (a change in the store) opens it again.
        let openFeature = null, redrawing = false;
        map.on("popupopen", e => { const f = e.popup._source && e.popup._source.feature; openFeature = f ? f.id : null; });
        map.on("popupclose", () => { if (!redrawing) openFeature = null; });
        // (Re)draws every layer from the features loaded, through the filters, keeping what was hidden.
        function draw() {
          redrawing = true;
          const reopen = openFeature;
          // What an editor typed in an open record form survives a live redraw.
          const form = document.querySelector(".leaflet-popup form.record");
          const typed = form ? [...form.elements].filter(e => e.name).map(e => [e.name, e.value, e.getAttribute("max")]) : null;
          for (const name of order) {
            if (drawn[name]) { control.removeLayer(drawn[name]); drawn[name].remove(); }
            const layer = L.geoJSON({ type: "FeatureCollection", features: features[name] || [] }, {
              filter: f => passes(name, f.properties),
              style: f => Object.assign({ className: "layer-" + name }, styleFor(name, f.properties)),
              pointToLayer: (f, ll) => L.circleMarker(ll, Object.assign({ className: "layer-" + name, radius: 4 }, styleFor(name, f.properties))),
              onEachFeature: (f, l) => {
                l.bindPopup(() => popupHTML(name, f), { maxWidth: 360 });
                // Leaflet's popup stops the map's click: the feature asks the query itself.
                l.on("click", e => runQuery(e.latlng));
              }
            });
            drawn[name] = layer;
            if (!hidden.has(name)) layer.addTo(map);
            control.addOverlay(layer, name + " (" + (features[name] || []).length + ")");
          }
          redrawing = false;
          // The diff stays on top of the redrawn plan.
          if (typeof diffLayer !== "undefined" && diffLayer && map.hasLayer(diffLayer)) diffLayer.bringToFront();
          if (reopen) {
            for (const name of order) {
              const again = drawn[name].getLayers().find(l => l.feature && l.feature.id === reopen);
              if (again && map.hasLayer(again)) {
                again.openPopup();
                const fresh = document.querySelector(".leaflet-popup form.record");
                if (fresh && typed) for (const [name, value, max] of typed) {
                  if (!fresh.elements[name]) continue;
                  if (max === null) fresh.elements[name].removeAttribute("max");
                  fresh.elements[name].value = value;
                }
                break;
              }
            }
          }
          buildLegend();
          for (const name of order) {
            const key = name.replace(/_([a-z])/g, (m, c) => c.toUpperCase());
            status.dataset[key] = (features[name] || []).length;
            status.dataset["shown" + key[0].toUpperCase() + key.slice(1)] = drawn[name].getLayers().length;
            status.setAttribute("data-drawn-" + name.replace(/_/g, "-"), document.querySelectorAll("path.layer-" + name).length);
          }
        }
        // --- the measure tool: geodesic length and area, computed by the server (PROJ) ---
        let measuring = false, measurePoints = [], measureShape = null;
        document.getElementById("measure-btn").onclick = e => {
          measuring = !measuring; measurePoints = [];
          if (measureShape) { measureShape.remove(); measureShape = null; }
          e.target.textContent = measuring ? "stop measuring" : "measure";
          document.getElementById("measure-out").textContent = measuring ? "click points on the map" : "";
        };
        async function addMeasurePoint(latlng) {
          measurePoints.push(latlng);
          if (measureShape) measureShape.remove();
          measureShape = (measurePoints.length >= 3 ? L.polygon(measurePoints, { color: "#6a1b9a", weight: 2, fillOpacity: 0.1, interactive: false })
                                                    : L.polyline(measurePoints, { color: "#6a1b9a", weight: 2, interactive: false })).addTo(map);
          if (measurePoints.length < 2) return;
          const path = measurePoints.map(p => p.lng.toFixed(7) + "," + p.lat.toFixed(7)).join(";");
          const r = await fetch("/api/measure?path=" + encodeURIComponent(path));
          const m = await r.json();
          const out = document.getElementById("measure-out");
          if (!r.ok) { out.textContent = m.error; return; }
          out.textContent = "length " + m.length_m.toFixed(1) + " m" + (m.area_m2 !== undefined ? " · area " + m.area_m2.toFixed(0) + " m² (" + m.area_ha.toFixed(3) + " ha)" : "") + " · geodesic";
          status.dataset.measureLength = m.length_m;
          if (m.area_m2 !== undefined) status.dataset.measureArea = m.area_m2;
        }
        // --- changes between two revisions, drawn on the map ------------------------------
        let diffLayer = null;
        const changeColours = { added: "#2a9d2a", removed: "#d62828", moved: "#f08c00", changed: "#1f6feb" };
        async function loadRevisions() {
          const r = await fetch("/api/revisions", { cache: "no-cache" });
          if (!r.ok) return;
          const revisions = await r.json();
          if (revisions.length < 2) return;
          document.getElementById("diff-box").style.display = "block";
          const options = revisions.map(v => "<option value='" + v.number + "'>" + v.number + " · " + esc(v.message).slice(0, 30) + "</option>").join("");
          const a = document.getElementById("diff-a"), b = document.getElementById("diff-b");
          a.innerHTML = options; b.innerHTML = options;
          a.value = revisions[revisions.length - 2].number; b.value = revisions[revisions.length - 1].number;
        }
        document.getElementById("diff-show").onclick = async () => {
          const a = document.getElementById("diff-a").value, b = document.getElementById("diff-b").value, out = document.getElementById("diff-out");
          const r = await fetch("/api/diff?a=" + a + "&b=" + b);
          const fc = await r.json();
          if (!r.ok) { out.innerHTML = "<span class='error'>" + esc(fc.error) + "</span>"; return; }
          if (diffLayer) { control.removeLayer(diffLayer); diffLayer.remove(); }
          diffLayer = L.geoJSON(fc, {
            style: f => ({ className: "layer-changes", color: changeColours[f.properties.change], weight: f.properties.layer === "buildings" ? 3 : 2,
                           fillColor: changeColours[f.properties.change], fillOpacity: 0.35, dashArray: f.properties.change === "removed" ? "4 3" : null }),
            onEachFeature: (f, l) => l.bindPopup("<b>" + esc(f.properties.change) + ": " + esc(f.properties.layer) + " " + esc(f.id) + "</b>" + table(f.properties), { maxWidth: 360 })
          }).addTo(map);
          control.addOverlay(diffLayer, "changes " + a + " → " + b);
          const counts = {};
          for (const f of fc.features) counts[f.properties.change] = (counts[f.properties.change] || 0) + 1;
          out.innerHTML = Object.keys(changeColours).map(c => legendRow(changeColours[c], c + " (" + (counts[c] || 0) + ")")).join("");
          for (const c of Object.keys(changeColours)) status.dataset["diff" + c[0].toUpperCase() + c.slice(1)] = counts[c] || 0;
          status.dataset.diffShown = a + "-" + b;
        };
        // --- accounts and works recorded from the page ---------------------------------
        let me = null, accounts = false;
        async function session() {
          const r = await fetch("/api/session", { cache: "no-store" });
          if (r.status === 404) { accounts = false; me = null; return; }
          const body = await r.json();
          accounts = !(r.ok && body.accounts === false);
          me = r.ok && body.accounts !== false ? body : null;
          status.dataset.user = me ? me.name : "";
        }
        function renderAccount() {
          const box = document.getElementById("account");
          if (!accounts) { box.innerHTML = ""; return; }
          if (me) {
            box.innerHTML = "Signed in as <b>" + esc(me.name) + "</b> (" + esc(me.role) + ") <button id='logout' type='button'>sign out</button>";
            document.getElementById("logout").onclick = async () => {
              await fetch("/api/logout", { method: "POST", headers: { "X-CSRF-Token": me.csrf } });
              me = null; location.reload();
            };
          } else {
            box.innerHTML = "<form id='login'><h2>Sign in</h2><input name='name' placeholder='name' autocomplete='username' required>" +
              "<input name='password' type='password' placeholder='password' autocomplete='current-password' required>" +
              "<button>sign in</button> <span class='error' id='login-error'></span></form>";
            document.getElementById("login").onsubmit = async e => {
              e.preventDefault();
              const form = new FormData(e.target);
              const r = await fetch("/api/login", { method: "POST", headers: { "Content-Type": "application/json" },
                                                    body: JSON.stringify({ name: form.get("name"), password: form.get("password") }) });
              const body = await r.json();
              if (!r.ok) { document.getElementById("login-error").textContent = body.error; return; }
              me = body; status.dataset.user = me.name; renderAccount(); await reload(); listen();
            };
          }
        }
        const canRecord = () => me && (me.role === "editor" || me.role === "admin");
        // The popup: the attributes, and for an editor a form that records a works event.
        function popupHTML(name, f) {
          let html = "<b>" + esc(name) + " " + esc(f.id) + "</b>" + table(f.properties);
          let ids = [];
          if (name === "network" || name === "service_lines") ids = [f.id];
          if (name === "buildings") ids = (features.service_lines || []).filter(s => s.properties.building_id === f.id).map(s => s.id);
          if (canRecord() && ids.length) {
            const today = new Date().toISOString().slice(0, 10);
            html += "<form class='record'><b>Record works</b><br>" +
              "<select name='asset_id'>" + ids.map(id => "<option>" + esc(id) + "</option>").join("") + "</select><br>" +
              "<select name='status'>" + ["planned", "under_construction", "laid", "commissioned"].map(s => "<option" + (s === "laid" ? " selected" : "") + ">" + s + "</option>").join("") + "</select> " +
              "<input name='date' type='date' value='" + today + "' max='" + today + "'><br>" +
              "<input name='note' placeholder='note (say why when a status goes back)' size='30'><br>" +
              "<input name='photo' placeholder='photo reference (optional)' size='30'><br>" +
              "<button>record</button> <span class='answer'></span></form>";
          }
          return html;
        }
        document.addEventListener("submit", async e => {
          if (!e.target.classList.contains("record")) return;
          e.preventDefault();
          const form = new FormData(e.target), answer = e.target.querySelector(".answer");
          const event = { asset_id: form.get("asset_id"), status: form.get("status"), date: form.get("date"), note: form.get("note"), photo: form.get("photo") };
          const r = await fetch("/api/works/events", { method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": me.csrf }, body: JSON.stringify(event) });
          const body = await r.json();
          answer.className = "answer " + (r.ok ? "ok" : "error");
          answer.textContent = r.ok ? "recorded (" + body.row + ")" : body.error;
          // Also where a redraw cannot take it away.
          toast(r.ok ? "Recorded: " + body.asset_id + " " + body.status + " on " + body.date + " (" + body.row + ")" : "Not recorded: " + body.error, r.ok);
          status.dataset.recordStatus = r.status;
          status.dataset.recordAnswer = r.ok ? body.asset_id : body.error;
        });
        // Works complete and dwellings connected over time, computed by the server from the
        // store's works history on the latest revision (traced from each utility's source).
        async function drawChart() {
          const box = document.getElementById("chart");
          const r = await fetch("/api/progress/history", { cache: "no-cache" });
          if (!r.ok) return;
          const days = await r.json();
          status.dataset.chartPoints = days.length;
          if (!days.length) { box.innerHTML = "<i>no works recorded yet</i>"; return; }
          const last = days[days.length - 1];
          const connectedPct = d => d.dwellings ? 100 * d.dwellings_fully_connected / d.dwellings : 0;
          status.dataset.chartLast = last.works_complete_pct.toFixed(1);
          status.dataset.chartDwellings = last.dwellings_fully_connected;
          const W = 280, H = 120, L = 30, B = 18, t0 = Date.parse(days[0].date), t1 = Math.max(Date.parse(last.date), t0 + 86400000);
          const x = d => L + (W - L - 6) * (Date.parse(d) - t0) / (t1 - t0), y = v => 6 + (H - B - 6) * (1 - v / 100);
          const steps = value => { let path = "", prev = 0; for (const d of days) { const v = value(d); path += (path ? " L" : "M") + x(d.date).toFixed(1) + "," + y(prev).toFixed(1) + " L" + x(d.date).toFixed(1) + "," + y(v).toFixed(1); prev = v; } return path; };
          box.innerHTML = "<svg viewBox='0 0 " + W + " " + H + "' role='img' aria-label='works complete and dwellings connected over time'>" +
            "<line x1='" + L + "' y1='" + y(0) + "' x2='" + (W - 6) + "' y2='" + y(0) + "' stroke='#999'/><line x1='" + L + "' y1='" + y(100) + "' x2='" + L + "' y2='" + y(0) + "' stroke='#999'/>" +
            "<text x='2' y='" + (y(100) + 4) + "' font-size='9'>100%</text><text x='8' y='" + (y(0) + 3) + "' font-size='9'>0%</text>" +
            "<text x='" + L + "' y='" + (H - 4) + "' font-size='9'>" + esc(days[0].date) + "</text><text x='" + (W - 60) + "' y='" + (H - 4) + "' font-size='9'>" + esc(last.date) + "</text>" +
            "<path d='" + steps(d => d.works_complete_pct) + "' fill='none' stroke='" + STYLE.networkStatus.laid + "' stroke-width='2'/>" +
            "<path d='" + steps(connectedPct) + "' fill='none' stroke='" + STYLE.connected + "' stroke-width='2' stroke-dasharray='5 3'/></svg>" +
            legendRow(STYLE.networkStatus.laid, "works complete: " + last.works_complete_pct.toFixed(1) + " % of the length", true) +
            legendRow(STYLE.connected, "dwellings connected: " + last.dwellings_fully_connected + " of " + last.dwellings, true);
        }
        function fillSelect(id, values) {
          const select = document.getElementById(id), keep = select.value;
          select.innerHTML = "<option value=''>all</option>" + [...new Set(values)].filter(v => v !== undefined && v !== null).sort().map(v => "<option>" + esc(v) + "</option>").join("");
          select.value = keep;
        }
        // Loads every layer at once (ETags make unchanged ones a 304), then draws them.
        async function load() {
          const indexResponse = await fetch("/layers", { cache: "no-cache" });
          const version = Number(indexResponse.headers.get("X-Plan-Version"));
          const index = await indexResponse.json();
          order = STYLE.drawOrder.filter(n => index.some(l => l.name === n)).concat(index.map(l => l.name).filter(n => !STYLE.drawOrder.includes(n)));
          const collections = await Promise.all(order.map(name => fetch("/layers/" + name + ".geojson", { cache: "no-cache" }).then(r => r.json())));
          order.forEach((name, i) => { features[name] = collections[i].features; });
          const all = name => (features[name] || []).map(f => f.properties);
          fillSelect("f-utility", all("network").map(p => p.utility));
          fillSelect("f-status", all("network").concat(all("service_lines")).map(p => p.status));
          fillSelect("f-parcel", all("parcels").map(p => p.id));
          fillSelect("f-type", all("buildings").map(p => p.type));
          if (!fitted) {
            // The view first: streets are drawn at their width, which needs the scale.
            const first = (features.parcels || []).length ? "parcels" : order.find(n => (features[n] || []).length);
            if (first) map.fitBounds(L.geoJSON({ type: "FeatureCollection", features: features[first] }).getBounds().pad(0.03)); else map.setView([0, 0], 2);
            fitted = true;
          }
          draw();
          drawChart().catch(() => {});
          loadRevisions().catch(() => {});
          shownVersion = version;
          status.dataset.version = version;
          status.dataset.layers = order.join(",");
        }
        function reload() { loading = (loading || Promise.resolve()).then(load).catch(showError); return loading; }
        let toastTimer = null;
        function toast(text, ok) {
          const box = document.getElementById("toast");
          box.textContent = text; box.className = ok ? "ok" : "error"; box.style.display = "block";
          clearTimeout(toastTimer); toastTimer = setTimeout(() => { box.style.display = "none"; }, 8000);
        }
        function showError(err) {
          const banner = document.getElementById("banner");
          banner.textContent = String(err && err.message || err);
          banner.style.display = "block";
        }
        for (const key of Object.keys(filters)) {
          document.getElementById("f-" + key).addEventListener("change", e => { filters[key] = e.target.value; draw(); });
        }
        // Find by id: every layer's ids; flies to the feature and opens its popup.
        function find(text) {
          const q = text.trim().toLowerCase(), box = document.getElementById("found");
          if (!q) { box.innerHTML = ""; return; }
          const hits = [];
          for (const name of order) for (const f of features[name] || []) if (String(f.id).toLowerCase() === q || String(f.id).toLowerCase().startsWith(q)) hits.push([name, f]);
          hits.sort((a, b) => (String(a[1].id).toLowerCase() === q ? 0 : 1) - (String(b[1].id).toLowerCase() === q ? 0 : 1));
          status.dataset.found = hits.length;
          if (!hits.length) { box.innerHTML = "<span class='error'>no feature has the id " + esc(text) + "</span>"; return; }
          const [name, f] = hits[0];
          box.innerHTML = esc(name) + " <b>" + esc(f.id) + "</b>" + (hits.length > 1 ? " (and " + (hits.length - 1) + " more ids starting so)" : "");
          const shape = L.geoJSON(f);
          map.flyToBounds(shape.getBounds().pad(0.5), { maxZoom: 19, duration: 0.5 });
          const target = drawn[name] && drawn[name].getLayers().find(l => l.feature && l.feature.id === f.id);
          map.once("moveend", () => {
            if (target && map.hasLayer(target)) target.openPopup(); else L.popup().setLatLng(shape.getBounds().getCenter()).setContent("<b>" + esc(name) + " " + esc(f.id) + "</b>" + table(f.properties)).openOn(map);
            status.dataset.foundId = f.id;
          });
        }
        document.getElementById("search").addEventListener("keydown", e => { if (e.key === "Enter") find(e.target.value); });
        // Live: the server says when the plan changed; the page reloads its layers (not itself).
        function listen() {
          if (!window.EventSource) return;
          const events = new EventSource("/events");
          events.addEventListener("version", e => {
            const v = JSON.parse(e.data).version;
            status.dataset.serverVersion = v;
            document.getElementById("banner").style.display = "none";
            if (shownVersion !== null && v !== shownVersion) reload();
          });
          events.addEventListener("failed", e => showError("The plan could not be read again; the map shows the last good version. " + JSON.parse(e.data).error));
        }
        async function main() {
          await session();
          renderAccount();
          if (accounts && !me) { status.dataset.ready = "true"; status.dataset.signIn = "needed"; return; }
          listen();
          await reload();
          // ?click=LON,LAT clicks the map there once drawn (what tools/webmap_check.sh does).
          const click = new URLSearchParams(location.search).get("click");
          if (click) {
            const [lon, lat] = click.split(",").map(Number);
            map.fire("click", { latlng: L.latLng(lat, lon) });
            await new Promise(resolve => { const t = setInterval(() => { if (status.dataset.queryStatus) { clearInterval(t); resolve(); } }, 20); });
          }
          status.dataset.ready = "true";
        }
        main().catch(err => { status.dataset.ready = "error"; status.dataset.error = String(err); document.getElementById("query").innerHTML = "<span class='error'>" + esc(err) + "</span>"; });
        </script>
        </body>
        </html>

        """
    }

    static func xml(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
