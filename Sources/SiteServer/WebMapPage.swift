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
        <div id="side">
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
            case "lots": return { color: STYLE.lot, weight: 1, fill: false };
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
        // (Re)draws every layer from the features loaded, through the filters, keeping what was hidden.
        function draw() {
          for (const name of order) {
            if (drawn[name]) { control.removeLayer(drawn[name]); drawn[name].remove(); }
            const layer = L.geoJSON({ type: "FeatureCollection", features: features[name] || [] }, {
              filter: f => passes(name, f.properties),
              style: f => Object.assign({ className: "layer-" + name }, styleFor(name, f.properties)),
              pointToLayer: (f, ll) => L.circleMarker(ll, Object.assign({ className: "layer-" + name, radius: 4 }, styleFor(name, f.properties))),
              onEachFeature: (f, l) => {
                l.bindPopup("<b>" + esc(name) + " " + esc(f.id) + "</b>" + table(f.properties), { maxWidth: 360 });
                // Leaflet's popup stops the map's click: the feature asks the query itself.
                l.on("click", e => runQuery(e.latlng));
              }
            });
            drawn[name] = layer;
            if (!hidden.has(name)) layer.addTo(map);
            control.addOverlay(layer, name + " (" + (features[name] || []).length + ")");
          }
          buildLegend();
          for (const name of order) {
            const key = name.replace(/_([a-z])/g, (m, c) => c.toUpperCase());
            status.dataset[key] = (features[name] || []).length;
            status.dataset["shown" + key[0].toUpperCase() + key.slice(1)] = drawn[name].getLayers().length;
            status.setAttribute("data-drawn-" + name.replace(/_/g, "-"), document.querySelectorAll("path.layer-" + name).length);
          }
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
          shownVersion = version;
          status.dataset.version = version;
          status.dataset.layers = order.join(",");
        }
        function reload() { loading = (loading || Promise.resolve()).then(load).catch(showError); return loading; }
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
